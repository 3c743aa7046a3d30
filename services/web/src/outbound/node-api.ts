/**
 * The professional's own node API (services/node, /api/v1), called with the
 * professional's access token. The types are the parts of the node's
 * responses (its OpenAPI document) that the web shows; a refusal comes back
 * as a NodeRefusal with the node's stable code and Dutch message.
 */

export type InformTarget = "ouders" | "ouders-en-jeugdige" | "jeugdige";

export interface SignaalView {
  id: string;
  status: "actief" | "gearchiveerd";
  jeugdige: { bsn: string; naam: string; geboortedatum: string };
  organisatie: { id: string; naam: string };
  geregistreerdOp: string;
  startdatum: string;
  einddatum: string;
  geinformeerd: boolean;
  geinformeerdWie: InformTarget | null;
  geinformeerdOp: string | null;
  redenNietGeinformeerd: string | null;
  gearchiveerdOp: string | null;
}

export interface Betrokkene {
  naam: string;
  functie: string;
  organisatie: string;
  domein: string;
  telefoon: string;
  email: string;
  eerderBetrokken: boolean;
}

export interface MatchView {
  id: string;
  soort: "client" | "gezin";
  aangemaaktOp: string;
  viaArchief: boolean;
  mijnSignaal: { id: string; jeugdige: { naam: string } };
  betrokkenen: Betrokkene[];
  /** The follow-up, when the residence node keeps it and it is this node. */
  regie?: RegieView | null;
}

export type MatchStatus = "geen-contact" | "contact-gelegd" | "afgestemd" | "regie-belegd";

export interface RegieView {
  status: MatchStatus;
  regievoerder: { naam: string; organisatie: string } | null;
}

/** A match of the gemeente as its matchregisseur sees it (GET /matchregie/matches): no youth. */
export interface MatchregieView {
  id: string;
  soort: "client" | "gezin";
  aangemaaktOp: string;
  viaArchief: boolean;
  /** A family match across gemeenten (made by the hub): this gemeente follows up its own youth's side (ADR 39). */
  tussenGemeenten?: boolean;
  status: MatchStatus;
  statusGewijzigd: { op: string; door: string } | null;
  teLangZonderContact: boolean;
  herinneringVerstuurdOp: string | null;
  betrokkenen: Array<Omit<Betrokkene, "eerderBetrokken"> & { signaalId: string; actief: boolean; geregistreerdOp: string; andereGemeente?: boolean }>;
  voorgesteldeRegievoerder: string | null;
  regievoerder: { signaalId: string; bevestigdOp: string; bevestigdDoor: string } | null;
}

/** One match opened by the matchregisseur: with the youth's name (logged by the node). */
export interface MatchregieDetailView extends MatchregieView {
  jeugdigen: Array<{ naam: string }>;
}

export interface MeldingView {
  id: string;
  soort: "match" | "verhuizing" | "herinnering" | "overdracht";
  aangemaaktOp: string;
  signaalId: string | null;
  inhoud: Record<string, unknown>;
}

export interface Contact {
  naam: string;
  functie: string;
  telefoon: string;
  email: string;
}

export interface Betrokkenheid {
  organisatie: string;
  domein: string;
  startdatum: string;
  einddatum: string;
}

export interface ClientkaartView {
  jeugdige: {
    bsn?: string;
    /** A youth registered without a BSN: no BRP data (docs/adr/0038). */
    zonderBsn?: true;
    verwijsindexservicenummer?: string;
    naam: string;
    geboortedatum: string;
    leeftijd: number;
    geslacht: string;
    gemeente: string;
    adres: { straat: string; huisnummer: number; huisletter?: string; postcode: string; woonplaats: string } | null;
    geheimAdres: boolean;
  };
  informeren: InformTarget;
  actiefBetrokken: Array<Betrokkenheid & { professional: Contact | null }>;
  eerderBetrokkenheid: { aanwezig: boolean };
}

export interface ArchiefView {
  eerderBetrokken: Array<Betrokkenheid & { professional: Contact | null }>;
}

export interface InzageView {
  voor: "ouders" | "jeugdige";
  jeugdige: { naam: string; geboortedatum: string };
  actiefBetrokken: Betrokkenheid[];
  eerderBetrokken: Betrokkenheid[];
  nietAllesGetoond: boolean;
  toelichting: string | null;
  opgesteldOp: string;
}

