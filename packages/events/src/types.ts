/**
 * The `data` of each signed event type, exactly as docs/federation.md
 * ("Event types") describes it. Senders validate before signing, receivers
 * after verifying; unknown members are stripped.
 *
 * Pseudonyms are held to their exact shape (43 base64url characters, the
 * output of @vi/pseudonym's OPRF), so a plain BSN or address can never travel in a
 * pseudonym field, not even by mistake.
 */
import { z } from "zod";

const text = z.string().max(1000);
const nonEmpty = z.string().min(1).max(200);
const email = z
  .string()
  .max(320)
  .regex(/^[^@\s]+@[^@\s]+$/, "not an e-mail address");
/** A service id: a CBS code such as `GM0363`, or `hub`. */
const serviceId = z.string().min(1).max(64);
const pseudonymField = z.string().regex(/^[A-Za-z0-9_-]{43}$/, "not a pseudonym");
const status = z.enum(["actief", "gearchiveerd", "verwijderd"]);
const dateTime = z.iso.datetime({ offset: true });
/** A calendar date (`2025-03-01`) or a full timestamp. */
const dateOrDateTime = z.union([z.iso.date(), dateTime]);

/** W3C Trace Context, version 00: `00-<trace id>-<parent id>-<flags>` (docs/logging.md). */
export const traceparent = z.string().regex(/^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/);
/** The trace of the request that caused an event, so the receiver's log lines and audit rows carry its trace id. */
const traced = { traceparent: traceparent.optional() };

/** National pseudonyms (youth, parents, address; null: an institution address) and the national key version. */
const landelijkePseudoniemen = z.object({
  jeugdige: pseudonymField,
  ouders: z.array(pseudonymField).max(20),
  adres: pseudonymField.nullable(),
  sleutelversie: z.number().int().min(1).max(1_000_000),
});

const signaalIndex = z.object({
  signaalId: nonEmpty,
  node: serviceId,
  entryNode: serviceId,
  status,
  /** Milliseconds, monotonic per signal. */
  versie: z.number().int().nonnegative(),
  jeugdige: pseudonymField,
  ouders: z.array(pseudonymField).max(20),
  /** null for an institution address. */
  adres: pseudonymField.nullable(),
  /** The pseudonym service's key version the pseudonyms were made with (docs/adr/0024). */
  sleutelversie: z.number().int().min(1).max(1_000_000),
  professional: z.object({ email, naam: text, functie: text, telefoon: text, organisatie: text, domein: text }),
  /**
   * The NATIONAL pseudonyms of the same youth, parents and address (the national pseudonym service's key, through
   * the bridge; docs/national-chain.md), for the national index. Absent when the node has no bridge or could not
   * reach it (the node sends them later); the hub forwards them to the bridge (`brug.index`).
   */
  landelijk: landelijkePseudoniemen.optional(),
  ...traced,
});

/**
 * The hub's republication of a region's index change for the bridge (`evt.brug.index`, sealed to `brug`): the
 * national pseudonyms only (never the region's), the professional's contact details and the entry node (the
 * bridge encrypts those to the regions' bridges before anything leaves the region).
 */
const brugIndex = z.object({
  signaalId: nonEmpty,
  entryNode: serviceId,
  status,
  versie: z.number().int().nonnegative(),
  landelijk: landelijkePseudoniemen.nullable(),
  professional: z.object({ email, naam: text, functie: text, telefoon: text, organisatie: text, domein: text }),
  ...traced,
});

/** A professional's contact details as a match shows them to the other side. */
export const betrokkene = z.object({
  naam: text,
  functie: text,
  organisatie: text,
  domein: text,
  telefoon: text,
  email,
  eerderBetrokken: z.boolean(),
});

const matchMelding = z.object({
  matchId: z.uuid(),
  soort: z.enum(["client", "gezin"]),
  viaArchief: z.boolean(),
  aangemaaktOp: dateTime,
  voor: z.object({ email, signaalId: nonEmpty }),
  betrokkene,
  ...traced,
});

/**
 * Matches that no longer exist because one of their signals was withdrawn or
 * removed (23 years, death, archive term): the receiving entry node deletes
 * its meldingen of these matches, for every professional it holds them for.
 * Sent by the residence node (matches it made) and by the hub (its matches).
 */
const matchVerwijderd = z.object({
  matchIds: z.array(z.uuid()).min(1).max(1000),
});

/**
 * Matchregie: a match of the professional still has no contact recorded after the region's number of days. Sent
 * once by the residence node (which holds the match) to the entry node of a professional of it; the entry node
 * stores a `herinnering` melding, mailed once.
 */
const matchHerinnering = z.object({
  matchId: z.uuid(),
  soort: z.enum(["client", "gezin"]),
  aangemaaktOp: dateTime,
  dagen: z.number().int().min(1).max(3650),
  voor: z.object({ email, signaalId: nonEmpty }),
  ...traced,
});

/**
 * Matchregie of a family match across gemeenten (docs/adr/0039): the hub, which made the match, tells the residence
 * node of each side, so that gemeente follows up its own youth's side. `signaalId` is that node's own signal; `ander`
 * the other side's signal id and professional (never the other youth). Sent once per side, with the match.melding.
 */
const matchRegie = z.object({
  matchId: z.uuid(),
  soort: z.literal("gezin"),
  aangemaaktOp: dateTime,
  signaalId: z.uuid(),
  ander: z.object({ naam: text, functie: text, organisatie: text, domein: text, telefoon: text, email }),
  ...traced,
});

const verhuizingMelding = z.object({
  signaalId: nonEmpty.nullable(),
  voor: z.object({ email }).nullable(),
  vanGemeente: serviceId,
  naarGemeente: serviceId,
  datum: dateOrDateTime,
  ...traced,
});

