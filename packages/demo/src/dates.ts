/** Calendar-date helpers on 'YYYY-MM-DD' strings. Pure; computed in UTC so no time zone can shift a day. */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function parseDate(date: string): { y: number; m: number; d: number } {
  const match = ISO_DATE.exec(date);
  if (!match) throw new Error(`Ongeldige datum: ${date} (verwacht JJJJ-MM-DD)`);
  const y = Number(match[1]);
  const m = Number(match[2]);
  const d = Number(match[3]);
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) throw new Error(`Ongeldige datum: ${date}`);
  return { y, m, d };
}

export function isValidDate(date: string): boolean {
  try {
    parseDate(date);
    return true;
  } catch {
    return false;
  }
}

export function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

export function formatDate(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** Date plus a number of days (may be negative). */
export function addDays(date: string, days: number): string {
  const { y, m, d } = parseDate(date);
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return formatDate(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/** Date minus years and months; the day is clamped to the end of the resulting month. */
export function subtractYearsMonths(date: string, years: number, months = 0): string {
  const { y, m, d } = parseDate(date);
  const total = y * 12 + (m - 1) - years * 12 - months;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  return formatDate(ny, nm, Math.min(d, daysInMonth(ny, nm)));
}

/** Whole days from a to b (b - a). */
export function daysBetween(a: string, b: string): number {
  const pa = parseDate(a);
  const pb = parseDate(b);
  return Math.round((Date.UTC(pb.y, pb.m - 1, pb.d) - Date.UTC(pa.y, pa.m - 1, pa.d)) / 86_400_000);
}

/** Age in whole years on `peildatum` of someone born on `geboortedatum`. */
export function leeftijdOp(geboortedatum: string, peildatum: string): number {
  const b = parseDate(geboortedatum);
  const p = parseDate(peildatum);
  let age = p.y - b.y;
  if (p.m < b.m || (p.m === b.m && p.d < b.d)) age -= 1;
  return age;
}

/** Today's calendar date in Europe/Amsterdam as 'YYYY-MM-DD'. */
export function todayInAmsterdam(now: Date = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Amsterdam", year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}
