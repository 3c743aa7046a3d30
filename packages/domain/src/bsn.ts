/**
 * BSN (burgerservicenummer): exactly nine ASCII digits passing the elfproef:
 * 9*d1 + 8*d2 + 7*d3 + 6*d4 + 5*d5 + 4*d6 + 3*d7 + 2*d8 - 1*d9 divisible by 11.
 * 000000000 passes that arithmetic but is refused.
 *
 * No trimming or removal of dots/spaces: the caller passes what it means.
 */
import { fail, ok, type Result } from "./errors";

const WEIGHTS = [9, 8, 7, 6, 5, 4, 3, 2, -1] as const;

/** The elfproef sum of a string of nine digits. */
export function elfproefSum(nineDigits: string): number {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(nineDigits[i]) * (WEIGHTS[i] ?? 0);
  return sum;
}

export function bsnCheck(input: string): Result<string> {
  if (typeof input !== "string" || !/^[0-9]{9}$/.test(input)) {
    return fail("BSN_ONGELDIG", "Een BSN bestaat uit precies 9 cijfers, zonder spaties of punten. Controleer het ingevoerde nummer.", "bsn");
  }
  if (input === "000000000") {
    return fail("BSN_ONGELDIG", "000000000 is geen geldig BSN. Vul het BSN van de jeugdige in.", "bsn");
  }
  if (elfproefSum(input) % 11 !== 0) {
    return fail(
      "BSN_ONGELDIG",
      "Dit BSN bestaat niet: het voldoet niet aan de elfproef (controle op typefouten). Controleer of u alle cijfers goed hebt overgenomen.",
      "bsn",
    );
  }
  return ok(input);
}

export function isValidBsn(input: string): boolean {
  return bsnCheck(input).ok;
}
