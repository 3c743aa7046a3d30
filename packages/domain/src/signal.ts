/**
 * The life of a signaal: registration, extension (verlengen), ending, and the
 * retention rules that archive and delete it.
 *
 * Conventions:
 * - `einddatum` is the last day on which the signal is active (inclusive).
 *   It must be after today, at most two years after today (addYears, so from
 *   29 February the limit is 1 March), and before the youth's 23rd birthday
 *   (the signal is deleted on that birthday).
 * - "Today" is always passed in (see `todayIn(clock)`).
 * - A youth counts as deceased for registration and extension as soon as a
 *   death is recorded (with a date or without one); retention deletes once
 *   deceasedOn <= today, and at once for a death without a date.
 */
import { ageOn, birthdayAt, MAX_AGE } from "./age";
import { addDays, addMonths, addYears, compareDates, formatDutchDate, minDate, type IsoDate } from "./dates";
import { fail, ok, type DomainError, type Result } from "./errors";
import { type InformTarget, isNotInformedReason, NOT_INFORMED_REASONS, planInforming } from "./informing";

export const MAX_DURATION_YEARS = 2;
export const ARCHIVE_YEARS = 5;
/** The region's default duration is capped at the legal maximum. */
export const MAX_DURATION_MONTHS = MAX_DURATION_YEARS * 12;

export type SignalStatus = "actief" | "gearchiveerd";

export interface YouthFacts {
  /** null when the BRP knows no date of birth. */
  birthDate: IsoDate | null;
  /** The date of death; null when none is recorded, or when the BRP records the death without a date (then `deceased`). */
  deceasedOn: IsoDate | null;
  /** The BRP records the death, with or without a date (a record that says "died" without a date counts as deceased). */
  deceased?: boolean;
}

/** Deceased by the BRP: a date of death recorded, or the death recorded without a date. */
export function isDeceased(youth: Pick<YouthFacts, "deceasedOn" | "deceased">): boolean {
  return youth.deceasedOn !== null || youth.deceased === true;
}

type Refusal = { ok: false; error: DomainError };

/** The latest allowed einddatum: today + 2 years, and the day before the 23rd birthday. */
export function latestEinddatum(today: IsoDate, youth: YouthFacts & { birthDate: IsoDate }): IsoDate {
  return minDate(addYears(today, MAX_DURATION_YEARS), addDays(birthdayAt(youth.birthDate, MAX_AGE), -1));
}

/**
 * Whether a signal may be registered or extended on this youth today: alive
 * (no death recorded), a date of birth known to the BRP (without it the
 * 23-year limit cannot be kept), and under 23.
 */
export function checkYouth(today: IsoDate, youth: YouthFacts): Result<{ birthDate: IsoDate }> {
  if (isDeceased(youth)) {
    return fail("JEUGDIGE_OVERLEDEN", "Volgens de BRP is deze jeugdige overleden. Er kan geen signaal worden afgegeven of verlengd.");
  }
  if (youth.birthDate === null) {
    return fail(
      "GEBOORTEDATUM_ONBEKEND",
      "De BRP kent geen geboortedatum van deze jeugdige. Zonder geboortedatum kan de verwijsindex de leeftijdsgrens van 23 jaar niet bewaken, dus er kan geen signaal worden afgegeven of verlengd. Vraag de gemeente de gegevens in de BRP te laten controleren.",
    );
  }
  if (ageOn(youth.birthDate, today) >= MAX_AGE) {
    return fail(
      "JEUGDIGE_TE_OUD",
      "Deze persoon is 23 jaar of ouder. De verwijsindex is alleen voor jeugdigen tot 23 jaar; er kan geen signaal worden afgegeven of verlengd.",
    );
  }
  return ok({ birthDate: youth.birthDate });
}

/**
 * Whether the index may still show and match this youth today. What the
 * retention job removes (23rd birthday, death) is out of the index from that
 * very day, whether or not the job has run yet: the card and inzage no longer
 * open, and the youth's signals make no match. An unknown date of birth does
 * not take a youth out (it stops new signals, see checkYouth).
 */
