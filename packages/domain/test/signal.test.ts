import { describe, it, expect } from "vitest";
import fc from "fast-check";
import {
  addDays,
  addYears,
  ageOn,
  ARCHIVE_YEARS,
  birthdayAt,
  compareDates,
  MAX_DURATION_YEARS,
  planEnd,
  planExtension,
  planLaterInforming,
  planRegistration,
  NOT_INFORMED_REASONS,
  retentionDecision,
  youthInScope,
  type Result,
  type YouthFacts,
} from "../src/index";
import { isoDateArb } from "./arbitraries";

const TODAY = "2025-06-15";
const CHILD: YouthFacts = { birthDate: "2015-03-10", deceasedOn: null }; // 10 years old

function codeOf<T>(result: Result<T>): string {
  return result.ok ? "ok" : result.error.code;
}

function register(overrides: Partial<Parameters<typeof planRegistration>[0]> = {}) {
  return planRegistration({ today: TODAY, defaultDurationMonths: 12, geinformeerd: true, youth: CHILD, ...overrides });
}

describe("planRegistration: the youth", () => {
  it("refuses a deceased youth (Bram)", () => {
    const result = register({ youth: { birthDate: "2016-01-01", deceasedOn: "2025-05-01" } });
    expect(codeOf(result)).toBe("JEUGDIGE_OVERLEDEN");
  });

  it("refuses a youth who turned 23 yesterday (Julia)", () => {
    const julia = { birthDate: addDays(addYears(TODAY, -23), -1), deceasedOn: null };
    expect(ageOn(julia.birthDate, TODAY)).toBe(23);
    const result = register({ youth: julia });
    expect(codeOf(result)).toBe("JEUGDIGE_TE_OUD");
    if (!result.ok) expect(result.error.detail).toMatch(/23 jaar/);
  });

  it("refuses a youth on the 23rd birthday itself", () => {
    expect(codeOf(register({ youth: { birthDate: "2002-06-15", deceasedOn: null } }))).toBe("JEUGDIGE_TE_OUD");
  });

  it("refuses a youth whose date of birth the BRP does not know: the 23-year limit cannot be kept", () => {
    const result = register({ youth: { birthDate: null, deceasedOn: null } });
    expect(codeOf(result)).toBe("GEBOORTEDATUM_ONBEKEND");
    if (!result.ok) expect(result.error.detail).toMatch(/geboortedatum/);
    expect(codeOf(register({ youth: { birthDate: null, deceasedOn: "2025-05-01" } }))).toBe("JEUGDIGE_OVERLEDEN");
  });

  it("refuses a youth whose death the BRP records without a date", () => {
    expect(codeOf(register({ youth: { ...CHILD, deceased: true } }))).toBe("JEUGDIGE_OVERLEDEN");
  });

  it("checks the youth before the reason for not informing and before the end date", () => {
    const dead = { birthDate: "2016-01-01", deceasedOn: "2025-05-01" };
    expect(codeOf(register({ youth: dead, geinformeerd: false, einddatum: "2020-01-01" }))).toBe("JEUGDIGE_OVERLEDEN");
    const old = { birthDate: "2000-01-01", deceasedOn: null };
    expect(codeOf(register({ youth: old, geinformeerd: false, einddatum: "2020-01-01" }))).toBe("JEUGDIGE_TE_OUD");
  });
});

describe("planRegistration: informing", () => {
  it("needs a reason when the youth and parents were not informed", () => {
    const result = register({ geinformeerd: false });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe("REDEN_NIET_GEINFORMEERD_ONTBREEKT");
      expect(result.error.field).toBe("redenNietGeinformeerd");
    }
  });

  it("treats a blank reason as missing", () => {
    expect(codeOf(register({ geinformeerd: false, redenNietGeinformeerd: "  \t\n" }))).toBe("REDEN_NIET_GEINFORMEERD_ONTBREEKT");
    expect(codeOf(register({ geinformeerd: false, redenNietGeinformeerd: "" }))).toBe("REDEN_NIET_GEINFORMEERD_ONTBREEKT");
  });

  it("accepts not informing when a reason from the closed list is recorded", () => {
    for (const reden of NOT_INFORMED_REASONS) expect(codeOf(register({ geinformeerd: false, redenNietGeinformeerd: reden })), reden).toBe("ok");
  });

  it("refuses a reason in free text: the index holds no content", () => {
    const result = register({ geinformeerd: false, redenNietGeinformeerd: "Onveilige thuissituatie" });
    expect(codeOf(result)).toBe("REDEN_NIET_GEINFORMEERD_ONGELDIG");
    if (!result.ok) expect(result.error.field).toBe("redenNietGeinformeerd");
  });

  it("checks the reason before the end date", () => {
    expect(codeOf(register({ geinformeerd: false, einddatum: TODAY }))).toBe("REDEN_NIET_GEINFORMEERD_ONTBREEKT");
  });
});

