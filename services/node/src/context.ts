import type { BrpClient } from "@vi/brp";
import type { Db, NodeTables } from "@vi/db";
import type { Clock } from "@vi/domain";
import type { Region } from "@vi/region";
import type { Logger } from "@vi/service";
import type { Bus } from "@vi/bus";
import type { OutboxRelay } from "@vi/db";
import type { EventMetrics, RpcClient, ServiceKeys, TrustRegistry } from "@vi/events";
import type { Mailer } from "@vi/mail";
import type { NoticeRow, RemovedNotice } from "./model";
import type { NoticeView } from "./schemas";
import type { NationalLink } from "./logic/national-link";

/** Everything the node's business logic needs; passed in, never imported as a module global. */
export interface NodeContext {
  db: Db;
  t: NodeTables;
  brp: BrpClient;
  clock: Clock;
  log: Logger;
  gemeente: { code: string; naam: string };
  /** The gemeenten that take part in the region (inzage is only for their residents). */
  region: Region;
  /** Default signal duration chosen by the region, in months (at most 24). */
  standaardDuurMaanden: number;
  /** How long audit rows are kept, in years (AUDIT_BEWAARTERMIJN_JAREN, docs/logging.md); 0 or absent: for ever. */
  auditBewaartermijnJaren?: number;
  /** Links to the region (bus, keys, trust); absent when the node runs on its own. */
  fed?: Federation;
  /** Delivers meldingen: live stream and e-mail. */
  notifier: Notifier;
  /** Base URL of this node's application, for links in e-mails. */
  publicUrl: string;
  /** Matchregie settings of the region (absent: the defaults of @vi/domain, reminders after 14 days). */
  matchregie?: MatchregieSettings;
  /** The region's register (every organisation's connections): the only source of authorisation. */
  register: RegisterView;
  /** The register's version and how it is replaced or changed (the hub's signed copy and updates). */
  registerSource?: RegisterSource;
  /** The bound on registrations on different youths (PATROON_*); absent: no bound. */
  patroon?: PatternGuard;
  /** Sends the reports of an unusual pattern to the convenantmanager; absent: no SMTP (the report is audit-logged only). */
  mailer?: Mailer;
  /**
   * The link to the national index through the region's bridge (LANDELIJK=aan, docs/national-chain.md): national
   * pseudonyms in the index events, and registration without a BSN (docs/adr/0038). Absent: neither (such a
   * registration gets a 503).
   */
  national?: NationalLink;
  /** Signals whose index events went without national pseudonyms (the link was down): sent again later. */
  nationalPending?: Set<string>;
}

/** Matchregie as the region sets it: the rule that proposes a regievoerder, and when a match without contact is due a reminder. */
export interface MatchregieSettings {
  /** Categories in the order they take the lead (first: the proposed regievoerder). */
  domeinVolgorde: readonly string[];
  /** Days without contact before the professionals are reminded (0: never). */
  herinneringDagen: number;
}

/** The register as held in memory: its version (0: the bootstrap file), the whole of it, and how it changes. */
export interface RegisterSource {
  versie(): number;
  replace(register: RegisterContent, versie: number): void;
  apply(change: { versie: number; organisaties: RegisterOrganisation[]; professionals: RegisterProfessional[] }): "toegepast" | "oud" | "gat";
}

/** The whole region's register. */
export interface RegisterContent {
  organisaties: RegisterOrganisation[];
  professionals: RegisterProfessional[];
  instellingsadressen: { adresId: string; omschrijving?: string }[];
}

/** An organisation in the region's register, with the gemeenten it has a convenant with. */
export interface RegisterOrganisation {
  id: string;
  naam: string;
  domein: string;
  aangeslotenBij: string[];
}

/** A professional in the region's register. */
export interface RegisterProfessional {
  /** The subject (`sub`) of their tokens. */
  sub: string;
  email: string;
  naam: string;
  functie: string;
  telefoon: string;
  organisatieId: string;
  rol: string;
  signaleringsbevoegd: boolean;
  medisch: boolean;
  /** For a matchregisseur or privacy officer: the gemeente they act for. */
  gemeente?: string | null;
  aangewezenOp?: string | null;
  ingetrokkenOp?: string | null;
}

/**
 * The whole region's register as the node consults it: which organisation is
 * connected to which gemeente, and who its professionals are. Authorisation
 * comes from here, never from the professionals a node has recorded because
 * another node acted for them.
 */
export interface RegisterView {
  organisation(id: string): RegisterOrganisation | undefined;
  professional(email: string): RegisterProfessional | undefined;
  /** The professional whose tokens carry this subject (`sub`). */
  bySubject(sub: string): RegisterProfessional | undefined;
  /** Has organisation `organisatieId` a convenant with gemeente `gemeenteCode`? */
  connected(organisatieId: string, gemeenteCode: string): boolean;
  /** The region's convenantmanagers (not revoked): whom an unusual pattern is reported to. */
  convenantmanagers(): RegisterProfessional[];
}

/**
 * The bound on an unusual pattern (issue 9, docs/adr/0025): how many different youths one professional may
 * register on within a sliding window. In memory per node process; youths are held only as a keyed hash whose
 * key never leaves the process, for at most the window.
 */
export interface PatternGuard {
  readonly maxJeugdigen: number;
  readonly vensterMinuten: number;
  /**
   * Counts this youth for this professional, unless it is counted already in the window. Refused when it is a
   * new youth and the bound is reached; `report` is true once per professional per window.
   */
  reserve(professionalId: string, bsn: string, nowMs: number): { ok: true; release(): void } | { ok: false; retryAfterSec: number; report: boolean };
}

/** The professional on whose behalf a request runs. */
export interface Actor {
  professionalId: string;
  email: string;
  naam: string;
  functie: string;
  telefoon: string;
  organisatieId: string;
  organisatieNaam: string;
  /** The category (domein) of the professional's organisation. */
  domein: string;
  rol: string;
  signaleringsbevoegd: boolean;
  medisch: boolean;
  /** Set when the professional acts through their organisation's case system: its client id (logged with every row). */
  viaSysteem?: string;
}

/**
 * The node's link to the region: the bus, its own signing keys, the trust
 * registry, metrics, the outbox relay and the RPC client (also to the
 * pseudonym service: the node holds no pseudonym key, docs/adr/0024).
 */
export interface Federation {
  bus: Bus;
  keys: ServiceKeys;
  trust: TrustRegistry;
  metrics: EventMetrics;
  relay: OutboxRelay;
  rpc: RpcClient;
}

/** What an open live stream is sent: a new melding, or the id of one that was deleted. */
export type StreamEvent = { event: "melding"; melding: NoticeView } | { event: "melding-verwijderd"; id: string };

/** Delivers meldingen: live stream and e-mail. */
export interface Notifier {
  /** Call after the transaction that inserted these meldingen committed. */
  delivered(rows: NoticeRow[]): void;
  /** Call after the transaction that deleted these meldingen committed. */
  removed(rows: RemovedNotice[]): void;
  subscribe(professionalId: string, listener: (e: StreamEvent) => void): () => void;
  /** Mails every melding not yet mailed; resolves with the number sent. */
  flushMail(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
}