export function youthInScope(today: IsoDate, youth: YouthFacts): Result<true> {
  if (youth.deceasedOn !== null ? compareDates(youth.deceasedOn, today) <= 0 : youth.deceased === true) {
    return fail(
      "JEUGDIGE_OVERLEDEN",
      "Volgens de BRP is deze jeugdige overleden. De signalen op deze jeugdige worden verwijderd; cliëntkaart en inzage zijn niet meer beschikbaar.",
    );
  }
  if (youth.birthDate !== null && ageOn(youth.birthDate, today) >= MAX_AGE) {
    return fail(
      "JEUGDIGE_TE_OUD",
      "Deze jeugdige is 23 jaar geworden. De verwijsindex is alleen voor jeugdigen tot 23 jaar: de signalen worden verwijderd en cliëntkaart en inzage zijn niet meer beschikbaar.",
    );
  }
  return ok(true);
}

/** Checks an end date against today, the two-year maximum and the 23rd birthday. */
function checkEinddatum(today: IsoDate, einddatum: IsoDate, youth: { birthDate: IsoDate }): Refusal | null {
  if (compareDates(einddatum, today) <= 0) {
    return fail("EINDDATUM_IN_VERLEDEN", `De einddatum moet na vandaag (${formatDutchDate(today)}) liggen. Kies een latere einddatum.`, "einddatum");
  }
  const maxDate = addYears(today, MAX_DURATION_YEARS);
  if (compareDates(einddatum, maxDate) > 0) {
    return fail("EINDDATUM_TE_VER", `Een signaal loopt maximaal twee jaar. Kies een einddatum op of voor ${formatDutchDate(maxDate)}.`, "einddatum");
  }
  const turns23 = birthdayAt(youth.birthDate, MAX_AGE);
  if (compareDates(einddatum, turns23) >= 0) {
    return fail(
      "EINDDATUM_NA_23",
      `De jeugdige wordt op ${formatDutchDate(turns23)} 23 jaar; dan vervalt het signaal. Kies een einddatum voor die dag (uiterlijk ${formatDutchDate(addDays(turns23, -1))}).`,
      "einddatum",
    );
  }
  return null;
}

/**
 * Plans a new registration. Order of checks: youth (deceased, date of birth unknown, 23+), then the
 * reason for not informing, then the end date.
 *
 * Without an einddatum the default is min(today + defaultDurationMonths
 * (capped at 24, clamped to month end), the day before the 23rd birthday).
 * When even that is not after today (the youth turns 23 tomorrow) no end date
 * is possible and EINDDATUM_NA_23 is returned.
 *
 * defaultDurationMonths must be an integer >= 1 (region configuration;
 * otherwise a RangeError is thrown).
 */
