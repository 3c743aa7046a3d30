import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { addDays, ageOn, birthdayAt, compareDates, isUnderMaxAge, MAX_AGE } from "../src/index";
import { isoDateArb } from "./arbitraries";

describe("ageOn", () => {
  it("counts completed years: the day before the birthday, on it, and after", () => {
    expect(ageOn("2002-06-15", "2025-06-14")).toBe(22);
    expect(ageOn("2002-06-15", "2025-06-15")).toBe(23);
    expect(ageOn("2002-06-15", "2025-06-16")).toBe(23);
    expect(ageOn("2015-01-01", "2025-12-31")).toBe(10);
  });

  it("is 0 on the day of birth and negative before it", () => {
    expect(ageOn("2025-06-15", "2025-06-15")).toBe(0);
    expect(ageOn("2025-06-15", "2025-06-14")).toBe(-1);
  });

  it("lets someone born on 29 February age on 1 March in a non-leap year", () => {
    expect(ageOn("2008-02-29", "2031-02-28")).toBe(22);
    expect(ageOn("2008-02-29", "2031-03-01")).toBe(23);
    expect(ageOn("2004-02-29", "2024-02-28")).toBe(19);
    expect(ageOn("2004-02-29", "2024-02-29")).toBe(20);
  });

  it("never decreases as time goes on (property)", () => {
    fc.assert(
      fc.property(isoDateArb, isoDateArb, fc.integer({ min: 0, max: 3000 }), (birth, on, later) => {
        expect(ageOn(birth, addDays(on, later))).toBeGreaterThanOrEqual(ageOn(birth, on));
      }),
    );
  });

  it("changes exactly on each birthday (property)", () => {
    fc.assert(
      fc.property(isoDateArb, fc.integer({ min: 1, max: 80 }), (birth, years) => {
        const day = birthdayAt(birth, years);
        expect(ageOn(birth, day)).toBe(years);
        expect(ageOn(birth, addDays(day, -1))).toBe(years - 1);
      }),
    );
  });
});

describe("birthdayAt", () => {
  it("gives the date on which someone turns the given age", () => {
    expect(birthdayAt("2002-06-15", 23)).toBe("2025-06-15");
    expect(birthdayAt("2008-02-29", 23)).toBe("2031-03-01");
    expect(birthdayAt("2004-02-29", 20)).toBe("2024-02-29");
  });

  it("is strictly increasing in the age (property)", () => {
    fc.assert(
      fc.property(isoDateArb, fc.integer({ min: 0, max: 80 }), (birth, years) => {
        expect(compareDates(birthdayAt(birth, years), birthdayAt(birth, years + 1))).toBeLessThan(0);
      }),
    );
  });
});

describe("isUnderMaxAge", () => {
  it("is true the day before the 23rd birthday and false on it", () => {
    expect(MAX_AGE).toBe(23);
    expect(isUnderMaxAge("2002-06-15", "2025-06-14")).toBe(true);
    expect(isUnderMaxAge("2002-06-15", "2025-06-15")).toBe(false);
  });

  it("turns false on 1 March for a 29 February birth in a non-leap year", () => {
    expect(isUnderMaxAge("2008-02-29", "2031-02-28")).toBe(true);
    expect(isUnderMaxAge("2008-02-29", "2031-03-01")).toBe(false);
  });
});
