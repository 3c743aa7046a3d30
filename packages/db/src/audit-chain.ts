/**
 * The audit log as a hash chain (BIO2 8.15.01, docs/logging.md), shared by the nodes and the hub: the table, the
 * writer that links each row to the previous one, and the checker that names the first row that was changed,
 * inserted or removed. Each service keeps its own chain in its own schema.
 */
import { createHash } from "node:crypto";
import { asc, desc, eq, sql } from "drizzle-orm";
import { bigserial, getTableConfig, index, jsonb, PgTransaction, type PgSchema, text, timestamp, uuid } from "drizzle-orm/pg-core";
import type { Db } from "./open";

/** Append-only audit trail, written in the same transaction as the change or read it records. */
export function auditLogTable(schema: PgSchema<string>) {
  return schema.table(
    "audit_log",
    {
      id: bigserial("id", { mode: "number" }).primaryKey(),
      tijdstip: timestamp("tijdstip", { withTimezone: true }).notNull(),
      actie: text("actie").notNull(),
      actor: text("actor").notNull(),
      namens: text("namens"),
      jeugdigeId: uuid("jeugdige_id"),
      signaalId: uuid("signaal_id"),
      details: jsonb("details").$type<Record<string, unknown>>(),
      /** Hash chain (BIO2 8.15.01): the previous row's `hash`, and sha256 of it with this row's content (docs/logging.md). */
      vorigeHash: text("vorige_hash"),
      hash: text("hash"),
    },
    (t) => [index("audit_log_jeugdige_idx").on(t.jeugdigeId)],
  );
}

export type AuditLogTable = ReturnType<typeof auditLogTable>;

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

