/**
 * Calendar dates as ISO strings 'YYYY-MM-DD' (proleptic Gregorian calendar,
 * years 0001..9999). Pure integer arithmetic: no Date objects, no time zones.
 *
 * Functions taking an IsoDate throw a RangeError when handed something that is
 * not a real calendar date in that exact format (a programmer error: validate
 * user input with `isIsoDate` first).
 *
 * Leap day rule (used for birthdays and every "+ N years" in the domain):
 * adding whole years to 29 February lands on 1 March when the target year is
 * not a leap year. So someone born on 29 February 2008 turns 1 on 1 March 2009
 * and 23 on 1 March 2031, and a period of two years from 29 February 2024 ends
 * on 1 March 2026. `addMonths` instead clamps to the month end (31 January +
 * 1 month = 28/29 February; 29 February 2024 + 12 months = 28 February 2025).
 * The domain uses `addYears` for birthdays, the two-year maximum and the
 * five-year archive term, and `addMonths` only for the region's default
 * duration.
 */

export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

interface Ymd {
  y: number;
  m: number;
  d: number;
}

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

function tryParse(s: string): Ymd | null {
  if (typeof s !== "string") return null;
  const match = ISO_DATE.exec(s);
  if (!match) return null;
  const y = Number(match[1]);
  const m = Number(match[2]);
  const d = Number(match[3]);
  if (y < 1 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return null;
  return { y, m, d };
}

function parse(s: IsoDate): Ymd {
  const ymd = tryParse(s);
  if (!ymd) throw new RangeError(`Not an ISO calendar date (YYYY-MM-DD): ${JSON.stringify(s)}`);
  return ymd;
}

function format({ y, m, d }: Ymd): IsoDate {
  if (y < 1 || y > 9999) throw new RangeError(`Date out of supported range (years 0001..9999): year ${y}`);
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

function requireInteger(n: number, name: string): void {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${name} must be a safe integer, got ${n}`);
}

/** Days since 1970-01-01 (H. Hinnant's days_from_civil). */
function toDayNumber({ y, m, d }: Ymd): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = (m + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Inverse of toDayNumber (H. Hinnant's civil_from_days). */
function fromDayNumber(n: number): Ymd {
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

/** Strict 'YYYY-MM-DD' that is a real calendar date (year 0001..9999). */
export function isIsoDate(s: string): boolean {
  return tryParse(s) !== null;
}

export function addDays(d: IsoDate, n: number): IsoDate {
  requireInteger(n, "n");
  return format(fromDayNumber(toDayNumber(parse(d)) + n));
}

/** Adds calendar months, clamping to the last day of the target month. */
export function addMonths(d: IsoDate, n: number): IsoDate {
  requireInteger(n, "n");
  const { y, m, d: day } = parse(d);
  const index = y * 12 + (m - 1) + n;
  const ty = Math.floor(index / 12);
  const tm = index - ty * 12 + 1;
  if (ty < 1 || ty > 9999) throw new RangeError(`Date out of supported range (years 0001..9999): year ${ty}`);
  return format({ y: ty, m: tm, d: Math.min(day, daysInMonth(ty, tm)) });
}

/**
 * Adds whole years. 29 February in a non-leap target year becomes 1 March
 * (the birthday rule, see the module comment).
 */
export function addYears(d: IsoDate, n: number): IsoDate {
  requireInteger(n, "n");
  const { y, m, d: day } = parse(d);
  const ty = y + n;
  if (m === 2 && day === 29 && !isLeapYear(ty)) return format({ y: ty, m: 3, d: 1 });
  return format({ y: ty, m, d: day });
}

/** Negative when a is before b, 0 when equal, positive when a is after b. */
export function compareDates(a: IsoDate, b: IsoDate): number {
  const da = toDayNumber(parse(a));
  const db = toDayNumber(parse(b));
  return da < db ? -1 : da > db ? 1 : 0;
}

/** Number of days from a to b (positive when b is later). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return toDayNumber(parse(b)) - toDayNumber(parse(a));
}

export function minDate(a: IsoDate, b: IsoDate): IsoDate {
  return compareDates(a, b) <= 0 ? a : b;
}

const DUTCH_MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"] as const;

/** '2026-03-01' -> '1 maart 2026', for Dutch error details. */
export function formatDutchDate(d: IsoDate): string {
  const { y, m, d: day } = parse(d);
  return `${day} ${DUTCH_MONTHS[m - 1]} ${y}`;
}
