import { describe, expect, it } from "vitest";
import { DEFAULT_REGIE_ORDER, followUpOutcome, proposeRegievoerder, reminderDue } from "../src/matchregie";

const at = (iso: string) => new Date(iso);

describe("the regievoerder the region's rule proposes", () => {
  it("puts jeugdhulp before onderwijs, whoever signalled first", () => {
    const school = { signalId: "a", domain: "onderwijs", active: true, registeredAt: at("2026-01-01T09:00:00Z") };
    const wijkteam = { signalId: "b", domain: "jeugdhulp", active: true, registeredAt: at("2026-02-01T09:00:00Z") };
    expect(proposeRegievoerder([school, wijkteam])).toBe("b");
    expect(proposeRegievoerder([wijkteam, school])).toBe("b");
  });

  it("follows the order the region sets, and ranks a category outside it last", () => {
    const school = { signalId: "a", domain: "onderwijs", active: true, registeredAt: at("2026-01-02T09:00:00Z") };
    const ggd = { signalId: "b", domain: "jeugdgezondheidszorg", active: true, registeredAt: at("2026-01-01T09:00:00Z") };
    const other = { signalId: "c", domain: "sport", active: true, registeredAt: at("2025-01-01T09:00:00Z") };
    expect(proposeRegievoerder([school, ggd, other], ["onderwijs", "jeugdgezondheidszorg"])).toBe("a");
    expect(proposeRegievoerder([school, ggd, other])).toBe("b");
    expect(proposeRegievoerder([other], DEFAULT_REGIE_ORDER)).toBe("c");
  });

  it("breaks a tie by who signalled first, and never proposes someone no longer involved", () => {
    const first = { signalId: "z", domain: "onderwijs", active: true, registeredAt: at("2026-01-01T09:00:00Z") };
    const second = { signalId: "a", domain: "onderwijs", active: true, registeredAt: at("2026-01-03T09:00:00Z") };
    expect(proposeRegievoerder([second, first])).toBe("z");
    const archived = { signalId: "b", domain: "jeugdhulp", active: false, registeredAt: at("2025-01-01T09:00:00Z") };
    expect(proposeRegievoerder([archived, second])).toBe("a");
    expect(proposeRegievoerder([archived])).toBeNull();
  });
});

describe("a reminder for a match without contact", () => {
  const base = { madeAt: at("2026-03-01T10:00:00Z"), status: "geen-contact" as const, remindedAt: null, days: 14 };
  it("is due once the configured number of days has passed, not before", () => {
    expect(reminderDue({ ...base, now: at("2026-03-15T09:59:59Z") })).toBe(false);
    expect(reminderDue({ ...base, now: at("2026-03-15T10:00:00Z") })).toBe(true);
  });
  it("is not due once contact was made, once it was sent, or when reminders are off", () => {
    const now = at("2026-04-01T10:00:00Z");
    expect(reminderDue({ ...base, now, status: "contact-gelegd" })).toBe(false);
    expect(reminderDue({ ...base, now, remindedAt: at("2026-03-20T10:00:00Z") })).toBe(false);
    expect(reminderDue({ ...base, now, days: 0 })).toBe(false);
  });
});

describe("the follow-up of a match in the region's figures", () => {
  const madeAt = at("2026-03-01T10:00:00Z");
  const days = 14;
  it("is judged only once the term has passed", () => {
    expect(followUpOutcome({ madeAt, contactAt: at("2026-03-02T10:00:00Z"), now: at("2026-03-15T09:59:59Z"), days })).toBe("te-vroeg");
    expect(followUpOutcome({ madeAt, contactAt: null, now: at("2026-03-15T10:00:00Z"), days })).toBe("niet-binnen-termijn");
  });
  it("counts contact recorded within the term, to the millisecond, and not a moment later", () => {
    const now = at("2026-04-01T10:00:00Z");
    expect(followUpOutcome({ madeAt, contactAt: at("2026-03-15T10:00:00Z"), now, days })).toBe("binnen-termijn");
    expect(followUpOutcome({ madeAt, contactAt: at("2026-03-15T10:00:00.001Z"), now, days })).toBe("niet-binnen-termijn");
  });
});
