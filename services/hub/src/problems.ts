/**
 * The hub API's closed list of Problem Details codes: the ones every service shares (see @vi/service), plus
 * those of the region's register (sign-in, authorisation, unknown organisation or person).
 */
import { problemCatalog } from "@vi/service";

export const HUB_PROBLEMS = problemCatalog({
  TOKEN_ONTBREEKT: { status: 401, title: "Niet aangemeld" },
  TOKEN_VERLOPEN: { status: 401, title: "Aanmelding verlopen" },
  TOKEN_ONGELDIG: { status: 401, title: "Ongeldig token" },
  GEEN_TOEGANG: { status: 403, title: "Geen toegang tot dit deel van het register" },
  ORGANISATIE_NIET_GEVONDEN: { status: 404, title: "Organisatie niet gevonden" },
  PERSOON_NIET_GEVONDEN: { status: 404, title: "Persoon niet gevonden" },
  EMAIL_AL_GEREGISTREERD: { status: 409, title: "E-mailadres al geregistreerd" },
  GEEN_PROFESSIONAL: { status: 422, title: "Geen professional" },
});
export type HubProblemCode = (typeof HUB_PROBLEMS.codes)[number];
export const problem = HUB_PROBLEMS.problem;