const signaalRef = z.object({
  signaalId: nonEmpty,
  residentie: serviceId,
  status,
  einddatum: dateOrDateTime.nullable(),
  /**
   * On registration through another node: the professional and the signal as
   * the entry node shows it, so the entry node can create its pointer even
   * when the request/reply answer was lost.
   */
  voor: z.object({ email }).optional(),
  signaal: z.record(z.string(), z.unknown()).optional(),
  ...traced,
});

/** The professional on whose behalf a request runs, as the entry node vouches for them. */
export const actorSnapshot = z.object({
  email,
  naam: text,
  functie: text,
  telefoon: text,
  rol: text,
  signaleringsbevoegd: z.boolean(),
  medisch: z.boolean(),
  organisatie: z.object({ id: nonEmpty, naam: text, domein: text }),
});

const rpcRequest = z.object({
  op: nonEmpty,
  actor: actorSnapshot.nullable(),
  args: z.unknown().optional(),
  /** The trace the request belongs to, so the residence node's log and audit rows carry the same trace id. */
  ...traced,
});

const rpcReply = z.discriminatedUnion("ok", [
  z.object({ ok: z.literal(true), result: z.unknown().optional() }),
  z.object({
    ok: z.literal(false),
    problem: z.object({ code: nonEmpty, status: z.number().int().min(100).max(599), detail: z.string().max(4000) }),
  }),
]);

/** An organisation in the region's register: its category (domein) and the gemeenten it has a convenant with. */
export const registerOrganisatie = z.object({ id: nonEmpty, naam: text, domein: nonEmpty, aangeslotenBij: z.array(serviceId).max(1000) });

/** A person in the region's register, with their role and (for a professional) their designation. */
export const registerPersoon = z.object({
  /** The subject (`sub`) the identity provider issues: their identity in a token. */
  sub: z.string().min(1).max(255),
  email,
  naam: text,
  functie: text,
  telefoon: text,
  organisatieId: nonEmpty,
  /** `systeem`: an organisation's case system (its `sub` is its OAuth client id), acting for a named professional. */
  rol: z.enum(["professional", "coordinator", "matchregisseur", "privacyfunctionaris", "convenantmanager", "systeem"]),
  /** For a matchregisseur or privacy officer: the gemeente they act for. */
  gemeente: serviceId.nullable().optional(),
  signaleringsbevoegd: z.boolean(),
  medisch: z.boolean(),
  aangewezenOp: z.iso.date().nullable().optional(),
  ingetrokkenOp: z.iso.date().nullable().optional(),
});

/** The whole register at one version, as the hub signs it for a node that asks (at start, or after a gap). */
const registerVolledig = z.object({
  versie: z.number().int().nonnegative(),
  organisaties: z.array(registerOrganisatie).max(100_000),
  professionals: z.array(registerPersoon).max(1_000_000),
  instellingsadressen: z.array(z.object({ adresId: nonEmpty, omschrijving: text.nullable().optional() })).max(100_000),
});

/**
 * One change of the register (`evt.register.<GM>`, sealed to that node): the new state of what changed. A node applies it when it holds
 * `versie - 1`; otherwise it fetches the whole register again.
 */
const registerBijgewerkt = z.object({
  versie: z.number().int().positive(),
  organisaties: z.array(registerOrganisatie).max(1000),
  professionals: z.array(registerPersoon).max(1000),
  ...traced,
});

/** A node asks the hub for the whole register (the bearer of GET /api/v1/register/ondertekend). */
const registerVerzoek = z.object({ node: serviceId });

/**
 * A node's audit chain head (`evt.auditketen.<GM>`, sealed to the hub): the id and hash of its last audit row when
 * it read them. The hub keeps them as anchors; `npm run audit:verify` checks the node's chain still holds the last
 * one, so rows removed from the end are found (docs/logging.md).
 */
const auditketenKop = z.object({
  node: serviceId,
  regelId: z.number().int().positive(),
  hash: z.string().regex(/^[0-9a-f]{64}$/, "not a sha256 hash"),
  tijdstip: dateTime,
});

export const EVENT_SCHEMAS = {
  "signaal.index": signaalIndex,
  "brug.index": brugIndex,
  "match.melding": matchMelding,
  "match.verwijderd": matchVerwijderd,
  "verhuizing.melding": verhuizingMelding,
  "match.herinnering": matchHerinnering,
  "match.regie": matchRegie,
  "signaal.ref": signaalRef,
  "rpc.request": rpcRequest,
  "rpc.reply": rpcReply,
  "register.volledig": registerVolledig,
  "register.bijgewerkt": registerBijgewerkt,
  "register.verzoek": registerVerzoek,
  "auditketen.kop": auditketenKop,
} as const;

export type EventType = keyof typeof EVENT_SCHEMAS;
export type ActorSnapshot = z.infer<typeof actorSnapshot>;
export type Betrokkene = z.infer<typeof betrokkene>;
export type RegisterOrganisatie = z.infer<typeof registerOrganisatie>;
export type RegisterPersoon = z.infer<typeof registerPersoon>;
export type RegisterInhoud = z.infer<typeof registerVolledig>;
export type EventData<T extends EventType> = z.infer<(typeof EVENT_SCHEMAS)[T]>;

export const EVENT_TYPES = Object.keys(EVENT_SCHEMAS) as EventType[];

/** True for an own key of EVENT_SCHEMAS (never `toString`, `__proto__`, ...). */
export function isEventType(value: unknown): value is EventType {
  return typeof value === "string" && Object.hasOwn(EVENT_SCHEMAS, value);
}

/** Default lifetime: 300 s, RPC 60 s (docs/federation.md). */
export function defaultTtlSec(type: EventType): number {
  return type === "rpc.request" || type === "rpc.reply" ? 60 : 300;
}
