/**
 * Age in whole years. A birthday is `addYears(birthDate, years)`: someone born
 * on 29 February has their birthday on 1 March in non-leap years (so turns 23
 * on 1 March when that year is not a leap year).
 */
import { addYears, compareDates, type IsoDate } from "./dates";

/** Signals are only allowed for youths under 23; on the 23rd birthday they are removed. */
export const MAX_AGE = 23;

/** The date on which someone born on birthDate turns `years`. */
export function birthdayAt(birthDate: IsoDate, years: number): IsoDate {
  return addYears(birthDate, years);
}

/**
 * Completed years on `on`: the largest n with birthdayAt(birthDate, n) <= on.
 * Negative when `on` is before the birth date.
 */
export function ageOn(birthDate: IsoDate, on: IsoDate): number {
  const years = Number(on.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return compareDates(birthdayAt(birthDate, years), on) > 0 ? years - 1 : years;
}

/** True while the person is younger than MAX_AGE (23) on `on`. */
export function isUnderMaxAge(birthDate: IsoDate, on: IsoDate): boolean {
  return ageOn(birthDate, on) < MAX_AGE;
}
