/**
 * The error answers of each route, by their stable codes (the document lists them per response, with an
 * example each; see @vi/service problemResponses). The kit adds 400 VERZOEK_ONGELDIG, 431 and 500 to every
 * operation (docs/adr/0008).
 */
import { problemResponses } from "@vi/service";
import { NODE_PROBLEMS, type NodeProblemCode } from "../problems";

/** Every route under /api/v1 except the document: signed in, connected. */
const SIGNED_IN: NodeProblemCode[] = [
  "TOKEN_ONTBREEKT",
  "TOKEN_VERLOPEN",
  "TOKEN_ONGELDIG",
  "NIET_AANGESLOTEN",
  "PROFESSIONAL_NIET_GENOEMD",
  "NAMENS_NIET_TOEGESTAAN",
];
/** A route with path or query parameters, which are validated. */
const VALIDATED: NodeProblemCode[] = [...SIGNED_IN, "VERZOEK_ONGELDIG"];
/** A POST: a body, if sent, must be JSON and within the limit (a GET has no body to check). */
const POST: NodeProblemCode[] = [...VALIDATED, "MEDIATYPE_NIET_ONDERSTEUND", "VERZOEK_TE_GROOT"];
/** A POST whose JSON body is parsed. */
const POST_JSON: NodeProblemCode[] = [...POST, "JSON_ONGELDIG"];
/** The caller's own signal by its id, here or at the residence node. */
const OWN_SIGNAL: NodeProblemCode[] = ["SIGNAAL_NIET_GEVONDEN", "NODE_ONBEREIKBAAR"];
/** The youth's data is read from the BRP. */
const BRP: NodeProblemCode[] = ["BSN_ONBEKEND_IN_BRP", "BRP_ONBEREIKBAAR", "BRP_FOUT"];
/** The change reaches the hub's index: its pseudonyms are asked of the pseudonym service (docs/adr/0024). */
const INDEXED: NodeProblemCode[] = ["PSEUDONIEMDIENST_ONBEREIKBAAR"];
const NEW_END_DATE: NodeProblemCode[] = ["JEUGDIGE_TE_OUD", "JEUGDIGE_OVERLEDEN", "EINDDATUM_IN_VERLEDEN", "EINDDATUM_TE_VER", "EINDDATUM_NA_23"];

const errors = (...codes: NodeProblemCode[]) => problemResponses(NODE_PROBLEMS, codes);

export const routeErrors = {
  registerSignal: errors(
    ...POST_JSON,
    ...BRP,
    ...NEW_END_DATE,
    "NIET_SIGNALERINGSBEVOEGD",
    "DOMEIN_NIET_TOEGESTAAN",
    "GEBOORTEDATUM_ONBEKEND",
    "REDEN_NIET_GEINFORMEERD_ONGELDIG",
    "GEINFORMEERD_ONVOLLEDIG",
    "GEINFORMEERD_OP_IN_TOEKOMST",
    "GEINFORMEERD_TEGENSTRIJDIG",
    "SIGNAAL_BESTAAT_AL",
    "BSN_ONGELDIG",
    "JEUGDIGE_ANDERE_GEMEENTE",
    "JEUGDIGE_BUITEN_REGIO",
    "REDEN_NIET_GEINFORMEERD_ONTBREEKT",
    "NODE_ONBEREIKBAAR",
    "ONGEBRUIKELIJK_PATROON",
    "JEUGDIGE_ONBEPAALD",
    "FEITEN_ONGELDIG",
    "LANDELIJKE_VERWIJSINDEX_ONBEREIKBAAR",
    ...INDEXED,
  ),
  listSignals: errors(...VALIDATED),
  getSignal: errors(...VALIDATED, ...OWN_SIGNAL),
  extendSignal: errors(...POST_JSON, ...OWN_SIGNAL, ...NEW_END_DATE, "SIGNAAL_NIET_ACTIEF", "EINDDATUM_NIET_LATER", "GEBOORTEDATUM_ONBEKEND"),
  recordInforming: errors(
    ...POST_JSON,
    ...OWN_SIGNAL,
    "SIGNAAL_NIET_ACTIEF",
    "GEINFORMEERD_ONVOLLEDIG",
    "GEINFORMEERD_OP_IN_TOEKOMST",
    "GEINFORMEERD_TEGENSTRIJDIG",
  ),
  endSignal: errors(...POST, ...OWN_SIGNAL, ...INDEXED, "SIGNAAL_NIET_ACTIEF"),
  withdrawSignal: errors(...POST, ...OWN_SIGNAL, ...INDEXED),
  listMatches: errors(...VALIDATED),
  clientCard: errors(...VALIDATED, ...OWN_SIGNAL, ...BRP, "SIGNAAL_NIET_ACTIEF", "GEBOORTEDATUM_ONBEKEND", "JEUGDIGE_TE_OUD", "JEUGDIGE_OVERLEDEN"),
  archive: errors(...VALIDATED, ...OWN_SIGNAL, ...BRP, "SIGNAAL_NIET_ACTIEF", "GEBOORTEDATUM_ONBEKEND", "JEUGDIGE_TE_OUD", "JEUGDIGE_OVERLEDEN"),
  inzage: errors(
    ...VALIDATED,
    ...OWN_SIGNAL,
    ...BRP,
    "SIGNAAL_NIET_ACTIEF",
    "GEBOORTEDATUM_ONBEKEND",
    "JEUGDIGE_TE_OUD",
    "JEUGDIGE_OVERLEDEN",
    "INZAGE_GEHEIM_ADRES",
    "INZAGE_BUITEN_REGIO",
    "INZAGE_TOESTEMMING_JEUGDIGE_NODIG",
    "INZAGE_JEUGDIGE_TE_JONG",
  ),
  notices: errors(...SIGNED_IN),
  matchStatus: errors(...POST_JSON, "MATCH_NIET_GEVONDEN", "MATCHREGIE_NIET_HIER", "NODE_ONBEREIKBAAR"),
  matchregieList: errors(...VALIDATED, "ALLEEN_MATCHREGISSEUR"),
  matchregieOpen: errors(...VALIDATED, "ALLEEN_MATCHREGISSEUR", "MATCH_NIET_GEVONDEN"),
  matchregieStatus: errors(...POST_JSON, "ALLEEN_MATCHREGISSEUR", "MATCH_NIET_GEVONDEN"),
  matchregieRegievoerder: errors(...POST_JSON, "ALLEEN_MATCHREGISSEUR", "MATCH_NIET_GEVONDEN", "REGIEVOERDER_ONGELDIG"),
  avgFind: errors(...POST_JSON, "GEEN_PRIVACYFUNCTIONARIS", "BSN_ONGELDIG"),
  avgRectify: errors(...POST_JSON, ...BRP, ...INDEXED, "GEEN_PRIVACYFUNCTIONARIS", "BSN_ONGELDIG", "JEUGDIGE_NIET_GEVONDEN", "NODE_ONBEREIKBAAR"),
  avgRemove: errors(...POST_JSON, ...INDEXED, "GEEN_PRIVACYFUNCTIONARIS", "SIGNAAL_NIET_GEVONDEN"),
  handover: errors(...POST_JSON, ...INDEXED, "GEEN_COORDINATOR", "ANDERE_ORGANISATIE", "ZELFDE_PROFESSIONAL", "OPVOLGER_NIET_BEVOEGD"),
  jwks: errors("NIET_GEVONDEN"),
};
