/**
 * The audit catalogue: every action the node logs, with the fields each may
 * carry. Rows are written inside the transaction of the change (or read)
 * they record. Youths appear only by internal id, never by BSN. A row written
 * while a request or message runs in a trace (W3C Trace Context) carries its
 * trace id in `details.traceId` (and its span in `spanId`, `parentSpanId`), so one registration can be followed across
 * the entry node, the residence node and the hub (docs/logging.md).
 */
import { createHash } from "node:crypto";
import { type Db, type NodeTables, rowsOf } from "@vi/db";
import { asc, desc, eq, inArray, isNotNull, or, sql } from "drizzle-orm";
import { getTableConfig } from "drizzle-orm/pg-core";
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
 * Writes audit rows as links of the node's hash chain (BIO2 8.15.01, docs/logging.md): each row carries the
 * previous row's hash and the hash of that with its own content. Concurrency-safe: the chain head is taken under
 * a transaction-scoped advisory lock, held until the writing transaction ends, so rows of concurrent
 * transactions form one chain in id order (the ids are drawn under the same lock).
 */
export async function audit(db: Db, t: NodeTables, entries: AuditEntry | AuditEntry[]): Promise<void> {
  const list = Array.isArray(entries) ? entries : [entries];
  if (list.length === 0) return;
  const trace = currentTrace();
  const schema = getTableConfig(t.auditLog).schema ?? "public";
  // A transaction of its own when called outside one; a savepoint inside one (the lock stays until the outer commit).
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`vi-audit-chain:${schema}`}))`);
    const [head] = await tx.select({ hash: t.auditLog.hash }).from(t.auditLog).where(isNotNull(t.auditLog.hash)).orderBy(desc(t.auditLog.id)).limit(1);
    const ids = rowsOf<{ id: string | number }>(
      await tx.execute(sql`select nextval(pg_get_serial_sequence(${`"${schema}".audit_log`}, 'id')) as id from generate_series(1, ${list.length})`),
    ).map((r) => Number(r.id));
    let previous = head?.hash ?? GENESIS;
    const rows = list.map((e, i) => {
      const row = {
        id: ids[i]!,
        tijdstip: e.at,
        actie: e.actie,
        actor: e.actor === "systeem" ? "systeem" : e.actor.email,
        namens: e.actor === "systeem" ? null : e.actor.organisatieId,
        jeugdigeId: e.jeugdigeId ?? null,
        signaalId: e.signaalId ?? null,
        // As jsonb gives it back (a Date becomes its ISO string, undefined members go), so the hash can be checked.
        details: asStored(withTrace(e.details, trace)),
      };
      const hash = chainHash(previous, row);
      const linked = { ...row, vorigeHash: previous, hash };
      previous = hash;
      return linked;
    });
    await tx.insert(t.auditLog).values(rows);
  });
}

/** The `vorige_hash` of the first row of a chain. */
export const GENESIS = "0".repeat(64);

/** What a row's hash covers: every column but the hashes themselves (action, object, result, origin, actor, on whose behalf, time). */
export interface AuditContent {
  id: number;
  tijdstip: Date;
  actie: string;
  actor: string;
  namens: string | null;
  jeugdigeId: string | null;
  signaalId: string | null;
  details: Record<string, unknown> | null;
}

/** sha256 (hex) of the previous hash and the row's content as canonical JSON (keys sorted, as jsonb gives them back in any order). */
export function chainHash(previous: string, row: AuditContent): string {
  const content = canonical({
    id: row.id,
    tijdstip: row.tijdstip.toISOString(),
    actie: row.actie,
    actor: row.actor,
    namens: row.namens,
    jeugdigeId: row.jeugdigeId,
    signaalId: row.signaalId,
    details: row.details,
  });
  return createHash("sha256").update(`${previous}\n${content}`).digest("hex");
}

function asStored(details: Record<string, unknown> | null): Record<string, unknown> | null {
  return details === null ? null : (JSON.parse(JSON.stringify(details)) as Record<string, unknown>);
}

function canonical(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v ?? null);
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  const entries = Object.entries(v as Record<string, unknown>)
    .filter(([, x]) => x !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(",")}}`;
}

export type ChainFinding =
  | { ok: true; rows: number; unchained: number }
  | { ok: false; rows: number; kind: "gewijzigd" | "ingevoegd" | "verwijderd"; id: number; previousId: number | null; message: string };

/**
 * Checks the node's audit chain in id order and names the first row that does not fit: changed (its content no
 * longer gives its hash), inserted (the next row links past it), or removed (a row is missing before it). Rows
 * written before the chain existed (no hash, before the first hashed row) are counted, not judged.
 */
export async function verifyAuditChain(db: Db, t: NodeTables): Promise<ChainFinding> {
  const rows = await db.select().from(t.auditLog).orderBy(asc(t.auditLog.id));
  const first = rows.findIndex((r) => r.hash !== null);
  const unchained = first === -1 ? rows.length : first;
  // The rows accepted so far (id and hash), to find where a row links to when it does not link to the last one.
  const accepted: { id: number; hash: string }[] = [];
  const expected = () => accepted.at(-1)?.hash ?? GENESIS;
  const lastId = () => accepted.at(-1)?.id ?? (first > 0 ? rows[first - 1]!.id : null);
  for (let i = unchained; i < rows.length; i++) {
    const r = rows[i]!;
    const own = r.hash !== null && r.vorigeHash !== null && chainHash(r.vorigeHash, r) === r.hash;
    if (own && r.vorigeHash === expected()) {
      accepted.push({ id: r.id, hash: r.hash! });
      continue;
    }
    const previousId = lastId();
    const base = { ok: false as const, rows: rows.length, previousId };
    const next = rows[i + 1];
    if (next && next.vorigeHash === expected()) {
      return { ...base, id: r.id, kind: "ingevoegd", message: `auditregel ${r.id} is ingevoegd: regel ${next.id} volgt op ${previousId ?? "het begin"}` };
    }
    if (own) {
      // It links to an earlier row: the rows accepted after that one were inserted (even with valid hashes).
      const k = r.vorigeHash === GENESIS ? -1 : accepted.findIndex((a) => a.hash === r.vorigeHash);
      if (k < accepted.length - 1 && (k >= 0 || r.vorigeHash === GENESIS)) {
        const inserted = accepted[k + 1]!;
        return {
          ...base,
          id: inserted.id,
          previousId: k >= 0 ? accepted[k]!.id : null,
          kind: "ingevoegd",
          message: `auditregel ${inserted.id} is ingevoegd: regel ${r.id} volgt op ${k >= 0 ? `regel ${accepted[k]!.id}` : "het begin"}`,
        };
      }
      return {
        ...base,
        id: r.id,
        kind: "verwijderd",
        message: `voor auditregel ${r.id} is een regel verwijderd: hij volgt niet op ${previousId === null ? "het begin" : `regel ${previousId}`}`,
      };
    }
    if (r.vorigeHash === expected()) {
      return { ...base, id: r.id, kind: "gewijzigd", message: `auditregel ${r.id} is gewijzigd: de inhoud geeft niet meer de opgeslagen hash` };
    }
    return { ...base, id: r.id, kind: "gewijzigd", message: `auditregel ${r.id} is gewijzigd: de inhoud en de koppeling kloppen niet` };
  }
  return { ok: true, rows: rows.length, unchained };
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