describe("planRegistration: the end date", () => {
  it("accepts a chosen end date between tomorrow and two years from today", () => {
    expect(register({ einddatum: "2025-06-16" })).toMatchObject({ ok: true, value: { einddatum: "2025-06-16" } });
    expect(register({ einddatum: "2026-01-01" })).toMatchObject({ ok: true, value: { einddatum: "2026-01-01" } });
  });

  it("refuses an end date of today or earlier", () => {
    const result = register({ einddatum: TODAY });
    expect(codeOf(result)).toBe("EINDDATUM_IN_VERLEDEN");
    if (!result.ok) expect(result.error.field).toBe("einddatum");
    expect(codeOf(register({ einddatum: "2025-06-14" }))).toBe("EINDDATUM_IN_VERLEDEN");
  });

  it("accepts exactly two years from today and refuses one day more", () => {
    expect(register({ einddatum: "2027-06-15" })).toMatchObject({ ok: true, value: { einddatum: "2027-06-15" } });
    const result = register({ einddatum: "2027-06-16" });
    expect(codeOf(result)).toBe("EINDDATUM_TE_VER");
    if (!result.ok) expect(result.error.detail).toMatch(/15 juni 2027/);
  });

  it("counts two years from 29 February to 1 March", () => {
    const today = "2024-02-29";
    expect(codeOf(register({ today, einddatum: "2026-03-01" }))).toBe("ok");
    expect(codeOf(register({ today, einddatum: "2026-03-02" }))).toBe("EINDDATUM_TE_VER");
  });

  it("accepts the day before the 23rd birthday and refuses the birthday itself", () => {
    const youth = { birthDate: "2002-09-15", deceasedOn: null }; // turns 23 on 2025-09-15
    expect(register({ youth, einddatum: "2025-09-14" })).toMatchObject({ ok: true, value: { einddatum: "2025-09-14" } });
    const result = register({ youth, einddatum: "2025-09-15" });
    expect(codeOf(result)).toBe("EINDDATUM_NA_23");
    if (!result.ok) expect(result.error.detail).toMatch(/15 september 2025/);
  });

  it("applies the 23rd birthday of a 29 February birth on 1 March", () => {
    const youth = { birthDate: "2008-02-29", deceasedOn: null }; // turns 23 on 2031-03-01
    const today = "2030-06-01";
    expect(codeOf(register({ today, youth, einddatum: "2031-02-28" }))).toBe("ok");
    expect(codeOf(register({ today, youth, einddatum: "2031-03-01" }))).toBe("EINDDATUM_NA_23");
  });
});

describe("planRegistration: the default end date", () => {
  it("is today plus the default duration", () => {
    expect(register({ defaultDurationMonths: 6 })).toMatchObject({ ok: true, value: { einddatum: "2025-12-15" } });
  });

  it("is capped at 24 months", () => {
    expect(register({ defaultDurationMonths: 36 })).toMatchObject({ ok: true, value: { einddatum: "2027-06-15" } });
  });

  it("clamps to the end of the month", () => {
    expect(register({ today: "2025-01-31", defaultDurationMonths: 1 })).toMatchObject({ ok: true, value: { einddatum: "2025-02-28" } });
    expect(register({ today: "2024-02-29", defaultDurationMonths: 24 })).toMatchObject({ ok: true, value: { einddatum: "2026-02-28" } });
  });

  it("stops the day before the 23rd birthday", () => {
    const youth = { birthDate: "2002-09-15", deceasedOn: null };
    expect(register({ youth, defaultDurationMonths: 12 })).toMatchObject({ ok: true, value: { einddatum: "2025-09-14" } });
  });

  it("is impossible for a youth who turns 23 tomorrow", () => {
    const youth = { birthDate: "2002-06-16", deceasedOn: null };
    expect(ageOn(youth.birthDate, TODAY)).toBe(22);
    expect(codeOf(register({ youth }))).toBe("EINDDATUM_NA_23");
  });

  it("refuses a region configuration without a positive whole number of months", () => {
    expect(() => register({ defaultDurationMonths: 0 })).toThrow(RangeError);
    expect(() => register({ defaultDurationMonths: 1.5 })).toThrow(RangeError);
  });
});

