import { describe, expect, it } from "vitest";
import { normaliseFactsWithoutBsn, normaliseSurname } from "../src";

const TODAY = "2026-12-05";

describe("the facts of a youth without a BSN, normalised", () => {
  it("one surname whatever the case, spacing or accents", () => {
    for (const n of ["Demir", "  DEMIR ", "Démir", "DEMİR", "demir"]) expect(normaliseSurname(n)).toBe("demir");
    expect(normaliseSurname("van  der\tBerg")).toBe("van der berg");
    expect(normaliseSurname("Öztürk")).toBe("ozturk");
  });

  it("gives the canonical value <surname>|<date>|<sex>, sex M/V/O in any case", () => {
    const r = normaliseFactsWithoutBsn({ geslachtsnaam: " Demir ", geboortedatum: " 2019-12-05 ", geslacht: "m" }, TODAY);
    expect(r).toEqual({ ok: true, value: { geslachtsnaam: "demir", geboortedatum: "2019-12-05", geslacht: "M", canonical: "demir|2019-12-05|M" } });
  });

  it("refuses an empty surname, a date that is not ISO, in the future or does not exist, and another sex", () => {
    const code = (f: { geslachtsnaam: string; geboortedatum: string; geslacht: string }) => {
      const r = normaliseFactsWithoutBsn(f, TODAY);
      return r.ok ? "ok" : `${r.error.code}:${r.error.field}`;
    };
    expect(code({ geslachtsnaam: " ", geboortedatum: "2019-12-05", geslacht: "M" })).toBe("FEITEN_ONGELDIG:geslachtsnaam");
    expect(code({ geslachtsnaam: "123", geboortedatum: "2019-12-05", geslacht: "M" })).toBe("FEITEN_ONGELDIG:geslachtsnaam");
    expect(code({ geslachtsnaam: "Demir", geboortedatum: "05-12-2019", geslacht: "M" })).toBe("FEITEN_ONGELDIG:geboortedatum");
    expect(code({ geslachtsnaam: "Demir", geboortedatum: "2019-02-30", geslacht: "M" })).toBe("FEITEN_ONGELDIG:geboortedatum");
    expect(code({ geslachtsnaam: "Demir", geboortedatum: "2026-12-06", geslacht: "M" })).toBe("FEITEN_ONGELDIG:geboortedatum");
    expect(code({ geslachtsnaam: "Demir", geboortedatum: "2019-12-05", geslacht: "X" })).toBe("FEITEN_ONGELDIG:geslacht");
  });
});