export function planRegistration(input: {
  today: IsoDate;
  einddatum?: IsoDate;
  defaultDurationMonths: number;
  geinformeerd: boolean;
  /** Whom the professional informed; default whom the age rules require. */
  geinformeerdWie?: InformTarget;
  /** When; default today. */
  geinformeerdOp?: IsoDate;
  redenNietGeinformeerd?: string;
  youth: YouthFacts;
}): Result<{ einddatum: IsoDate; informed: { wie: InformTarget; op: IsoDate } | null }> {
  const { today } = input;
  if (!Number.isSafeInteger(input.defaultDurationMonths) || input.defaultDurationMonths < 1) {
    throw new RangeError(`defaultDurationMonths must be an integer >= 1, got ${input.defaultDurationMonths}`);
  }
  const known = checkYouth(today, input.youth);
  if (!known.ok) return known;
  const youth = known.value;

  if (!input.geinformeerd && (input.redenNietGeinformeerd === undefined || input.redenNietGeinformeerd.trim() === "")) {
    return fail(
      "REDEN_NIET_GEINFORMEERD_ONTBREEKT",
      `U geeft aan dat de jeugdige en/of ouders niet zijn geïnformeerd. Kies waarom informeren nu niet veilig of mogelijk is (${NOT_INFORMED_REASONS.join(", ")}), en informeer hen later alsnog.`,
      "redenNietGeinformeerd",
    );
  }
  if (!input.geinformeerd && !isNotInformedReason(input.redenNietGeinformeerd)) {
    return fail(
      "REDEN_NIET_GEINFORMEERD_ONGELDIG",
      `De verwijsindex bewaart geen toelichting, alleen een reden uit de lijst: ${NOT_INFORMED_REASONS.join(", ")}. Schrijf de toelichting in uw eigen dossier.`,
      "redenNietGeinformeerd",
    );
  }
  if (!input.geinformeerd && (input.geinformeerdWie !== undefined || input.geinformeerdOp !== undefined)) {
    return fail(
      "GEINFORMEERD_TEGENSTRIJDIG",
      "U geeft aan dat de jeugdige en/of ouders niet zijn geïnformeerd, maar vult in wie u wanneer informeerde. Kies één van beide; informeert u later, leg dat dan vast bij het signaal.",
      "geinformeerd",
    );
  }
  let informed: { wie: InformTarget; op: IsoDate } | null = null;
  if (input.geinformeerd) {
    const planned = planInforming({ today, age: ageOn(youth.birthDate, today), wie: input.geinformeerdWie, op: input.geinformeerdOp });
    if (!planned.ok) return planned;
    informed = planned.value;
  }
  // A reason sent along with geinformeerd: true is not stored (as before the closed list).

  let einddatum = input.einddatum;
  if (einddatum === undefined) {
    const months = Math.min(input.defaultDurationMonths, MAX_DURATION_MONTHS);
    einddatum = minDate(addMonths(today, months), addDays(birthdayAt(youth.birthDate, MAX_AGE), -1));
  }
  const dateRefusal = checkEinddatum(today, einddatum, youth);
  if (dateRefusal) {
    if (input.einddatum === undefined) {
      const turns23 = birthdayAt(youth.birthDate, MAX_AGE);
      return fail(
        "EINDDATUM_NA_23",
        `De jeugdige wordt op ${formatDutchDate(turns23)} 23 jaar; er is geen einddatum na vandaag mogelijk. Een signaal kan niet meer worden afgegeven.`,
        "einddatum",
      );
    }
    return dateRefusal;
  }
  return ok({ einddatum, informed });
}

/**
 * Recording later that the professional informed the youth and/or the
 * parents (a signal registered without informing, or informing more people
 * since): only on an active signal of a youth still in the index, checked
 * against the age rules like at registration.
 */
export function planLaterInforming(input: {
  today: IsoDate;
  status: SignalStatus;
  youth: YouthFacts;
  wie?: InformTarget;
  op?: IsoDate;
}): Result<{ wie: InformTarget; op: IsoDate }> {
  if (input.status !== "actief") {
    return fail("SIGNAAL_NIET_ACTIEF", "Dit signaal staat in het archief; informeren kan alleen bij een actief signaal worden vastgelegd.");
  }
  const known = checkYouth(input.today, input.youth);
  if (!known.ok) return known;
  return planInforming({ today: input.today, age: ageOn(known.value.birthDate, input.today), wie: input.wie, op: input.op, fields: { wie: "wie", op: "op" } });
}

/**
 * Plans an extension (verlengen) of an active signal. Order: status, youth
 * (deceased, date of birth unknown, 23+), then the new date: later than the current einddatum, after
 * today, at most today + 2 years, before the 23rd birthday.
 */
export function planExtension(input: {
  today: IsoDate;
  status: SignalStatus;
  currentEinddatum: IsoDate;
  newEinddatum: IsoDate;
  youth: YouthFacts;
}): Result<{ einddatum: IsoDate }> {
  const { today, currentEinddatum, newEinddatum } = input;
  if (input.status !== "actief") {
    return fail(
      "SIGNAAL_NIET_ACTIEF",
      "Dit signaal is niet meer actief (het staat in het archief) en kan niet worden verlengd. Geef zo nodig een nieuw signaal af.",
    );
  }
  const known = checkYouth(today, input.youth);
  if (!known.ok) return known;
  const youth = known.value;
  if (compareDates(newEinddatum, currentEinddatum) <= 0) {
    return fail(
      "EINDDATUM_NIET_LATER",
      `Bij verlengen moet de nieuwe einddatum later zijn dan de huidige einddatum (${formatDutchDate(currentEinddatum)}).`,
      "einddatum",
    );
  }
  const dateRefusal = checkEinddatum(today, newEinddatum, youth);
  if (dateRefusal) return dateRefusal;
  return ok({ einddatum: newEinddatum });
}