describe("planRegistration (property)", () => {
  it("never returns an end date on/before today, beyond today + 2 years, or on/after the 23rd birthday", () => {
    fc.assert(
      fc.property(
        isoDateArb,
        fc.integer({ min: 0, max: 25 * 366 }),
        fc.option(fc.integer({ min: -30, max: 3 * 366 }), { nil: undefined }),
        fc.integer({ min: 1, max: 48 }),
        (today, ageInDays, offset, months) => {
          const youth = { birthDate: addDays(today, -ageInDays), deceasedOn: null };
          const einddatum = offset === undefined ? undefined : addDays(today, offset);
          const result = planRegistration({ today, einddatum, defaultDurationMonths: months, geinformeerd: true, youth });
          if (!result.ok) return;
          const end = result.value.einddatum;
          expect(compareDates(end, today)).toBeGreaterThan(0);
          expect(compareDates(end, addYears(today, MAX_DURATION_YEARS))).toBeLessThanOrEqual(0);
          expect(compareDates(end, birthdayAt(youth.birthDate, 23))).toBeLessThan(0);
          if (einddatum !== undefined) expect(end).toBe(einddatum);
        },
      ),
    );
  });

  it("always succeeds without an end date for a living youth who is under 23 and does not turn 23 tomorrow", () => {
    fc.assert(
      fc.property(isoDateArb, fc.integer({ min: 0, max: 23 * 366 }), fc.integer({ min: 1, max: 48 }), (today, ageInDays, months) => {
        const youth = { birthDate: addDays(today, -ageInDays), deceasedOn: null };
        fc.pre(compareDates(addDays(today, 1), birthdayAt(youth.birthDate, 23)) < 0);
        const result = planRegistration({ today, defaultDurationMonths: months, geinformeerd: true, youth });
        expect(result.ok).toBe(true);
      }),
    );
  });
});

describe("planExtension", () => {
  function extend(overrides: Partial<Parameters<typeof planExtension>[0]> = {}) {
    return planExtension({ today: TODAY, status: "actief", currentEinddatum: "2025-09-01", newEinddatum: "2026-03-01", youth: CHILD, ...overrides });
  }

  it("extends an active signal to a later date", () => {
    expect(extend()).toEqual({ ok: true, value: { einddatum: "2026-03-01" } });
  });

  it("refuses an archived signal", () => {
    const result = extend({ status: "gearchiveerd" });
    expect(codeOf(result)).toBe("SIGNAAL_NIET_ACTIEF");
  });

  it("refuses a new date that is not later than the current one", () => {
    expect(codeOf(extend({ newEinddatum: "2025-09-01" }))).toBe("EINDDATUM_NIET_LATER");
    expect(codeOf(extend({ newEinddatum: "2025-08-01" }))).toBe("EINDDATUM_NIET_LATER");
  });

  it("allows up to exactly two years from today, not from the registration", () => {
    expect(codeOf(extend({ newEinddatum: "2027-06-15" }))).toBe("ok");
    expect(codeOf(extend({ newEinddatum: "2027-06-16" }))).toBe("EINDDATUM_TE_VER");
  });

  it("refuses the 23rd birthday and accepts the day before", () => {
    const youth = { birthDate: "2004-01-10", deceasedOn: null }; // turns 23 on 2027-01-10
    expect(codeOf(extend({ youth, newEinddatum: "2027-01-09" }))).toBe("ok");
    expect(codeOf(extend({ youth, newEinddatum: "2027-01-10" }))).toBe("EINDDATUM_NA_23");
  });

  it("refuses a new date that is still not after today", () => {
    expect(codeOf(extend({ currentEinddatum: "2025-06-10", newEinddatum: TODAY }))).toBe("EINDDATUM_IN_VERLEDEN");
  });

  it("refuses a deceased youth or a youth of 23", () => {
    expect(codeOf(extend({ youth: { birthDate: "2015-03-10", deceasedOn: "2025-06-01" } }))).toBe("JEUGDIGE_OVERLEDEN");
    expect(codeOf(extend({ youth: { birthDate: "2002-06-15", deceasedOn: null } }))).toBe("JEUGDIGE_TE_OUD");
  });

  it("refuses a youth whose date of birth the BRP no longer knows", () => {
    expect(codeOf(extend({ youth: { birthDate: null, deceasedOn: null } }))).toBe("GEBOORTEDATUM_ONBEKEND");
  });

  it("checks the status first", () => {
    expect(codeOf(extend({ status: "gearchiveerd", newEinddatum: "2020-01-01", youth: { birthDate: "1990-01-01", deceasedOn: null } }))).toBe(
      "SIGNAAL_NIET_ACTIEF",
    );
  });
});

