/**
 * Who must be informed about a signal (Jeugdwet 7.1, the seed guide):
 * under 12 the parents; 12 to 15 the parents and the youth; 16 and over the
 * youth alone (the parents only with the youth's consent). The signal records
 * whom the professional informed and when; without informing, a reason from
 * a closed list, and the informing is recorded later.
 */
import type { IsoDate } from "./dates";
import { compareDates, formatDutchDate } from "./dates";
import { fail, ok, type Result } from "./errors";

export const INFORM_TARGETS = ["ouders", "ouders-en-jeugdige", "jeugdige"] as const;
export type InformTarget = (typeof INFORM_TARGETS)[number];

/** `age` in completed years (see ageOn); a negative or non-integer age throws a RangeError. */
export function whoMustBeInformed(age: number): InformTarget {
  if (!Number.isSafeInteger(age) || age < 0) throw new RangeError(`age must be a non-negative integer, got ${age}`);
  if (age < 12) return "ouders";
  if (age < 16) return "ouders-en-jeugdige";
  return "jeugdige";
}

/**
 * Why the youth or the parents were not (yet) informed: a closed list, never
 * free text. The index holds no content; the seed guide says the reason
 * itself goes in the professional's own file. The professional informs later
 * and records that (see the informing of a signal).
 */
export const NOT_INFORMED_REASONS = ["nog-niet-bereikt", "onveilig-voor-jeugdige", "onveilig-voor-ander", "andere-reden-in-eigen-dossier"] as const;
export type NotInformedReason = (typeof NOT_INFORMED_REASONS)[number];

export function isNotInformedReason(value: unknown): value is NotInformedReason {
  return typeof value === "string" && (NOT_INFORMED_REASONS as readonly string[]).includes(value);
}

/**
 * A stored or received reason as the closed list knows it: a value outside
 * the list (free text from before the list, or from an older node) becomes
 * `andere-reden-in-eigen-dossier`, so its text is never kept.
 */
export function closedReason(value: string | null): NotInformedReason | null {
  if (value === null) return null;
  return isNotInformedReason(value) ? value : "andere-reden-in-eigen-dossier";
}

const informs = (who: InformTarget) => ({ ouders: who !== "jeugdige", jeugdige: who !== "ouders" });

/** Whether informing `informed` covers whom the age rules require (informing more than required covers it too). */
export function coversInformTarget(required: InformTarget, informed: InformTarget): boolean {
  const need = informs(required);
  const did = informs(informed);
  return (!need.ouders || did.ouders) && (!need.jeugdige || did.jeugdige);
}

const WHOM_TEXT: Record<InformTarget, string> = { ouders: "de ouders", "ouders-en-jeugdige": "de ouders en de jeugdige", jeugdige: "de jeugdige" };

/**
 * Whom and when the professional informed, checked against the age rules:
 * by default whom the rules require, today; never a date after today.
 * `fields` names the request's fields for the error.
 */
export function planInforming(input: {
  today: IsoDate;
  age: number;
  wie?: InformTarget;
  op?: IsoDate;
  fields?: { wie: string; op: string };
}): Result<{ wie: InformTarget; op: IsoDate }> {
  const fields = input.fields ?? { wie: "geinformeerdWie", op: "geinformeerdOp" };
  const required = whoMustBeInformed(input.age);
  const wie = input.wie ?? required;
  if (!coversInformTarget(required, wie)) {
    return fail(
      "GEINFORMEERD_ONVOLLEDIG",
      `Bij een jeugdige van ${input.age} jaar informeert u ${WHOM_TEXT[required]}; u geeft aan alleen ${WHOM_TEXT[wie]} te hebben geïnformeerd. Informeer ook wie nog ontbreekt, of geef aan dat informeren (nog) niet kon.`,
      fields.wie,
    );
  }
  const op = input.op ?? input.today;
  if (compareDates(op, input.today) > 0) {
    return fail(
      "GEINFORMEERD_OP_IN_TOEKOMST",
      `De datum van informeren ligt na vandaag (${formatDutchDate(input.today)}). Vul de dag in waarop u informeerde.`,
      fields.op,
    );
  }
  return ok({ wie, op });
}
