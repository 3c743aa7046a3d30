/**
 * The node API's closed list of Problem Details codes (on top of the codes
 * every service shares, see @vi/service), each mapped once to a status and a
 * Dutch title.
 */
import type { DomainError } from "@vi/domain";
import { problemCatalog } from "@vi/service";

export const NODE_PROBLEMS = problemCatalog({
  // 401/403: identity and authorisation
  TOKEN_ONTBREEKT: { status: 401, title: "Niet aangemeld" },
  TOKEN_VERLOPEN: { status: 401, title: "Aanmelding verlopen" },
  TOKEN_ONGELDIG: { status: 401, title: "Ongeldig token" },
  NIET_AANGESLOTEN: { status: 403, title: "Niet aangesloten bij deze gemeente" },
  NIET_SIGNALERINGSBEVOEGD: { status: 403, title: "Niet signaleringsbevoegd" },
  DOMEIN_NIET_TOEGESTAAN: { status: 403, title: "Categorie van de organisatie mag niet signaleren" },
  PROFESSIONAL_NIET_GENOEMD: { status: 400, title: "Geen professional genoemd" },
  NAMENS_NIET_TOEGESTAAN: { status: 403, title: "Niet namens deze professional" },
  ALLEEN_MATCHREGISSEUR: { status: 403, title: "Alleen voor de matchregisseur van deze gemeente" },
  GEEN_PRIVACYFUNCTIONARIS: { status: 403, title: "Alleen voor de privacyfunctionaris van de gemeente" },
  GEEN_COORDINATOR: { status: 403, title: "Alleen voor de coördinator van de organisatie" },
  ANDERE_ORGANISATIE: { status: 403, title: "Niet van uw organisatie" },
  // 404
  SIGNAAL_NIET_GEVONDEN: { status: 404, title: "Signaal niet gevonden" },
  MATCH_NIET_GEVONDEN: { status: 404, title: "Match niet gevonden" },
  JEUGDIGE_NIET_GEVONDEN: { status: 404, title: "Jeugdige niet in deze verwijsindex" },
  // 409/422: the request is understood but the rules say no
  SIGNAAL_BESTAAT_AL: { status: 409, title: "Signaal bestaat al" },
  ZELFDE_PROFESSIONAL: { status: 422, title: "Overdragen aan dezelfde professional" },
  OPVOLGER_NIET_BEVOEGD: { status: 422, title: "Collega niet signaleringsbevoegd" },
  BSN_ONGELDIG: { status: 422, title: "Ongeldig BSN" },
  BSN_ONBEKEND_IN_BRP: { status: 422, title: "BSN onbekend in de BRP" },
  JEUGDIGE_ONBEPAALD: { status: 422, title: "Geef een BSN of de gegevens van een jeugdige zonder BSN" },
  FEITEN_ONGELDIG: { status: 422, title: "Gegevens van de jeugdige zonder BSN onvolledig of ongeldig" },
  JEUGDIGE_ANDERE_GEMEENTE: { status: 422, title: "Jeugdige woont in een andere gemeente" },
  JEUGDIGE_BUITEN_REGIO: { status: 422, title: "Jeugdige woont buiten de regio" },
  JEUGDIGE_TE_OUD: { status: 422, title: "Jeugdige is 23 jaar of ouder" },
  JEUGDIGE_OVERLEDEN: { status: 422, title: "Jeugdige is overleden" },
  GEBOORTEDATUM_ONBEKEND: { status: 422, title: "Geboortedatum onbekend in de BRP" },
  EINDDATUM_IN_VERLEDEN: { status: 422, title: "Einddatum ligt niet in de toekomst" },
  EINDDATUM_TE_VER: { status: 422, title: "Einddatum te ver in de toekomst" },
  EINDDATUM_NA_23: { status: 422, title: "Einddatum na 23e verjaardag" },
  EINDDATUM_NIET_LATER: { status: 422, title: "Einddatum niet later" },
  REDEN_NIET_GEINFORMEERD_ONTBREEKT: { status: 422, title: "Reden ontbreekt" },
  REDEN_NIET_GEINFORMEERD_ONGELDIG: { status: 422, title: "Reden niet uit de lijst" },
  GEINFORMEERD_ONVOLLEDIG: { status: 422, title: "Niet iedereen geïnformeerd die het moet weten" },
  GEINFORMEERD_OP_IN_TOEKOMST: { status: 422, title: "Datum van informeren in de toekomst" },
  GEINFORMEERD_TEGENSTRIJDIG: { status: 422, title: "Geïnformeerd en niet geïnformeerd tegelijk" },
  SIGNAAL_NIET_ACTIEF: { status: 422, title: "Signaal is niet actief" },
  REGIEVOERDER_ONGELDIG: { status: 422, title: "Geen betrokkene van deze match" },
  MATCHREGIE_NIET_HIER: { status: 422, title: "Deze match heeft hier geen matchregie" },
  INZAGE_GEHEIM_ADRES: { status: 422, title: "Inzage niet mogelijk: geheim adres" },
  INZAGE_BUITEN_REGIO: { status: 422, title: "Inzage niet mogelijk: buiten de regio" },
  INZAGE_TOESTEMMING_JEUGDIGE_NODIG: { status: 422, title: "Toestemming van de jeugdige nodig" },
  INZAGE_JEUGDIGE_TE_JONG: { status: 422, title: "Inzage voor de jeugdige zelf pas vanaf 12 jaar" },
  // 429: an unusual pattern (docs/adr/0025); the rate limits answer the shared TE_VEEL_VERZOEKEN
  ONGEBRUIKELIJK_PATROON: { status: 429, title: "Ongebruikelijk patroon" },
  // 5xx: our side
  BRP_ONBEREIKBAAR: { status: 503, title: "BRP niet bereikbaar" },
  BRP_FOUT: { status: 502, title: "Fout bij de BRP" },
  NODE_ONBEREIKBAAR: { status: 503, title: "Woongemeente niet bereikbaar" },
  PSEUDONIEMDIENST_ONBEREIKBAAR: { status: 503, title: "Pseudoniemendienst niet bereikbaar" },
  LANDELIJKE_VERWIJSINDEX_ONBEREIKBAAR: { status: 503, title: "Landelijke verwijsindex niet bereikbaar" },
});

export type NodeProblemCode = (typeof NODE_PROBLEMS.codes)[number];

/** A Problem of the node API. */
export const problem = NODE_PROBLEMS.problem;

/** A domain rule said no: the same code and Dutch message reach the user (every domain code is a node code). */
export function domainProblem(error: DomainError) {
  return problem(error.code, error.detail, error.field ? [{ name: error.field, code: error.code, reason: error.detail }] : undefined);
}
