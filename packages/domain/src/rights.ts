/**
 * The gemeente's AVG desk (AVG art. 15-21, the college as controller) and the
 * organisation coordinator (Jeugdwet 7.1.3.3): who may act, and the closed
 * list of reasons for removing a signal that should not be there.
 */

/**
 * Why the privacy officer removes a signal: a closed list, never free text (the
 * reasoning belongs in the gemeente's own file of the request).
 */
export const AVG_REMOVAL_REASONS = [
  /** The signal was registered on the wrong youth (a wrong BSN). */
  "verkeerde-jeugdige",
  /** The professional was not (or no longer) involved with the youth. */
  "geen-betrokkenheid",
  /** The organisation or professional had no basis to signal (no convenant, no designation). */
  "geen-grondslag",
  /** An objection (AVG art. 21) or request for erasure (art. 17) was granted. */
  "verzoek-toegewezen",
] as const;
export type AvgRemovalReason = (typeof AVG_REMOVAL_REASONS)[number];

export function isAvgRemovalReason(value: unknown): value is AvgRemovalReason {
  return typeof value === "string" && (AVG_REMOVAL_REASONS as readonly string[]).includes(value);
}

/** The register's facts about a person that decide these roles. */
export interface RoleFacts {
  email?: string;
  rol: string;
  organisatieId: string;
  gemeente?: string | null;
  signaleringsbevoegd?: boolean;
}

/** Only the privacy officer the register names for this gemeente handles its AVG requests. */
export function isPrivacyOfficerOf(person: RoleFacts | undefined, gemeenteCode: string): boolean {
  return person?.rol === "privacyfunctionaris" && person.gemeente === gemeenteCode;
}

export type HandoverRefusal = "GEEN_COORDINATOR" | "ANDERE_ORGANISATIE" | "ZELFDE_PROFESSIONAL" | "OPVOLGER_NIET_BEVOEGD";

/**
 * May this coordinator hand the signals of `from` to `to`? Both must be professionals of the coordinator's own
 * organisation (per the register), different people, and the successor designated (signaleringsbevoegd) now.
 */
export function handoverAllowed(coordinator: RoleFacts, from: RoleFacts | undefined, to: RoleFacts | undefined): HandoverRefusal | null {
  if (coordinator.rol !== "coordinator") return "GEEN_COORDINATOR";
  if (!from || !to || from.organisatieId !== coordinator.organisatieId || to.organisatieId !== coordinator.organisatieId) return "ANDERE_ORGANISATIE";
  if (from.email === to.email) return "ZELFDE_PROFESSIONAL";
  if (to.rol !== "professional" || !to.signaleringsbevoegd) return "OPVOLGER_NIET_BEVOEGD";
  return null;
}
