/**
 * Calendar-date helpers on 'YYYY-MM-DD' strings, as the demo data and the
 * generator use them: thin names over the domain's own date rules, so the
 * fake BRP and the domain never disagree about a day or an age.
 */
import { addDays as domainAddDays, addMonths, ageOn, amsterdamDateOf, daysBetween as domainDaysBetween, isIsoDate } from "@vi/domain";

export function isValidDate(date: string): boolean {
  return isIsoDate(date);
}

/** Date plus a number of days (may be negative). */
export function addDays(date: string, days: number): string {
  return domainAddDays(date, days);
}

/** Date minus years and months; the day is clamped to the end of the resulting month. */
export function subtractYearsMonths(date: string, years: number, months = 0): string {
  return addMonths(date, -(years * 12 + months));
}

/** Whole days from a to b (b - a). */
export function daysBetween(a: string, b: string): number {
  return domainDaysBetween(a, b);
}

/** Age in whole years on `peildatum` of someone born on `geboortedatum`. */
export function leeftijdOp(geboortedatum: string, peildatum: string): number {
  return ageOn(geboortedatum, peildatum);
}

/** Today's calendar date in Europe/Amsterdam as 'YYYY-MM-DD'. */
export function todayInAmsterdam(now: Date = new Date()): string {
  return amsterdamDateOf(now);
}