export type EndReason = "betrokkenheid-beeindigd" | "onterecht";

/**
 * Ending a signal by the professional.
 * - 'betrokkenheid-beeindigd' on an active signal: archive today, purge after
 *   5 years (purgeOn = addYears(archivedOn, 5)).
 * - 'onterecht' (withdrawn as unjustified): delete, never archive. This is
 *   also allowed for an archived signal: an unjustified signal must not stay
 *   in the history nor produce an archive match.
 * - 'betrokkenheid-beeindigd' on an archived signal: SIGNAAL_NIET_ACTIEF.
 */
export function planEnd(input: {
  status: SignalStatus;
  reason: EndReason;
  today: IsoDate;
}): Result<{ action: "archive"; archivedOn: IsoDate; purgeOn: IsoDate } | { action: "delete" }> {
  if (input.reason === "onterecht") return ok({ action: "delete" as const });
  if (input.status !== "actief") {
    return fail(
      "SIGNAAL_NIET_ACTIEF",
      "Dit signaal is al beëindigd en staat in het archief. Is het signaal ten onrechte afgegeven, trek het dan in als onterecht; dan wordt het verwijderd.",
    );
  }
  return ok({ action: "archive" as const, archivedOn: input.today, purgeOn: addYears(input.today, ARCHIVE_YEARS) });
}

export type RetentionAction =
  | { action: "keep" }
  | { action: "archive"; reason: "einddatum-verstreken"; archivedOn: IsoDate }
  | { action: "delete"; reason: "23-jaar" | "overleden" | "archieftermijn-verstreken" };

/**
 * What the daily retention run does with one signal. In order:
 * 1. deceased (deceasedOn <= today, or the death recorded without a date):
 *    delete 'overleden' (never archived);
 * 2. age >= 23 today: delete '23-jaar' (never archived, archived signals too);
 * 3. archived and today >= archivedOn + 5 years: delete 'archieftermijn-verstreken';
 * 4. active and einddatum < today: archive 'einddatum-verstreken' with
 *    archivedOn = the day after the einddatum (the einddatum is the last
 *    active day, so the archive term starts the next day, whatever day the run
 *    happens). If that archive term has itself already passed (the run did not
 *    happen for 5 years), delete 'archieftermijn-verstreken' straight away;
 * 5. otherwise keep.
 *
 * An archived signal must have an archivedOn (RangeError otherwise).
 */
export function retentionDecision(input: {
  today: IsoDate;
  youth: YouthFacts;
  status: SignalStatus;
  einddatum: IsoDate;
  archivedOn: IsoDate | null;
}): RetentionAction {
  const { today, youth, status } = input;
  // The same rule as youthInScope: a death without a date counts from now, a recorded date from that day;
  // an unknown date of birth stops no rule but the 23rd birthday (the youth cannot be registered, so this is a BRP correction).
  const inScope = youthInScope(today, youth);
  if (!inScope.ok) return { action: "delete", reason: inScope.error.code === "JEUGDIGE_OVERLEDEN" ? "overleden" : "23-jaar" };
  if (status === "gearchiveerd") {
    if (input.archivedOn === null) throw new RangeError("An archived signal needs archivedOn");
    if (compareDates(today, addYears(input.archivedOn, ARCHIVE_YEARS)) >= 0) {
      return { action: "delete", reason: "archieftermijn-verstreken" };
    }
    return { action: "keep" };
  }
  if (compareDates(input.einddatum, today) < 0) {
    const archivedOn = addDays(input.einddatum, 1);
    if (compareDates(today, addYears(archivedOn, ARCHIVE_YEARS)) >= 0) {
      return { action: "delete", reason: "archieftermijn-verstreken" };
    }
    return { action: "archive", reason: "einddatum-verstreken", archivedOn };
  }
  return { action: "keep" };
}
