import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { bsnCheck, isValidBsn } from "../src/index";
import { validBsnArb } from "./arbitraries";

const FIXTURE_BSNS = [
  "999900018",
  "999900079",
  "999900031",
  "999900043",
  "999900055",
  "999900067",
  "999900080",
  "999900092",
  "999900109",
  "999900122",
  "999900134",
  "999900146",
  "999900158",
  "999900171",
  "999900183",
  "999900195",
  "999900201",
];

describe("bsnCheck", () => {
  it.each(FIXTURE_BSNS)("accepts fixture BSN %s", (bsn) => {
    expect(bsnCheck(bsn)).toEqual({ ok: true, value: bsn });
    expect(isValidBsn(bsn)).toBe(true);
  });

  it("refuses 123456789 as failing the elfproef", () => {
    const result = bsnCheck("123456789");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("BSN_ONGELDIG");
    expect(result.error.field).toBe("bsn");
    expect(result.error.detail).toMatch(/elfproef/);
  });

  it("refuses 000000000 although its sum is divisible by 11", () => {
    const result = bsnCheck("000000000");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("BSN_ONGELDIG");
    expect(result.error.detail).toMatch(/000000000/);
  });

  it("tells a format error apart from a check digit error", () => {
    const format = bsnCheck("99990001");
    const check = bsnCheck("999900019");
    expect(format.ok || check.ok).toBe(false);
    if (format.ok || check.ok) return;
    expect(format.error.detail).toMatch(/9 cijfers/);
    expect(check.error.detail).toMatch(/elfproef/);
    expect(format.error.detail).not.toBe(check.error.detail);
  });

  it("uses weight -1 for the last digit (a +1 weight would accept this number)", () => {
    // first eight digits 10000000 weigh 9; last digit 2: 9 - 2 = 7 (invalid), whereas 9 + 2 = 11 would pass with weight +1
    expect(isValidBsn("100000002")).toBe(false);
    // 9 - 9 = 0: valid with weight -1
    expect(isValidBsn("100000009")).toBe(true);
  });

  it("refuses strings with spaces, signs or non-ASCII digits", () => {
    for (const s of ["", " 999900018", "999900018 ", "9999 00018", "+99990001", "99990001８", "9999000180", "99990001a", "999.900.018"]) {
      expect(isValidBsn(s), JSON.stringify(s)).toBe(false);
    }
  });

  it("accepts every generated valid BSN (property)", () => {
    fc.assert(
      fc.property(validBsnArb, (bsn) => {
        expect(isValidBsn(bsn)).toBe(true);
      }),
    );
  });

  it("refuses a valid BSN with any single digit changed (property)", () => {
    fc.assert(
      fc.property(validBsnArb, fc.integer({ min: 0, max: 8 }), fc.integer({ min: 1, max: 9 }), (bsn, position, delta) => {
        const digit = (Number(bsn[position]) + delta) % 10;
        const changed = bsn.slice(0, position) + String(digit) + bsn.slice(position + 1);
        expect(changed).not.toBe(bsn);
        expect(isValidBsn(changed)).toBe(false);
      }),
    );
  });

  it("refuses any string that is not exactly nine digits (property)", () => {
    const notNineDigits = fc
      .oneof(
        fc.string({ maxLength: 20 }),
        fc.stringMatching(/^[0-9]{0,8}$/),
        fc.stringMatching(/^[0-9]{10,14}$/),
        validBsnArb.chain((bsn) =>
          fc.tuple(fc.constant(bsn), fc.string({ minLength: 1, maxLength: 3 }), fc.boolean()).map(([b, extra, front]) => (front ? extra + b : b + extra)),
        ),
      )
      .filter((s) => !/^[0-9]{9}$/.test(s));
    fc.assert(
      fc.property(notNineDigits, (s) => {
        const result = bsnCheck(s);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.error.detail).toMatch(/9 cijfers/);
      }),
    );
  });
});
