/**
 * Examples in the OpenAPI document, taken from the demo data (docs/demo-data.md): Adam van Haarlem (BSN
 * 999900018, a test BSN of the 9999 range) and the professionals of De Buurtschool and the GGD. The linter
 * (oas3-valid-media-example) checks each against its schema; test/openapi.test.ts checks them against the
 * zod schemas the API answers with.
 */
import type { ClientCardView, InzageView, MatchregieDetailView, MatchregieView, MatchView, NoticeView, RegisterResult, SignalView } from "../schemas";

export const SIGNAAL_VOORBEELD: SignalView = {
  id: "0b9d6c3e-4f55-4c7a-9d2e-0e1f2a3b4c5d",
  status: "actief",
  jeugdige: { bsn: "999900018", naam: "Adam van Haarlem", geboortedatum: "2016-03-14" },
  organisatie: { id: "buurtschool", naam: "De Buurtschool" },
  geregistreerdOp: "2026-11-28T09:00:00.000Z",
  startdatum: "2026-11-28",
  einddatum: "2027-11-28",
  geinformeerd: true,
  geinformeerdWie: "ouders",
  geinformeerdOp: "2026-11-28",
  redenNietGeinformeerd: null,
  gearchiveerdOp: null,
};

export const GEARCHIVEERD_VOORBEELD: SignalView = { ...SIGNAAL_VOORBEELD, status: "gearchiveerd", gearchiveerdOp: "2026-12-01" };

export const REGISTRATIE_VOORBEELD: RegisterResult = {
  signaal: SIGNAAL_VOORBEELD,
  matches: [{ id: "5f0c2b8e-1d3a-4c6e-9b7f-2a4d6e8f0a1c", soort: "client", viaArchief: false }],
};

const JGZ = {
  naam: "Anouk Vermeulen",
  functie: "Jeugdverpleegkundige",
  organisatie: "GGD Amsterdam",
  domein: "jeugdgezondheidszorg",
  telefoon: "020 555 0103",
  email: "jgz@ggd.example",
};

export const MATCH_VOORBEELD: MatchView = {
  id: "5f0c2b8e-1d3a-4c6e-9b7f-2a4d6e8f0a1c",
  soort: "client",
  aangemaaktOp: "2026-11-28T09:05:00.000Z",
  viaArchief: false,
  mijnSignaal: { id: SIGNAAL_VOORBEELD.id, jeugdige: { naam: "Adam van Haarlem" } },
  betrokkenen: [{ ...JGZ, eerderBetrokken: false }],
};

export const MATCHREGIE_VOORBEELD: MatchregieView = {
  id: MATCH_VOORBEELD.id,
  soort: "client",
  aangemaaktOp: "2026-11-28T09:05:00.000Z",
  viaArchief: false,
  tussenGemeenten: false,
  status: "contact-gelegd",
  statusGewijzigd: { op: "2026-11-30T14:20:00.000Z", door: "jgz@ggd.example" },
  teLangZonderContact: false,
  herinneringVerstuurdOp: null,
  betrokkenen: [
    {
      signaalId: SIGNAAL_VOORBEELD.id,
      naam: "Marieke de Graaf",
      functie: "Intern begeleider",
      organisatie: "De Buurtschool",
      domein: "onderwijs",
      telefoon: "020 555 0101",
      email: "ib@buurtschool.example",
      actief: true,
      geregistreerdOp: "2026-11-27T10:15:00.000Z",
      andereGemeente: false,
    },
    { signaalId: "3c1d5e7f-9a2b-4c4d-8e6f-0a1b2c3d4e5f", ...JGZ, actief: true, geregistreerdOp: "2026-11-28T09:05:00.000Z", andereGemeente: false },
  ],
  voorgesteldeRegievoerder: "3c1d5e7f-9a2b-4c4d-8e6f-0a1b2c3d4e5f",
  regievoerder: { signaalId: "3c1d5e7f-9a2b-4c4d-8e6f-0a1b2c3d4e5f", bevestigdOp: "2026-12-01T10:00:00.000Z", bevestigdDoor: "matchregie@amsterdam.example" },
};

export const MATCHREGIE_DETAIL_VOORBEELD: MatchregieDetailView = { ...MATCHREGIE_VOORBEELD, jeugdigen: [{ naam: "Adam van Haarlem" }] };

export const MELDING_VOORBEELD: NoticeView = {
  id: "7a1e3c5b-9d2f-4e6a-8b0c-1d3f5a7c9e2b",
  soort: "match",
  aangemaaktOp: "2026-11-28T09:05:00.000Z",
  signaalId: SIGNAAL_VOORBEELD.id,
  inhoud: {
    matchId: MATCH_VOORBEELD.id,
    soort: "client",
    viaArchief: false,
    aangemaaktOp: "2026-11-28T09:05:00.000Z",
    jeugdigeNaam: "Adam van Haarlem",
    betrokkene: { ...JGZ, eerderBetrokken: false },
  },
};

/**
 * Sem Bakker (17, secret address: the card shows no address). An example with an address cannot be given: the
 * ruleset's nlgov:problem-invalid-input takes any key containing "post" below `paths` for a POST operation, and so
 * reads the string value of `postcode` as an operation without a 400 (docs/adr/0008).
 */
export const CLIENTKAART_VOORBEELD: ClientCardView = {
  jeugdige: {
    bsn: "999900080",
    naam: "Sem Bakker",
    geboortedatum: "2009-05-02",
    leeftijd: 17,
    geslacht: "man",
    gemeente: "GM0362",
    adres: null,
    geheimAdres: true,
  },
  informeren: "jeugdige",
  actiefBetrokken: [
    {
      organisatie: "GGD Amsterdam",
      domein: "jeugdgezondheidszorg",
      startdatum: "2026-11-28",
      einddatum: "2027-11-28",
      professional: { naam: JGZ.naam, functie: JGZ.functie, telefoon: JGZ.telefoon, email: JGZ.email },
    },
  ],
  eerderBetrokkenheid: { aanwezig: true },
  eerderBetrokken: [],
};

/** What the archive of Sem's card opens on request: an earlier involvement, without a person (no match with it). */
export const ARCHIEF_VOORBEELD = {
  eerderBetrokken: [{ organisatie: "De Buurtschool", domein: "onderwijs", startdatum: "2025-09-01", einddatum: "2026-06-30", professional: null }],
};

export const INZAGE_VOORBEELD: InzageView = {
  voor: "ouders",
  jeugdige: { naam: "Adam van Haarlem", geboortedatum: "2016-03-14" },
  actiefBetrokken: [{ organisatie: "GGD Amsterdam", domein: "jeugdgezondheidszorg", startdatum: "2026-11-28", einddatum: "2027-11-28" }],
  eerderBetrokken: [],
  nietAllesGetoond: false,
  toelichting: null,
  opgesteldOp: "2026-11-28",
};

export const JWKS_VOORBEELD = {
  keys: [{ kty: "OKP", crv: "Ed25519", x: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo", kid: "GM0363-2026-11-28", alg: "EdDSA", use: "sig", iss: "GM0363" }],
};
