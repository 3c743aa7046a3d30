/**
 * Rebuilding the index: it is derived state. Each node is asked over the bus
 * (`rpc.<GM>`, signed `rpc.request` op `index.opvragen`) for the index entries
 * of the signals it holds; then, in one transaction, the index becomes the
 * union of the snapshots, every cross-node family pair is recomputed, and the
 * missing hub matches are recorded (with their meldingen). Matches are never
 * removed, and ids are deterministic, so rebuilding twice, or after normal
 * operation, yields the same hub matches.
 *
 * A node that does not answer keeps its entries as they are.
 * Entries that arrived by event after a snapshot was taken are not lost:
 * a snapshot entry replaces a stored one only when it is as new or newer, and
 * a stored entry is dropped only when it was stored before the rebuild began.
 */
import { errorForLog } from "@vi/service";
import { and, asc, notInArray, sql } from "drizzle-orm";
import { z } from "zod";
import { dbReplayGuard, rowsOf } from "@vi/db";
import { createRpcClient, EVENT_SCHEMAS, RpcRefused } from "@vi/events";
import type { HubContext } from "./context";
import { HUB_ID } from "./context";
import { allFamilyPairs, lockIndex, normaliseSignaalId, recordMatches, upsertEntries, type IndexEntry } from "./matching";

export interface RebuildReport {
  nodes: Record<string, number | "onbereikbaar">;
  indexed: number;
  matches: string[];
  added: string[];
}

const SnapshotResult = z.object({ entries: z.array(EVENT_SCHEMAS["signaal.index"]) });

/** The index entries of one node, or a reason it has none to give. */
export async function requestSnapshot(ctx: HubContext, code: string): Promise<IndexEntry[]> {
  const rpc = createRpcClient({
    self: HUB_ID,
    keys: ctx.keys,
    trust: ctx.trust,
    transport: ctx.bus,
    replay: dbReplayGuard(ctx.db, ctx.t.ontvangenEvents),
    metrics: ctx.metrics,
    timeoutMs: ctx.config.REBUILD_TIMEOUT_MS,
    now: () => ctx.clock.now(),
  });
  let result: unknown;
  try {
    result = await rpc.call(code, "index.opvragen", null, {});
  } catch (e) {
    if (e instanceof RpcRefused) throw new Error(`${code} refused the snapshot: ${e.problem.code}`);
    throw e;
  }
  const parsed = SnapshotResult.safeParse(result);
  if (!parsed.success) throw new Error(`${code} sent an invalid snapshot`);
  return parsed.data.entries;
}

export async function rebuildIndex(ctx: HubContext): Promise<RebuildReport> {
  const t = ctx.t;
  // The database's clock, as text (microseconds kept): entries stored after this moment came by event.
  const [{ started } = { started: "" }] = rowsOf<{ started: string }>(await ctx.db.execute(sql`select clock_timestamp()::text as started`));
  const registry = await ctx.db.select({ code: t.nodes.code }).from(t.nodes).orderBy(asc(t.nodes.code));
  const snapshots = await Promise.all(
    registry.map(async ({ code }) => {
      try {
        return { code, entries: await requestSnapshot(ctx, code) };
      } catch (e) {
        ctx.log.warn({ node: code, err: errorForLog(e) }, "no index snapshot from node");
        return { code, entries: undefined };
      }
    }),
  );

  const nodes: RebuildReport["nodes"] = {};
  const union = new Map<string, IndexEntry>();
  for (const s of snapshots) {
    if (!s.entries) {
      nodes[s.code] = "onbereikbaar";
      continue;
    }
    let count = 0;
    for (const e of s.entries) {
      const signaalId = normaliseSignaalId(e.signaalId);
      if (e.node !== s.code || !signaalId) {
        ctx.log.warn({ node: s.code }, "snapshot entry ignored: not a signal of this node");
        continue;
      }
      count++;
      const seen = union.get(signaalId);
      if (!seen || seen.versie < e.versie) union.set(signaalId, { ...e, signaalId });
    }
    nodes[s.code] = count;
  }
  const unreachable = Object.entries(nodes)
    .filter(([, v]) => v === "onbereikbaar")
    .map(([code]) => code);

  const report = await ctx.db.transaction(async (tx) => {
    await lockIndex(tx, ctx.schema);
    // Drop what no answering node holds any more (kept: unreachable nodes' entries, and entries that came in after the start).
    const kept = [...union.keys()];
    const conditions = [sql`${t.indexSignalen.bijgewerktOp} < ${started}::timestamptz`];
    if (unreachable.length) conditions.push(notInArray(t.indexSignalen.node, unreachable));
    // one parameter, however large the region
    if (kept.length) conditions.push(sql`${t.indexSignalen.signaalId} <> all(string_to_array(${kept.join(",")}, ',')::uuid[])`);
    await tx.delete(t.indexSignalen).where(and(...conditions));
    await upsertEntries(ctx, tx, [...union.values()], "same-or-newer");

    const added = await recordMatches(ctx, tx, await allFamilyPairs(ctx, tx));
    const matches = (await tx.select({ id: t.hubMatches.id }).from(t.hubMatches).orderBy(asc(t.hubMatches.id))).map((r) => r.id);
    const [indexed] = await tx.select({ n: sql<number>`count(*)::int` }).from(t.indexSignalen);
    return { nodes, indexed: indexed?.n ?? 0, matches, added };
  });
  if (report.added.length) ctx.relay.kick();
  ctx.log.info({ nodes: report.nodes, indexed: report.indexed, matches: report.matches.length, added: report.added.length }, "index rebuilt");
  return report;
}
