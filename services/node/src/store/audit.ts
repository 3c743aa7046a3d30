/**
 * The audit catalogue: every action the node logs, with the fields each may
 * carry. Rows are written inside the transaction of the change (or read)
 * they record. Youths appear only by internal id, never by BSN. A row written
 * while a request or message runs in a trace (W3C Trace Context) carries its
 * trace id in `details.traceId` (and its span in `spanId`, `parentSpanId`), so one registration can be followed across
 * the entry node, the residence node and the hub (docs/logging.md).
 */
import {
  appendToAuditChain,
  type AuditContent,
  type ChainCut,
  type ChainFinding,
  chainHash,
  cutAuditChainStart,
  type Db,
  type NodeTables,
  verifyAuditChainOf,
} from "@vi/db";
import { asc, desc, eq, inArray, isNotNull, or } from "drizzle-orm";
import { currentTrace, type Trace } from "@vi/service";
import type { Actor } from "../context";

export const AUDIT_ACTIONS = {
  "signaal.geregistreerd": "A signal was registered",
  "signaal.verlengd": "A signal's end date was extended",
  "signaal.geinformeerd": "The professional recorded that they informed the youth and/or the parents (whom, when)",
  "signaal.beeindigd": "A signal was ended and archived",
  "signaal.ingetrokken": "A signal was withdrawn as unjustified and deleted",
  "signaal.verlopen": "A signal passed its end date and was archived",
  "signaal.verwijderd": "A signal was deleted by retention (23 years, death, archive period)",
  "match.gemaakt": "A match was made and delivered",
  "signalen.gelezen": "A professional read the list of their own signals (one row per signal, or one with aantal 0)",
  "signaal.gelezen": "A professional read one of their signals",
  "matches.gelezen": "A professional read their matches (one row per match, or one with aantal 0)",
  "meldingen.gelezen": "A professional read a melding: in the list (one row per melding, or one with aantal 0) or pushed on their live stream (via: stream)",
  "meldingenstroom.geopend": "A professional opened their live stream of meldingen",
  "clientkaart.gelezen": "A professional opened a client card",
  "archief.geopend": "A professional opened the archive part of a client card (earlier involvement)",
  "inzage.getoond": "Inzage was prepared for parents or the youth",
  "inzage.geweigerd": "Inzage was refused",
  "signaal.geimporteerd": "A signal was loaded by the bulk import path (bench/import.ts)",
  "jeugdige.bijgewerkt": "A youth's data were refreshed from the BRP (a BRP mutation, or the daily refresh when the family changed)",
  "jeugdige.verhuisd": "A youth moved to another gemeente; their signals went to that node",
  "jeugdige.binnengekomen": "A youth moved here; their signals arrived from the previous node",
  "melding.ontvangen": "A match or relocation notice arrived for a professional of this node",
  "melding.verwijderd": "A melding was deleted: its match or its signal was withdrawn or removed",
  "auditlog.ingekort":
    "Retention removed the audit rows older than the term from the start of the chain (details: totEnMetRegel, hash (the remaining chain starts after it), aantal, bewaartermijnJaren)",
  "registratie.geweigerd":
    "A registration was refused as an unusual pattern: one different youth too many within the window (details: reden, maxJeugdigen, vensterMinuten)",
  "patroon.gemeld":
    "An unusual pattern of this professional was reported to the convenantmanager (details: aan, maxJeugdigen, vensterMinuten); once per window",
  "matchregie.gelezen": "The matchregisseur read the gemeente's matches (one row per match shown, without a youth's name; or one with aantal 0)",
  "matchregie.geopend": "The matchregisseur opened one match to act on it: the youth's name was shown (one row per youth)",
  "matchregie.regievoerder": "The matchregisseur confirmed a regievoerder of a match (signaalId: the regievoerder's signal)",
  "matchregie.status": "The follow-up status of a match was set, by the matchregisseur or a professional of the match (details.als)",
  "matchregie.herinnering": "A match without contact was reminded once: meldingen to its professionals, flagged for the matchregisseur",
  "matchregie.regiomatch":
    "The hub made a family match across gemeenten with a signal held here: this gemeente's side of it joined the matchregie (docs/adr/0039)",
  "avg.opgevraagd": "The gemeente's privacy officer looked up what the index holds on a youth (doel: inzien, export-json, export-pdf), AVG art. 15",
  "avg.gerectificeerd": "The privacy officer refreshed a youth's data from the BRP and matched again (AVG art. 16); details name the changed fields",
  "avg.signaal-verwijderd": "The privacy officer removed a signal that should not be there (reden from a closed list), deleted like a withdrawal",
  "signaal.overgedragen": "An organisation coordinator handed a leaving professional's active signal to a colleague (van, naar)",
} as const;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

export interface AuditEntry {
  actie: AuditAction;
  actor: Actor | "systeem";
  jeugdigeId?: string | null;
  signaalId?: string | null;
  details?: Record<string, unknown>;
  at: Date;
}