describe("planEnd", () => {
  it("archives an active signal when involvement ends, to be purged after five years", () => {
    expect(planEnd({ status: "actief", reason: "betrokkenheid-beeindigd", today: TODAY })).toEqual({
      ok: true,
      value: { action: "archive", archivedOn: TODAY, purgeOn: "2030-06-15" },
    });
    expect(ARCHIVE_YEARS).toBe(5);
  });

  it("purges an archive made on 29 February on 1 March five years later", () => {
    const result = planEnd({ status: "actief", reason: "betrokkenheid-beeindigd", today: "2024-02-29" });
    expect(result).toEqual({ ok: true, value: { action: "archive", archivedOn: "2024-02-29", purgeOn: "2029-03-01" } });
  });

  it("deletes an active signal withdrawn as unjustified, without archiving", () => {
    expect(planEnd({ status: "actief", reason: "onterecht", today: TODAY })).toEqual({ ok: true, value: { action: "delete" } });
  });

  it("also deletes an archived signal withdrawn as unjustified", () => {
    expect(planEnd({ status: "gearchiveerd", reason: "onterecht", today: TODAY })).toEqual({ ok: true, value: { action: "delete" } });
  });

  it("refuses to end the involvement of a signal that is already archived", () => {
    expect(codeOf(planEnd({ status: "gearchiveerd", reason: "betrokkenheid-beeindigd", today: TODAY }))).toBe("SIGNAAL_NIET_ACTIEF");
  });
});