export interface RegistratieView {
  signaal: SignaalView;
  matches: Array<{ id: string; soort: "client" | "gezin"; viaArchief: boolean }>;
}

export interface SignaalAanvraag {
  bsn?: string;
  /** A youth without a BSN (docs/adr/0038): the node asks the national index for the verwijsindexservicenummer. */
  jeugdigeZonderBsn?: { geslachtsnaam: string; geboortedatum: string; geslacht: string };
  einddatum?: string;
  geinformeerd: boolean;
  redenNietGeinformeerd?: string;
}

/** What the node holds on one youth (the AVG desk; services/node AvgDossier). */
export interface AvgDossier {
  bekend: boolean;
  gemeente: { code: string; naam: string };
  opgesteldOp: string;
  jeugdige: {
    bsn: string;
    naam: string;
    geboortedatum: string;
    geslacht: string;
    gemeente: string;
    overleden: boolean;
    geheimAdres: boolean;
    brpOpgehaaldOp: string;
  } | null;
  signalen: Array<{
    id: string;
    status: "actief" | "gearchiveerd";
    organisatie: { naam: string; domein: string };
    professional: { naam: string; functie: string; email: string; telefoon: string };
    geregistreerdOp: string;
    startdatum: string;
    einddatum: string;
    geinformeerd: boolean;
    geinformeerdWie: string | null;
    geinformeerdOp: string | null;
    redenNietGeinformeerd: string | null;
    gearchiveerdOp: string | null;
    archiefReden: string | null;
    aangemeldVia: string;
  }>;
  matches: Array<{ id: string; soort: "client" | "gezin"; aangemaaktOp: string; viaArchief: boolean; signaalId: string }>;
  logboek: Array<{
    id: number;
    tijdstip: string;
    actie: string;
    actor: string;
    namens: string | null;
    signaalId: string | null;
    details: Record<string, unknown> | null;
    hash: string | null;
  }>;
}

export interface AvgRectificatie {
  gewijzigd: string[];
  gezinGewijzigd: boolean;
  nieuweMatches: number;
  verhuisdNaar: string | null;
}

export interface OverdrachtView {
  overgedragen: number;
  alBetrokken: number;
  elders: number;
}

/** The node said no: its Problem Details, with the field a refusal is about (from invalidParams). */
export class NodeRefusal extends Error {
  override readonly name = "NodeRefusal";
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly fields: Array<{ name: string; code?: string; reason: string }> = [],
  ) {
    super(`${status} ${code}: ${detail}`);
  }
}

export interface NodeApi {
  registerSignal(input: SignaalAanvraag): Promise<RegistratieView>;
  listSignals(): Promise<SignaalView[]>;
  getSignal(id: string): Promise<SignaalView>;
  extend(id: string, einddatum: string): Promise<SignaalView>;
  end(id: string): Promise<SignaalView>;
  withdraw(id: string): Promise<void>;
  informed(id: string, op?: string): Promise<SignaalView>;
  matches(filter?: { signaalId?: string }): Promise<MatchView[]>;
  notices(): Promise<MeldingView[]>;
  clientCard(id: string): Promise<ClientkaartView>;
  archive(id: string): Promise<ArchiefView>;
  inzage(id: string, voor: "ouders" | "jeugdige", toestemmingJeugdige: boolean): Promise<InzageView>;
  /** A professional of the match sets its follow-up status. */
  setMatchStatus(id: string, status: string): Promise<RegieView>;
  /** Matchregie (the gemeente's matchregisseur only). */
  matchregie(filter?: { status?: string }): Promise<{ matches: MatchregieView[]; herinneringNaDagen: number }>;
  openMatchregie(id: string): Promise<MatchregieDetailView>;
  setMatchregieStatus(id: string, status: string): Promise<MatchregieView>;
  confirmRegievoerder(id: string, signaalId: string): Promise<MatchregieView>;
  avgFind(bsn: string, doel: "inzien" | "export-json" | "export-pdf"): Promise<AvgDossier>;
  avgRectify(bsn: string): Promise<AvgRectificatie>;
  avgRemove(signaalId: string, reden: string): Promise<void>;
  handOver(van: string, naar: string): Promise<OverdrachtView>;
  /** The live stream of meldingen (server-sent events), as the node sends it. */
  stream(signal: AbortSignal): Promise<Response>;
}

