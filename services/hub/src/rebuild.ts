/**
 * Rebuilding the index: it is derived state. Each node is asked over the bus
 * (`rpc.<GM>`, signed `rpc.request` op `index.opvragen`) for the index entries
 * of the signals it holds, a page at a time (the signals after a cursor, in id
 * order, at most REBUILD_PAGE_SIZE of them and no more than fit in one message
 * of the bus: docs/adr/0034). Each page is stored as it comes, in a short
 * transaction of its own under the index lock; once every node has answered,
 * one transaction drops what no answering node holds any more, recomputes
 * every cross-node family pair, and records the missing hub matches (with
 * their meldingen). Matches are never removed, and ids are deterministic, so
 * rebuilding twice, or after normal operation, yields the same hub matches.
 * The hub holds one page per node in memory, never a node's whole index.
 *
 * A node answers with its entries under every key version the pseudonym
 * service holds; the index takes those of its active version, and during a
 * key rotation the entries of the next version are staged (docs/adr/0024).
 *
 * A node that does not answer (or stops answering halfway) keeps its entries
 * as they are. Entries that arrived by event after a page was taken are not
 * lost: a page's entry replaces a stored one only when it is as new or newer,
 * and a stored entry is dropped only when it was stored before the rebuild
 * began and no page named it (every signal a page names is marked as seen by
 * its `bijgewerkt_op`, also when the stored entry was newer).
 */
import { errorForLog } from "@vi/service";
import { and, asc, inArray, lt, notInArray, sql } from "drizzle-orm";
import { z } from "zod";
import { dbReplayGuard, rowsOf } from "@vi/db";
import { createRpcClient, EVENT_SCHEMAS, RpcRefused, type RpcClient } from "@vi/events";
import type { HubContext } from "./context";
import { HUB_ID } from "./context";
import { keyStateAdopting, readKeyState, stageEntries } from "./key-versions";
import { allFamilyPairs, lockIndex, normaliseSignaalId, recordMatches, upsertEntries, type IndexEntry } from "./matching";

export interface RebuildReport {
  nodes: Record<string, number | "onbereikbaar">;
  /** Pages each node answered (also those of a node that stopped answering halfway). */
  paginas: Record<string, number>;
  /** The key version of the index, and the next one's staged entries during a rotation. */
  sleutelversie: number | null;
  staged?: number;
  indexed: number;
  matches: string[];
  added: string[];
}

/** A page of a node's index; `volgende` absent: a node of an older version, which sends its whole index at once. */
const SnapshotPage = z.object({ entries: z.array(EVENT_SCHEMAS["signaal.index"]), volgende: z.uuid().nullable().optional() });

function snapshotClient(ctx: HubContext): RpcClient {
  return createRpcClient({
    self: HUB_ID,
    keys: ctx.keys,
    trust: ctx.trust,
    transport: ctx.bus,
    replay: dbReplayGuard(ctx.db, ctx.t.ontvangenEvents),
    metrics: ctx.metrics,
    timeoutMs: ctx.config.REBUILD_TIMEOUT_MS,
    now: () => ctx.clock.now(),
  });
}

/** One page of a node's index entries: those of the signals after `na`, and where the next page starts (null: none). */
export async function requestSnapshotPage(
  ctx: HubContext,
  code: string,
  na: string | undefined,
  rpc: RpcClient = snapshotClient(ctx),
): Promise<{ entries: IndexEntry[]; volgende: string | null }> {
  let result: unknown;
  try {
    result = await rpc.call(code, "index.opvragen", null, { ...(na ? { na } : {}), limiet: ctx.config.REBUILD_PAGE_SIZE });
  } catch (e) {
    if (e instanceof RpcRefused) throw new Error(`${code} refused the snapshot: ${e.problem.code}`);
    throw e;
  }
  const parsed = SnapshotPage.safeParse(result);
  if (!parsed.success) throw new Error(`${code} sent an invalid snapshot`);
  const volgende = parsed.data.volgende ? normaliseSignaalId(parsed.data.volgende) : null;
  // The cursor must move on, or a faulty node would keep the rebuild asking for ever.
  if (volgende && na && volgende <= na) throw new Error(`${code} sent a page that does not move on`);
  return { entries: parsed.data.entries, volgende: volgende ?? null };
}

/** The index entries of one node, every page (tests and tools; the rebuild itself stores each page as it comes). */
export async function requestSnapshot(ctx: HubContext, code: string): Promise<IndexEntry[]> {
  const rpc = snapshotClient(ctx);
  const all: IndexEntry[] = [];
  let na: string | undefined;
  for (;;) {
    const page = await requestSnapshotPage(ctx, code, na, rpc);
    all.push(...page.entries);
    if (!page.volgende) return all;
    na = page.volgende;
  }
}

interface PageOutcome {
  /** Entries of the active key version (counted as the old, unpaged rebuild did: every valid entry of that version). */
  indexed: number;
  staged: number;
}

/**
 * Stores one page of node `code` in its own transaction under the index lock: the entries of the active key version
 * into the index (as new or newer), those of the next version into the stage while a rotation runs, and marks every
 * signal the page names as seen (`bijgewerkt_op`), so the final sweep keeps it.
 */
