/**
 * Inzage: a professional with a signal shows the parents and/or the youth what
 * the index holds. Checks, in order:
 * 1. secret address (BRP geheimhouding): INZAGE_GEHEIM_ADRES;
 * 2. living outside the participating gemeenten: INZAGE_BUITEN_REGIO;
 * 3. audience 'jeugdige' under 12: INZAGE_JEUGDIGE_TE_JONG;
 * 4. audience 'ouders': for a youth of 12..15 with a medical professional on
 *    the card, or for a youth of 16 or over, only with the youth's consent
 *    (INZAGE_TOESTEMMING_JEUGDIGE_NODIG).
 */
import { fail, ok, type Result } from "./errors";

export type InzageAudience = "ouders" | "jeugdige";

export function inzageEligibility(input: {
  age: number;
  secretAddress: boolean;
  livesInRegion: boolean;
  audience: InzageAudience;
  medicalProfessionalOnCard: boolean;
  youthConsent: boolean;
}): Result<{ audience: InzageAudience }> {
  const { age, audience } = input;
  if (!Number.isSafeInteger(age) || age < 0) throw new RangeError(`age must be a non-negative integer, got ${age}`);
  if (input.secretAddress) {
    return fail(
      "INZAGE_GEHEIM_ADRES",
      "Inzage is niet beschikbaar: voor deze jeugdige geldt geheimhouding van gegevens in de BRP. Bespreek de betrokkenheid zo nodig mondeling.",
    );
  }
  if (!input.livesInRegion) {
    return fail("INZAGE_BUITEN_REGIO", "Inzage is niet beschikbaar: de jeugdige woont buiten de deelnemende gemeenten van deze verwijsindex.");
  }
  if (audience === "jeugdige" && age < 12) {
    return fail("INZAGE_JEUGDIGE_TE_JONG", "Een jeugdige jonger dan 12 jaar krijgt geen eigen inzage. Geef inzage aan de ouders.", "voor");
  }
  if (audience === "ouders") {
    if (age >= 16 && !input.youthConsent) {
      return fail(
        "INZAGE_TOESTEMMING_JEUGDIGE_NODIG",
        "De jeugdige is 16 jaar of ouder. Ouders krijgen alleen inzage als de jeugdige daarvoor toestemming geeft. Vraag eerst toestemming aan de jeugdige.",
        "toestemmingJeugdige",
      );
    }
    if (age >= 12 && age < 16 && input.medicalProfessionalOnCard && !input.youthConsent) {
      return fail(
        "INZAGE_TOESTEMMING_JEUGDIGE_NODIG",
        "Bij deze jeugdige (12 tot 16 jaar) is een medisch beroepsbeoefenaar betrokken. Ouders krijgen alleen inzage als de jeugdige daarvoor toestemming geeft. Vraag eerst toestemming aan de jeugdige.",
        "toestemmingJeugdige",
      );
    }
  }
  return ok({ audience });
}
