/**
 * The one error vocabulary of the node API: a closed set of codes, each mapped
 * once to an HTTP status and a Dutch title, rendered as Problem Details
 * (RFC 9457, application/problem+json) by the app's onError.
 */
export const PROBLEMS = {
  // 400: the request itself is malformed
  JSON_ONGELDIG: { status: 400, title: "Ongeldige JSON" },
  VERZOEK_ONGELDIG: { status: 400, title: "Ongeldig verzoek" },
  // 401/403: identity and authorisation
  TOKEN_ONTBREEKT: { status: 401, title: "Niet aangemeld" },
  TOKEN_VERLOPEN: { status: 401, title: "Aanmelding verlopen" },
  TOKEN_ONGELDIG: { status: 401, title: "Ongeldig token" },
  NIET_AANGESLOTEN: { status: 403, title: "Niet aangesloten bij deze gemeente" },
  NIET_SIGNALERINGSBEVOEGD: { status: 403, title: "Niet signaleringsbevoegd" },
  // 404/405/413/415
  NIET_GEVONDEN: { status: 404, title: "Niet gevonden" },
  SIGNAAL_NIET_GEVONDEN: { status: 404, title: "Signaal niet gevonden" },
  METHODE_NIET_TOEGESTAAN: { status: 405, title: "Methode niet toegestaan" },
  VERZOEK_TE_GROOT: { status: 413, title: "Verzoek te groot" },
  KOPTEKST_TE_GROOT: { status: 431, title: "Kopteksten te groot" },
  MEDIATYPE_NIET_ONDERSTEUND: { status: 415, title: "Mediatype niet ondersteund" },
  // 409/422: the request is understood but the rules say no
  SIGNAAL_BESTAAT_AL: { status: 409, title: "Signaal bestaat al" },
  BSN_ONGELDIG: { status: 422, title: "Ongeldig BSN" },
  BSN_ONBEKEND_IN_BRP: { status: 422, title: "BSN onbekend in de BRP" },
  JEUGDIGE_ANDERE_GEMEENTE: { status: 422, title: "Jeugdige woont in een andere gemeente" },
  JEUGDIGE_BUITEN_REGIO: { status: 422, title: "Jeugdige woont buiten de regio" },
  JEUGDIGE_TE_OUD: { status: 422, title: "Jeugdige is 23 jaar of ouder" },
  JEUGDIGE_OVERLEDEN: { status: 422, title: "Jeugdige is overleden" },
  EINDDATUM_IN_VERLEDEN: { status: 422, title: "Einddatum ligt niet in de toekomst" },
  EINDDATUM_TE_VER: { status: 422, title: "Einddatum te ver in de toekomst" },
  EINDDATUM_NA_23: { status: 422, title: "Einddatum na 23e verjaardag" },
  EINDDATUM_NIET_LATER: { status: 422, title: "Einddatum niet later" },
  REDEN_NIET_GEINFORMEERD_ONTBREEKT: { status: 422, title: "Reden ontbreekt" },
  SIGNAAL_NIET_ACTIEF: { status: 422, title: "Signaal is niet actief" },
  INZAGE_GEHEIM_ADRES: { status: 422, title: "Inzage niet mogelijk: geheim adres" },
  INZAGE_BUITEN_REGIO: { status: 422, title: "Inzage niet mogelijk: buiten de regio" },
  INZAGE_TOESTEMMING_JEUGDIGE_NODIG: { status: 422, title: "Toestemming van de jeugdige nodig" },
  INZAGE_JEUGDIGE_TE_JONG: { status: 422, title: "Inzage voor de jeugdige zelf pas vanaf 12 jaar" },
  // 5xx: our side
  BRP_ONBEREIKBAAR: { status: 503, title: "BRP niet bereikbaar" },
  BRP_FOUT: { status: 502, title: "Fout bij de BRP" },
  NODE_ONBEREIKBAAR: { status: 503, title: "Woongemeente niet bereikbaar" },
  NIET_GEREED: { status: 503, title: "Dienst nog niet gereed" },
  INTERNE_FOUT: { status: 500, title: "Interne fout" },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof PROBLEMS;

export interface InvalidParam {
  name: string;
  code: string;
  reason: string;
}

export class Problem extends Error {
  readonly status: number;
  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly invalidParams?: InvalidParam[],
  ) {
    super(detail);
    this.status = PROBLEMS[code].status;
  }

  toJSON(instance?: string) {
    return {
      type: `https://verwijsindex.example/problemen/${this.code.toLowerCase().replaceAll("_", "-")}`,
      title: PROBLEMS[this.code].title,
      status: this.status,
      detail: this.detail,
      code: this.code,
      ...(instance ? { instance } : {}),
      ...(this.invalidParams?.length ? { invalidParams: this.invalidParams } : {}),
    };
  }
}

export function problemOf(code: string, detail: string, field?: string): Problem {
  const known = (code in PROBLEMS ? code : "VERZOEK_ONGELDIG") as ProblemCode;
  return new Problem(known, detail, field ? [{ name: field, code, reason: detail }] : undefined);
}