async function storePage(ctx: HubContext, code: string, entries: IndexEntry[], started: string): Promise<PageOutcome> {
  const valid: IndexEntry[] = [];
  for (const e of entries) {
    const signaalId = normaliseSignaalId(e.signaalId);
    if (e.node !== code || !signaalId) {
      ctx.log.warn({ node: code }, "snapshot entry ignored: not a signal of this node");
      continue;
    }
    valid.push({ ...e, signaalId });
  }
  if (valid.length === 0) return { indexed: 0, staged: 0 };
  return ctx.db.transaction(async (tx) => {
    await lockIndex(tx, ctx.schema);
    // A new hub adopts the newest version the nodes report (an older one is being retired).
    const keys = (await readKeyState(ctx, tx)) ?? (await keyStateAdopting(ctx, tx, Math.max(...valid.map((e) => e.sleutelversie))));
    const newest = (version: number) => {
      const m = new Map<string, IndexEntry>();
      for (const e of valid) {
        if (e.sleutelversie !== version) continue;
        const seen = m.get(e.signaalId);
        if (!seen || seen.versie < e.versie) m.set(e.signaalId, e);
      }
      return m;
    };
    const active = newest(keys.actief);
    let indexed = 0;
    for (const e of valid) if (e.sleutelversie === keys.actief) indexed++;
    if (active.size) {
      await upsertEntries(ctx, tx, [...active.values()], "same-or-newer");
      // Seen: also a stored entry newer than the page's (an event overtook the page) is kept by the final sweep.
      const t = ctx.t.indexSignalen;
      await tx
        .update(t)
        .set({ bijgewerktOp: sql`clock_timestamp()` })
        .where(and(inArray(t.signaalId, [...active.keys()]), lt(t.bijgewerktOp, sql`${started}::timestamptz`)));
    }
    let staged = 0;
    if (keys.volgende !== null) {
      const next = newest(keys.volgende);
      // Staged only while the rotation that asked for them still runs.
      if (next.size) await stageEntries(ctx, tx, [...next.values()], "same-or-newer");
      for (const e of valid) if (e.sleutelversie === keys.volgende) staged++;
    }
    return { indexed, staged };
  });
}

export async function rebuildIndex(ctx: HubContext): Promise<RebuildReport> {
  const t = ctx.t;
  // The database's clock, as text (microseconds kept): entries stored or seen after this moment stay.
  const [{ started } = { started: "" }] = rowsOf<{ started: string }>(await ctx.db.execute(sql`select clock_timestamp()::text as started`));
  const registry = await ctx.db.select({ code: t.nodes.code }).from(t.nodes).orderBy(asc(t.nodes.code));
  const rpc = snapshotClient(ctx);
  const nodes: RebuildReport["nodes"] = {};
  const paginas: RebuildReport["paginas"] = {};
  let staged = 0;
  // The nodes side by side, each node's pages one after the other.
  await Promise.all(
    registry.map(async ({ code }) => {
      let count = 0;
      paginas[code] = 0;
      let na: string | undefined;
      try {
        for (;;) {
          const page = await requestSnapshotPage(ctx, code, na, rpc);
          paginas[code]++;
          const stored = await storePage(ctx, code, page.entries, started);
          count += stored.indexed;
          staged += stored.staged;
          if (!page.volgende) break;
          na = page.volgende;
        }
        nodes[code] = count;
      } catch (e) {
        ctx.log.warn({ node: code, paginas: paginas[code], err: errorForLog(e) }, "no (complete) index snapshot from node");
        nodes[code] = "onbereikbaar";
      }
    }),
  );
  const unreachable = Object.entries(nodes)
    .filter(([, v]) => v === "onbereikbaar")
    .map(([code]) => code);

  const report = await ctx.db.transaction(async (tx) => {
    await lockIndex(tx, ctx.schema);
    // Drop what no answering node holds any more: neither stored nor seen since the start (kept: unreachable nodes' entries).
    const conditions = [sql`${t.indexSignalen.bijgewerktOp} < ${started}::timestamptz`];
    if (unreachable.length) conditions.push(notInArray(t.indexSignalen.node, unreachable));
    await tx.delete(t.indexSignalen).where(and(...conditions));
    const current = await readKeyState(ctx, tx);
    const added = await recordMatches(ctx, tx, await allFamilyPairs(ctx, tx));
    const matches = (await tx.select({ id: t.hubMatches.id }).from(t.hubMatches).orderBy(asc(t.hubMatches.id))).map((r) => r.id);
    const [indexed] = await tx.select({ n: sql<number>`count(*)::int` }).from(t.indexSignalen);
    return {
      nodes: Object.fromEntries(Object.entries(nodes).sort(([a], [b]) => a.localeCompare(b))),
      paginas: Object.fromEntries(Object.entries(paginas).sort(([a], [b]) => a.localeCompare(b))),
      sleutelversie: current?.actief ?? null,
      ...(current?.volgende ? { staged } : {}),
      indexed: indexed?.n ?? 0,
      matches,
      added,
    };
  });
  if (report.added.length) ctx.relay.kick();
  ctx.log.info(
    { nodes: report.nodes, paginas: report.paginas, indexed: report.indexed, matches: report.matches.length, added: report.added.length },
    "index rebuilt",
  );
  return report;
}
