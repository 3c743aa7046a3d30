/**
 * Small-cell suppression of the region's figures (MISSION.md: the convenantmanager sees aggregate figures, not
 * persons; docs/adr/0031). A count from 1 to 4 could point at a person in a small gemeente or domain, so it is
 * published as "< 5"; 0 says nothing about anyone and is shown. Where a total of a group is published beside its
 * parts, one suppressed part could be recovered by subtraction: then the smallest other non-zero part is suppressed
 * too (complementary suppression).
 */

/** The smallest count that is published as a number. */
export const SMALL_CELL_MINIMUM = 5;

/** What is published of one count: the number, or null for "< 5". */
export interface PublishedCount {
  aantal: number | null;
  /** As people read it: "12", "0" or "< 5". */
  weergave: string;
}

export const SUPPRESSED_TEXT = "< 5";

export function isSmallCell(n: number): boolean {
  return n > 0 && n < SMALL_CELL_MINIMUM;
}

export function publish(n: number): PublishedCount {
  return isSmallCell(n) ? { aantal: null, weergave: SUPPRESSED_TEXT } : { aantal: n, weergave: String(n) };
}

/**
 * The parts of a group whose total is published beside them: each small part suppressed, and when exactly one
 * part is suppressed, also the smallest other non-zero part (so it cannot be found as total minus the rest).
 */
export function publishGroup(parts: readonly number[]): PublishedCount[] {
  const suppressed = parts.map(isSmallCell);
  if (suppressed.filter(Boolean).length === 1) {
    let pick = -1;
    parts.forEach((n, i) => {
      if (!suppressed[i] && n > 0 && (pick < 0 || n < parts[pick]!)) pick = i;
    });
    if (pick >= 0) suppressed[pick] = true;
  }
  return parts.map((n, i) => (suppressed[i] ? { aantal: null, weergave: SUPPRESSED_TEXT } : { aantal: n, weergave: String(n) }));
}

/**
 * A share in percent (0-100, one decimal), published only when its denominator is published as a number and the
 * numerator is not a small cell, else null ("–" to readers).
 */
export function publishShare(numerator: number, denominator: number): number | null {
  if (denominator < SMALL_CELL_MINIMUM || isSmallCell(numerator) || isSmallCell(denominator - numerator)) return null;
  return Math.round((numerator / denominator) * 1000) / 10;
}
