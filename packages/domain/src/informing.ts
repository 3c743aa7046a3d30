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
