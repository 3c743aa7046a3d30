/** Shared fast-check arbitraries and helpers for the domain tests. */
import fc from "fast-check";

const WEIGHTS = [9, 8, 7, 6, 5, 4, 3, 2];

/** Valid BSNs built independently of the code under test: the 9th digit is the weighted sum of the first 8 mod 11. */
export const validBsnArb = fc
  .array(fc.integer({ min: 0, max: 9 }), { minLength: 8, maxLength: 8 })
  .map((digits) => {
    const sum = digits.reduce((acc, d, i) => acc + d * (WEIGHTS[i] ?? 0), 0);
    return { digits, check: sum % 11 };
  })
  .filter(({ digits, check }) => check < 10 && !(check === 0 && digits.every((d) => d === 0)))
  .map(({ digits, check }) => digits.join("") + String(check));

/** ISO dates between 1900 and 2100, derived from JS Date (an oracle independent of dates.ts). */
export const isoDateArb = fc
  .integer({ min: Date.UTC(1900, 0, 1) / 86_400_000, max: Date.UTC(2100, 11, 31) / 86_400_000 })
  .map((day) => new Date(day * 86_400_000).toISOString().slice(0, 10));

/** JS-Date based day arithmetic, used as an oracle. */
export function oracleAddDays(d: string, n: number): string {
  return new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}
