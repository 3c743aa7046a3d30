import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { addDays, addMonths, addYears, compareDates, daysBetween, formatDutchDate, isIsoDate, minDate } from "../src/index";
import { isoDateArb, oracleAddDays } from "./arbitraries";

describe("isIsoDate", () => {
  it("accepts real calendar dates in strict YYYY-MM-DD form", () => {
    expect(isIsoDate("2025-06-15")).toBe(true);
    expect(isIsoDate("2024-02-29")).toBe(true);
    expect(isIsoDate("2000-02-29")).toBe(true);
    expect(isIsoDate("0001-01-01")).toBe(true);
    expect(isIsoDate("9999-12-31")).toBe(true);
  });

  it("refuses dates that do not exist", () => {
    expect(isIsoDate("2023-02-29")).toBe(false);
    expect(isIsoDate("1900-02-29")).toBe(false);
    expect(isIsoDate("2025-04-31")).toBe(false);
    expect(isIsoDate("2025-13-01")).toBe(false);
    expect(isIsoDate("2025-00-10")).toBe(false);
    expect(isIsoDate("2025-01-00")).toBe(false);
    expect(isIsoDate("0000-01-01")).toBe(false);
  });

  it("refuses anything that is not exactly YYYY-MM-DD", () => {
    for (const s of ["2025-6-15", "2025-06-15T00:00:00Z", " 2025-06-15", "2025/06/15", "15-06-2025", "", "20250615", "２０２５-06-15"]) {
      expect(isIsoDate(s), s).toBe(false);
    }
  });
});

describe("addDays", () => {
  it("crosses month, year and leap-day boundaries", () => {
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addDays("2023-02-28", 1)).toBe("2023-03-01");
    expect(addDays("2024-12-31", 1)).toBe("2025-01-01");
    expect(addDays("2025-01-01", -1)).toBe("2024-12-31");
    expect(addDays("2025-03-01", -1)).toBe("2025-02-28");
    expect(addDays("2025-06-15", 0)).toBe("2025-06-15");
  });

  it("throws a RangeError on a malformed date or a non-integer count", () => {
    expect(() => addDays("2025-02-30", 1)).toThrow(RangeError);
    expect(() => addDays("2025-06-15", 1.5)).toThrow(RangeError);
  });

  it("agrees with JS Date arithmetic (property)", () => {
    fc.assert(
      fc.property(isoDateArb, fc.integer({ min: -40_000, max: 40_000 }), (d, n) => {
        expect(addDays(d, n)).toBe(oracleAddDays(d, n));
      }),
    );
  });

  it("is undone by adding the opposite number of days (property)", () => {
    fc.assert(
      fc.property(isoDateArb, fc.integer({ min: -100_000, max: 100_000 }), (d, n) => {
        expect(addDays(addDays(d, n), -n)).toBe(d);
        expect(daysBetween(d, addDays(d, n))).toBe(n);
      }),
    );
  });
});

describe("addMonths", () => {
  it("clamps to the end of a shorter month", () => {
    expect(addMonths("2025-01-31", 1)).toBe("2025-02-28");
    expect(addMonths("2024-01-31", 1)).toBe("2024-02-29");
    expect(addMonths("2025-03-31", 1)).toBe("2025-04-30");
    expect(addMonths("2024-02-29", 12)).toBe("2025-02-28");
  });

  it("crosses year boundaries in both directions", () => {
    expect(addMonths("2025-11-15", 3)).toBe("2026-02-15");
    expect(addMonths("2025-01-15", -1)).toBe("2024-12-15");
    expect(addMonths("2025-06-15", 24)).toBe("2027-06-15");
  });
});

describe("addYears", () => {
  it("moves 29 February to 1 March in a non-leap year (the birthday rule)", () => {
    expect(addYears("2024-02-29", 1)).toBe("2025-03-01");
    expect(addYears("2024-02-29", 2)).toBe("2026-03-01");
    expect(addYears("2024-02-29", -1)).toBe("2023-03-01");
  });

  it("keeps 29 February in a leap year", () => {
    expect(addYears("2024-02-29", 4)).toBe("2028-02-29");
    expect(addYears("1996-02-29", 4)).toBe("2000-02-29");
    expect(addYears("2096-02-29", 4)).toBe("2100-03-01");
  });

  it("keeps the day and month of any other date", () => {
    expect(addYears("2025-06-15", 2)).toBe("2027-06-15");
    expect(addYears("2024-02-28", 1)).toBe("2025-02-28");
  });
});

describe("compareDates", () => {
  it("orders dates chronologically", () => {
    expect(compareDates("2025-06-15", "2025-06-16")).toBeLessThan(0);
    expect(compareDates("2025-06-16", "2025-06-15")).toBeGreaterThan(0);
    expect(compareDates("2025-06-15", "2025-06-15")).toBe(0);
    expect(compareDates("1999-12-31", "2000-01-01")).toBeLessThan(0);
  });

  it("throws on a malformed date instead of comparing strings", () => {
    expect(() => compareDates("2025-6-1", "2025-06-01")).toThrow(RangeError);
  });

  it("agrees with the order of days (property)", () => {
    fc.assert(
      fc.property(isoDateArb, fc.integer({ min: -5000, max: 5000 }), (d, n) => {
        expect(Math.sign(compareDates(d, addDays(d, n)))).toBe(n === 0 ? 0 : -Math.sign(n));
        expect(minDate(d, addDays(d, n))).toBe(n < 0 ? addDays(d, n) : d);
      }),
    );
  });
});

describe("formatDutchDate", () => {
  it("writes a date the way a Dutch professional reads it", () => {
    expect(formatDutchDate("2026-03-01")).toBe("1 maart 2026");
    expect(formatDutchDate("2025-12-31")).toBe("31 december 2025");
  });
});