function canonical(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v ?? null);
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  const entries = Object.entries(v as Record<string, unknown>)
    .filter(([, x]) => x !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(",")}}`;
}

/** As jsonb gives it back (a Date becomes its ISO string, undefined members go), so the hash can be checked. */
export function asStored(details: Record<string, unknown> | null | undefined): Record<string, unknown> | null {
  return details == null ? null : (JSON.parse(JSON.stringify(details)) as Record<string, unknown>);
}

/**
 * Appends rows to a service's audit chain: each row carries the previous row's hash and the hash of that with its
 * own content. Concurrency-safe: the chain head is taken under a transaction-scoped advisory lock, held until the
 * writing transaction ends, so rows of concurrent transactions form one chain in id order (the ids are drawn under
 * the same lock). Given a transaction, it appends in it (its lock then lasts to that transaction's commit); given
 * the database, in a transaction of its own.
 *
 * Three statements: the lock; then, once it is held, the head and the new ids together (a statement sees what was
 * committed when it began, so the head is read only after the lock, in a statement of its own); the rows.
 */
export async function appendToAuditChain(db: Db, table: AuditLogTable, list: Omit<AuditContent, "id">[]): Promise<void> {
  if (list.length === 0) return;
  if (!(db instanceof PgTransaction)) return db.transaction((tx) => appendToAuditChain(tx, table, list));
  const schema = getTableConfig(table).schema ?? "public";
  // The lock and the head in one round trip: sent together, the head is read once the lock is held.
  const [, drawn] = await Promise.all([
    db.execute(sql`select pg_advisory_xact_lock(hashtext(${`vi-audit-chain:${schema}`}))`),
    db.execute(
      sql`select (select ${table.hash} from ${table} where ${table.hash} is not null order by ${table.id} desc limit 1) as head,
                 nextval(pg_get_serial_sequence(${`"${schema}".audit_log`}, 'id')) as id
            from generate_series(1, ${list.length})`,
    ),
  ]);
  // postgres.js gives the rows as the result, PGlite as its `rows`.
  const drawnRows = (Array.isArray(drawn) ? drawn : (drawn as { rows: unknown[] }).rows) as { head: string | null; id: string | number }[];
  let previous = drawnRows[0]?.head ?? GENESIS;
  const rows = list.map((content, i) => {
    const row = { ...content, id: Number(drawnRows[i]!.id), details: asStored(content.details) };
    const hash = chainHash(previous, row);
    const linked = { ...row, vorigeHash: previous, hash };
    previous = hash;
    return linked;
  });
  await db.insert(table).values(rows);
}

export type ChainFinding =
  | { ok: true; rows: number; unchained: number }
  | { ok: false; rows: number; kind: "gewijzigd" | "ingevoegd" | "verwijderd"; id: number; previousId: number | null; message: string };

/**
 * Checks an audit chain in id order and names the first row that does not fit: changed (its content no longer
 * gives its hash), inserted (the next row links past it), or removed (a row is missing before it). Rows written
 * before the chain existed (no hash, before the first hashed row) are counted, not judged.
 */
export async function verifyAuditChainOf(db: Db, table: AuditLogTable): Promise<ChainFinding> {
  const rows = await db.select().from(table).orderBy(asc(table.id));
  const first = rows.findIndex((r) => r.hash !== null);
  const unchained = first === -1 ? rows.length : first;
  // A chain whose start was cut by retention starts at the hash of the last row removed, as a later row of the
  // chain itself (`auditlog.ingekort`, checked with the rest) says; any other start follows 64 zeros.
  const start = first === -1 ? undefined : rows[first]!;
  const cut =
    start && start.vorigeHash !== GENESIS
      ? rows.find(
          (r) =>
            r.actie === CUT_ACTION &&
            r.details?.hash === start.vorigeHash &&
            typeof r.details?.totEnMetRegel === "number" &&
            r.details.totEnMetRegel < start.id,
        )
      : undefined;
  const genesis = cut && start ? start.vorigeHash! : GENESIS;
  // The rows accepted so far (id and hash), to find where a row links to when it does not link to the last one.
  const accepted: { id: number; hash: string }[] = [];
  const expected = () => accepted.at(-1)?.hash ?? genesis;
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
      const k = r.vorigeHash === genesis ? -1 : accepted.findIndex((a) => a.hash === r.vorigeHash);
      if (k < accepted.length - 1 && (k >= 0 || r.vorigeHash === genesis)) {
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

/** An anchored chain head (kept outside the chain's database: at the hub, or exported from it). */
export interface AuditAnchor {
  regelId: number;
  hash: string;
}

export type AnchorFinding =
  | { ok: true; regelId: number }
  | { ok: false; kind: "afgekapt" | "verwijderd" | "herschreven"; regelId: number; lastId: number | null; message: string };

/**
 * Checks that the chain still holds an anchored head: the row with that id and that hash. With the chain itself
 * whole (verifyAuditChainOf), every row up to the anchor is then as it was when it was anchored. A chain that ends
 * before the anchored row was cut at the end (`afgekapt`: the rows after its last one were removed), one that
 * lacks just that row had it removed, and a row with another hash was rewritten.
 */
export async function checkAuditAnchor(db: Db, table: AuditLogTable, anchor: AuditAnchor): Promise<AnchorFinding> {
  const [row] = await db.select({ hash: table.hash }).from(table).where(eq(table.id, anchor.regelId));
  const [last] = await db.select({ id: table.id }).from(table).orderBy(desc(table.id)).limit(1);
  const lastId = last?.id ?? null;
  if (row && row.hash === anchor.hash) return { ok: true, regelId: anchor.regelId };
  if (row) {
    return {
      ok: false,
      kind: "herschreven",
      regelId: anchor.regelId,
      lastId,
      message: `auditregel ${anchor.regelId} heeft een andere hash dan de hub verankerde: de keten is vanaf daar herschreven`,
    };
  }
  if (lastId === null || lastId < anchor.regelId) {
    return {
      ok: false,
      kind: "afgekapt",
      regelId: anchor.regelId,
      lastId,
      message: `de keten is afgekapt: de hub verankerde regel ${anchor.regelId}, maar de keten eindigt ${lastId === null ? "zonder regels" : `bij regel ${lastId}`}; de regels ${lastId === null ? "tot en met" : `na ${lastId} tot en met`} ${anchor.regelId} zijn verwijderd`,
    };
  }
  return {
    ok: false,
    kind: "verwijderd",
    regelId: anchor.regelId,
    lastId,
    message: `auditregel ${anchor.regelId}, die de hub verankerde, is verwijderd`,
  };
}

/** The audit action of a retention cut at the start of a chain (its details name the new start; see cutAuditChainStart). */
export const CUT_ACTION = "auditlog.ingekort";

export interface ChainCut {
  /** The last row removed: the remaining chain's first row links to its hash. */
  totEnMetRegel: number;
  hash: string;
  aantal: number;
}

/**
 * Removes the rows written before `before` from the START of a chain (retention), never its last row, under the
 * chain's lock. The caller appends a row `auditlog.ingekort` with the returned cut as its details, in the same
 * transaction: that row (itself part of the chain) tells the checker where the chain now starts. Undefined when
 * there is nothing to remove.
 */
export async function cutAuditChainStart(db: Db, table: AuditLogTable, before: Date): Promise<ChainCut | undefined> {
  const schema = getTableConfig(table).schema ?? "public";
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`vi-audit-chain:${schema}`}))`);
    const [head] = await tx.select({ id: table.id }).from(table).orderBy(desc(table.id)).limit(1);
    if (!head) return undefined;
    // The rows before the first one that is young enough (or the head), in id order: a cut is always a prefix.
    const [keep] = await tx
      .select({ id: table.id })
      .from(table)
      .where(sql`${table.tijdstip} >= ${before.toISOString()} or ${table.id} = ${head.id}`)
      .orderBy(asc(table.id))
      .limit(1);
    const [last] = await tx.select({ id: table.id, hash: table.hash }).from(table).where(sql`${table.id} < ${keep!.id}`).orderBy(desc(table.id)).limit(1);
    if (!last?.hash) return undefined;
    const removed = await tx.delete(table).where(sql`${table.id} <= ${last.id}`).returning({ id: table.id });
    return { totEnMetRegel: last.id, hash: last.hash, aantal: removed.length };
  });
}