/**
 * Writes audit rows as links of the node's hash chain (BIO2 8.15.01, docs/logging.md; the chain is @vi/db's,
 * shared with the hub): each row carries the previous row's hash and the hash of that with its own content.
 */
export async function audit(db: Db, t: NodeTables, entries: AuditEntry | AuditEntry[]): Promise<void> {
  const list = Array.isArray(entries) ? entries : [entries];
  if (list.length === 0) return;
  const trace = currentTrace();
  const rows = list.map((e) => ({
    tijdstip: e.at,
    actie: e.actie,
    actor: e.actor === "systeem" ? "systeem" : e.actor.email,
    namens: e.actor === "systeem" ? null : e.actor.organisatieId,
    jeugdigeId: e.jeugdigeId ?? null,
    signaalId: e.signaalId ?? null,
    details: withTrace(e.actor !== "systeem" && e.actor.viaSysteem ? { ...e.details, viaSysteem: e.actor.viaSysteem } : e.details, trace),
  }));
  const held = heldBack.get(db);
  if (held) held.push(...rows);
  else await appendToAuditChain(db, t.auditLog, rows);
}

/** Audit rows of a transaction running under {@link auditLast}, by its handle, not yet appended. */
const heldBack = new WeakMap<Db, Omit<AuditContent, "id">[]>();

/**
 * Runs `work` in the transaction `tx` with every audit row it writes through `tx` held back, then appends them all at
 * its end, in the order written, in one append. The chain's lock (held to the commit) is then the last lock the
 * transaction takes, as in every single-change transaction, which audits after its other writes. A transaction that
 * took the chain's lock first and other rows after it (a batch of received events, each written and audited in turn)
 * deadlocked against one holding such a row and waiting for the chain: the registration at the entry node (its
 * pointer, then its audit row) against the pointer event for the same signal (docs/adr/0043).
 */
export async function auditLast<T>(tx: Db, t: NodeTables, work: () => Promise<T>): Promise<T> {
  if (heldBack.has(tx)) return work();
  const held: Omit<AuditContent, "id">[] = [];
  heldBack.set(tx, held);
  let result: T;
  try {
    result = await work();
  } finally {
    heldBack.delete(tx);
  }
  await appendToAuditChain(tx, t.auditLog, held);
  return result;
}

/**
 * Appends the rows `tx` has held back so far (under {@link auditLast}) now, for a transaction that reads its own audit
 * rows. It takes the chain's lock here, so nothing may be written after it but audit rows.
 */
export async function auditNow(tx: Db, t: NodeTables): Promise<void> {
  const held = heldBack.get(tx);
  if (!held || held.length === 0) return;
  await appendToAuditChain(tx, t.auditLog, held.splice(0));
}

export { chainHash, type ChainFinding };

/** Checks the node's audit chain (see verifyAuditChainOf). */
export function verifyAuditChain(db: Db, t: NodeTables): Promise<ChainFinding> {
  return verifyAuditChainOf(db, t.auditLog);
}

/** Every audit row about one youth (by internal id), in order: for a request under AVG art. 15 (the AVG desk comes later). */
export async function auditRowsOfYouth(db: Db, t: NodeTables, jeugdigeId: string) {
  const signals = db.select({ id: t.signalen.id }).from(t.signalen).where(eq(t.signalen.jeugdigeId, jeugdigeId));
  return db
    .select({
      id: t.auditLog.id,
      tijdstip: t.auditLog.tijdstip,
      actie: t.auditLog.actie,
      actor: t.auditLog.actor,
      namens: t.auditLog.namens,
      signaalId: t.auditLog.signaalId,
      details: t.auditLog.details,
      hash: t.auditLog.hash,
    })
    .from(t.auditLog)
    .where(or(eq(t.auditLog.jeugdigeId, jeugdigeId), inArray(t.auditLog.signaalId, signals)))
    .orderBy(asc(t.auditLog.id));
}

function withTrace(details: Record<string, unknown> | undefined, trace: Trace | undefined): Record<string, unknown> | null {
  if (!trace) return details ?? null;
  // Logboek dataverwerkingen: trace_id, span_id (operation_id) and parent_span_id (docs/logging.md).
  return { ...details, traceId: trace.traceId, spanId: trace.spanId, ...(trace.parentId ? { parentSpanId: trace.parentId } : {}) };
}

/** The head of the node's audit chain: its last hashed row's id and hash (undefined while the chain is empty). */
export async function auditChainHead(db: Db, t: NodeTables): Promise<{ id: number; hash: string } | undefined> {
  const [head] = await db
    .select({ id: t.auditLog.id, hash: t.auditLog.hash })
    .from(t.auditLog)
    .where(isNotNull(t.auditLog.hash))
    .orderBy(desc(t.auditLog.id))
    .limit(1);
  return head?.hash ? { id: head.id, hash: head.hash } : undefined;
}

/** Removes the audit rows written before `before` from the start of the chain (never its last row); see cutAuditChainStart. */
export function cutAuditStart(db: Db, t: NodeTables, before: Date): Promise<ChainCut | undefined> {
  return cutAuditChainStart(db, t.auditLog, before);
}