/** A node API client acting for one professional (their access token). */
export function nodeApi(baseUrl: string, accessToken: string, requestTimeoutMs = 10_000): NodeApi {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    let res: Response;
    try {
      res = await fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${accessToken}`,
          accept: "application/json",
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(requestTimeoutMs),
      });
    } catch {
      throw new NodeRefusal(503, "NODE_ONBEREIKBAAR", "De verwijsindex van uw gemeente is nu niet bereikbaar. Probeer het over een paar minuten opnieuw.");
    }
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!res.ok) {
      const p = (parsed ?? {}) as { code?: string; detail?: string; title?: string; invalidParams?: Array<{ name: string; code?: string; reason: string }> };
      throw new NodeRefusal(res.status, p.code ?? `HTTP_${res.status}`, p.detail ?? p.title ?? "De verwijsindex weigerde het verzoek.", p.invalidParams ?? []);
    }
    return parsed as T;
  };
  const id = (v: string) => encodeURIComponent(v);
  return {
    registerSignal: (input) => call("POST", "/api/v1/signalen", input),
    listSignals: async () => (await call<{ signalen: SignaalView[] }>("GET", "/api/v1/signalen")).signalen,
    getSignal: (s) => call("GET", `/api/v1/signalen/${id(s)}`),
    extend: (s, einddatum) => call("POST", `/api/v1/signalen/${id(s)}/verlengen`, { einddatum }),
    end: (s) => call("POST", `/api/v1/signalen/${id(s)}/beeindigen`),
    withdraw: (s) => call("POST", `/api/v1/signalen/${id(s)}/intrekken`),
    informed: (s, op) => call("POST", `/api/v1/signalen/${id(s)}/informeren`, op ? { op } : {}),
    matches: async (filter) =>
      (await call<{ matches: MatchView[] }>("GET", `/api/v1/matches${filter?.signaalId ? `?signaalId=${id(filter.signaalId)}` : ""}`)).matches,
    setMatchStatus: (m, status) => call("POST", `/api/v1/matches/${id(m)}/status`, { status }),
    matchregie: (filter) => call("GET", `/api/v1/matchregie/matches${filter?.status ? `?status=${id(filter.status)}` : ""}`),
    openMatchregie: (m) => call("GET", `/api/v1/matchregie/matches/${id(m)}`),
    setMatchregieStatus: (m, status) => call("POST", `/api/v1/matchregie/matches/${id(m)}/status`, { status }),
    confirmRegievoerder: (m, signaalId) => call("POST", `/api/v1/matchregie/matches/${id(m)}/regievoerder`, { signaalId }),
    notices: async () => (await call<{ meldingen: MeldingView[] }>("GET", "/api/v1/meldingen")).meldingen,
    clientCard: (s) => call("GET", `/api/v1/signalen/${id(s)}/clientkaart`),
    archive: (s) => call("GET", `/api/v1/signalen/${id(s)}/clientkaart/archief`),
    inzage: (s, voor, toestemming) => call("GET", `/api/v1/signalen/${id(s)}/inzage?voor=${voor}${toestemming ? "&toestemmingJeugdige=true" : ""}`),
    avgFind: (bsn, doel) => call("POST", "/api/v1/avg/zoeken", { bsn, doel }),
    avgRectify: (bsn) => call("POST", "/api/v1/avg/rectificeren", { bsn }),
    avgRemove: (s, reden) => call("POST", `/api/v1/avg/signalen/${id(s)}/verwijderen`, { reden }),
    handOver: (van, naar) => call("POST", "/api/v1/overdrachten", { van, naar }),
    stream: (signal) =>
      fetch(`${baseUrl}/api/v1/meldingen/stream`, { headers: { authorization: `Bearer ${accessToken}`, accept: "text/event-stream" }, signal }),
  };
}

/**
 * The node API of a session signed in for the hub's API (the convenantmanager's page): that token is not for a node,
 * so every call is refused here, without sending it to a node (where it would count as a refused token).
 */
export function noNodeApi(): NodeApi {
  return new Proxy({} as NodeApi, {
    get: () => async () => {
      throw new NodeRefusal(
        403,
        "GEEN_GEMEENTE",
        "U bent aangemeld voor de cijfers van de regio, niet bij de verwijsindex van een gemeente. Meld u af en opnieuw aan om hier te werken.",
      );
    },
  });
}
