/**
 * Who must be informed about a signal (Jeugdwet 7.1, the seed guide):
 * under 12 the parents; 12 to 15 the parents and the youth; 16 and over the
 * youth alone (the parents only with the youth's consent).
 */
export type InformTarget = "ouders" | "ouders-en-jeugdige" | "jeugdige";

/** `age` in completed years (see ageOn); a negative or non-integer age throws a RangeError. */
export function whoMustBeInformed(age: number): InformTarget {
  if (!Number.isSafeInteger(age) || age < 0) throw new RangeError(`age must be a non-negative integer, got ${age}`);
  if (age < 12) return "ouders";
  if (age < 16) return "ouders-en-jeugdige";
  return "jeugdige";
}

/**
 * Why the youth or the parents were not (yet) informed: a closed list, never
 * free text. The index holds no content; the seed guide says the reason
 * itself goes in the professional's own file. The professional informs later
 * and records that (see the informing of a signal).
 */
export const NOT_INFORMED_REASONS = ["nog-niet-bereikt", "onveilig-voor-jeugdige", "onveilig-voor-ander", "andere-reden-in-eigen-dossier"] as const;
export type NotInformedReason = (typeof NOT_INFORMED_REASONS)[number];

export function isNotInformedReason(value: unknown): value is NotInformedReason {
  return typeof value === "string" && (NOT_INFORMED_REASONS as readonly string[]).includes(value);
}

/**
 * A stored or received reason as the closed list knows it: a value outside
 * the list (free text from before the list, or from an older node) becomes
 * `andere-reden-in-eigen-dossier`, so its text is never kept.
 */
export function closedReason(value: string | null): NotInformedReason | null {
  if (value === null) return null;
  return isNotInformedReason(value) ? value : "andere-reden-in-eigen-dossier";
}