describe("retentionDecision", () => {
  function decide(overrides: Partial<Parameters<typeof retentionDecision>[0]> = {}) {
    return retentionDecision({ today: TODAY, youth: CHILD, status: "actief", einddatum: "2025-12-01", archivedOn: null, ...overrides });
  }

  it("keeps an active signal before and on its end date", () => {
    expect(decide()).toEqual({ action: "keep" });
    expect(decide({ einddatum: TODAY })).toEqual({ action: "keep" });
  });

  it("archives an active signal the day after its end date, dated the day after the end date", () => {
    expect(decide({ einddatum: "2025-06-14" })).toEqual({ action: "archive", reason: "einddatum-verstreken", archivedOn: TODAY });
    expect(decide({ einddatum: "2025-05-01" })).toEqual({ action: "archive", reason: "einddatum-verstreken", archivedOn: "2025-05-02" });
  });

  it("deletes an active signal whose end date passed more than five years ago", () => {
    expect(decide({ einddatum: "2020-06-14" })).toEqual({ action: "delete", reason: "archieftermijn-verstreken" });
    expect(decide({ einddatum: "2020-06-15" })).toEqual({ action: "archive", reason: "einddatum-verstreken", archivedOn: "2020-06-16" });
  });

  it("deletes an archived signal on the day five years after archiving, not the day before", () => {
    const archived = { status: "gearchiveerd" as const, einddatum: "2020-01-01" };
    expect(decide({ ...archived, archivedOn: "2020-06-15" })).toEqual({ action: "delete", reason: "archieftermijn-verstreken" });
    expect(decide({ ...archived, archivedOn: "2020-06-16" })).toEqual({ action: "keep" });
  });

  it("counts the archive term from 29 February to 1 March", () => {
    const archived = { status: "gearchiveerd" as const, einddatum: "2024-02-01", archivedOn: "2024-02-29" };
    expect(decide({ ...archived, today: "2029-02-28" })).toEqual({ action: "keep" });
    expect(decide({ ...archived, today: "2029-03-01" })).toEqual({ action: "delete", reason: "archieftermijn-verstreken" });
  });

  it("deletes every signal on the 23rd birthday, archived ones too, without archiving", () => {
    const youth = { birthDate: "2002-06-15", deceasedOn: null };
    expect(decide({ youth })).toEqual({ action: "delete", reason: "23-jaar" });
    expect(decide({ youth, status: "gearchiveerd", archivedOn: "2025-01-01" })).toEqual({ action: "delete", reason: "23-jaar" });
    expect(decide({ youth, einddatum: "2025-06-14" })).toEqual({ action: "delete", reason: "23-jaar" });
  });

  it("keeps a signal the day before the 23rd birthday", () => {
    expect(decide({ youth: { birthDate: "2002-06-16", deceasedOn: null } })).toEqual({ action: "keep" });
  });

  it("deletes every signal of a deceased youth, before any other rule", () => {
    const dead = { birthDate: "2000-01-01", deceasedOn: TODAY };
    expect(decide({ youth: dead })).toEqual({ action: "delete", reason: "overleden" });
    expect(decide({ youth: { ...dead, deceasedOn: "2024-01-01" }, status: "gearchiveerd", archivedOn: "2019-01-01" })).toEqual({
      action: "delete",
      reason: "overleden",
    });
  });

  it("deletes every signal of a youth whose death the BRP records without a date", () => {
    expect(decide({ youth: { ...CHILD, deceased: true } })).toEqual({ action: "delete", reason: "overleden" });
    expect(decide({ youth: { birthDate: null, deceasedOn: null, deceased: true }, status: "gearchiveerd", archivedOn: "2025-01-01" })).toEqual({
      action: "delete",
      reason: "overleden",
    });
  });

  it("does not act on a date of death after today", () => {
    expect(decide({ youth: { ...CHILD, deceasedOn: "2025-06-16" } })).toEqual({ action: "keep" });
  });

  it("applies every rule but the 23rd birthday to a youth whose date of birth the BRP no longer knows", () => {
    const unknown = { birthDate: null, deceasedOn: null };
    expect(decide({ youth: unknown })).toEqual({ action: "keep" });
    expect(decide({ youth: unknown, einddatum: "2025-06-14" })).toEqual({ action: "archive", reason: "einddatum-verstreken", archivedOn: TODAY });
    expect(decide({ youth: { birthDate: null, deceasedOn: "2025-01-01" } })).toEqual({ action: "delete", reason: "overleden" });
  });

  it("refuses an archived signal without an archive date", () => {
    expect(() => decide({ status: "gearchiveerd", archivedOn: null })).toThrow(RangeError);
  });

  it("never archives or keeps a signal of a youth of 23 or over (property)", () => {
    fc.assert(
      fc.property(
        isoDateArb,
        fc.integer({ min: 0, max: 40 * 366 }),
        fc.constantFrom("actief" as const, "gearchiveerd" as const),
        fc.integer({ min: -4000, max: 800 }),
        fc.integer({ min: 0, max: 4000 }),
        (today, ageInDays, status, endOffset, archivedAgo) => {
          const youth = { birthDate: addDays(today, -ageInDays), deceasedOn: null };
          const decision = retentionDecision({
            today,
            youth,
            status,
            einddatum: addDays(today, endOffset),
            archivedOn: status === "gearchiveerd" ? addDays(today, -archivedAgo) : null,
          });
          if (ageOn(youth.birthDate, today) >= 23) {
            expect(decision).toEqual({ action: "delete", reason: "23-jaar" });
          } else {
            expect(decision).not.toEqual({ action: "delete", reason: "23-jaar" });
          }
          if (decision.action === "archive") {
            expect(compareDates(decision.archivedOn, today)).toBeLessThanOrEqual(0);
            expect(compareDates(addYears(decision.archivedOn, ARCHIVE_YEARS), today)).toBeGreaterThan(0);
          }
        },
      ),
    );
  });
});

describe("youthInScope: the age and death rules where the data is used", () => {
  it("takes a youth out of the index on the 23rd birthday, not a day before, whether or not retention ran", () => {
    expect(codeOf(youthInScope(TODAY, { birthDate: "2002-06-16", deceasedOn: null }))).toBe("ok");
    expect(codeOf(youthInScope(TODAY, { birthDate: "2002-06-15", deceasedOn: null }))).toBe("JEUGDIGE_TE_OUD");
  });
  it("takes a youth out on the day of death, and at once for a death without a date", () => {
    expect(codeOf(youthInScope(TODAY, { ...CHILD, deceasedOn: TODAY }))).toBe("JEUGDIGE_OVERLEDEN");
    expect(codeOf(youthInScope(TODAY, { ...CHILD, deceasedOn: "2025-06-16" }))).toBe("ok");
    expect(codeOf(youthInScope(TODAY, { ...CHILD, deceased: true }))).toBe("JEUGDIGE_OVERLEDEN");
  });
  it("keeps a youth whose date of birth the BRP no longer knows", () => {
    expect(codeOf(youthInScope(TODAY, { birthDate: null, deceasedOn: null }))).toBe("ok");
  });
  it("agrees with retention: what the job deletes for age or death is out of scope (property)", () => {
    fc.assert(
      fc.property(isoDateArb, fc.integer({ min: 0, max: 40 * 366 }), fc.option(fc.integer({ min: -400, max: 400 })), (today, ageInDays, deathOffset) => {
        const youth = { birthDate: addDays(today, -ageInDays), deceasedOn: deathOffset === null ? null : addDays(today, deathOffset) };
        const d = retentionDecision({ today, youth, status: "actief", einddatum: addDays(today, 1), archivedOn: null });
        const removed = d.action === "delete" && (d.reason === "23-jaar" || d.reason === "overleden");
        expect(youthInScope(today, youth).ok).toBe(!removed);
      }),
    );
  });
});

describe("planRegistration: whom and when the professional informed", () => {
  it("records by default whom the age rules require, today", () => {
    expect(register()).toMatchObject({ ok: true, value: { informed: { wie: "ouders", op: TODAY } } });
    expect(register({ geinformeerd: false, redenNietGeinformeerd: "nog-niet-bereikt" })).toMatchObject({ ok: true, value: { informed: null } });
  });
  it("refuses whom and when together with 'not informed'", () => {
    expect(codeOf(register({ geinformeerd: false, redenNietGeinformeerd: "nog-niet-bereikt", geinformeerdWie: "ouders" }))).toBe("GEINFORMEERD_TEGENSTRIJDIG");
  });
  it("refuses informing fewer people than the age rules require, and a day after today", () => {
    expect(codeOf(register({ geinformeerdWie: "jeugdige" }))).toBe("GEINFORMEERD_ONVOLLEDIG");
    expect(codeOf(register({ geinformeerdOp: "2025-06-16" }))).toBe("GEINFORMEERD_OP_IN_TOEKOMST");
    expect(register({ geinformeerdWie: "ouders-en-jeugdige", geinformeerdOp: "2025-06-01" })).toMatchObject({
      ok: true,
      value: { informed: { wie: "ouders-en-jeugdige", op: "2025-06-01" } },
    });
  });
});

describe("planLaterInforming", () => {
  it("records the informing of an active signal, checked like at registration", () => {
    expect(planLaterInforming({ today: TODAY, status: "actief", youth: CHILD })).toEqual({ ok: true, value: { wie: "ouders", op: TODAY } });
    const r = planLaterInforming({ today: TODAY, status: "actief", youth: CHILD, wie: "jeugdige" });
    expect(codeOf(r)).toBe("GEINFORMEERD_ONVOLLEDIG");
    if (!r.ok) expect(r.error.field).toBe("wie");
  });
  it("refuses an archived signal and a youth no longer in the index", () => {
    expect(codeOf(planLaterInforming({ today: TODAY, status: "gearchiveerd", youth: CHILD }))).toBe("SIGNAAL_NIET_ACTIEF");
    expect(codeOf(planLaterInforming({ today: TODAY, status: "actief", youth: { birthDate: "2002-06-15", deceasedOn: null } }))).toBe("JEUGDIGE_TE_OUD");
  });
});
