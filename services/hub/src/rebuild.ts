/**
 * Rebuilding the index: it is derived state. Each node is asked over the bus
 * (`rpc.<GM>`, signed `rpc.request` op `index.opvragen`) for the index entries
 * of the signals it holds; then, in one transaction, the index becomes the
 * union of the snapshots, every cross-node family pair is recomputed, and the
 * missing hub matches are recorded (with their meldingen). Matches are never
 * removed, and ids are deterministic, so rebuilding twice, or after normal
 * operation, yields the same hub matches.
 *
 * A node answers with its entries under every key version the pseudonym
 * service holds; the index takes those of its active version, and during a
 * key rotation the entries of the next version are staged (docs/adr/0024).
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
import { keyStateAdopting, readKeyState, stageEntries } from "./key-versions";
import { allFamilyPairs, lockIndex, normaliseSignaalId, recordMatches, upsertEntries, type IndexEntry } from "./matching";

export interface RebuildReport {
  nodes: Record<string, number | "onbereikbaar">;
  /** The key version of the index, and the next one's staged entries during a rotation. */
  sleutelversie: number | null;
  staged?: number;
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
  const seenVersions = snapshots.flatMap((s) => (s.entries ?? []).map((e) => e.sleutelversie));
  let keys = await readKeyState(ctx, ctx.db);
  if (!keys && seenVersions.length) {
    // A new hub: the newest version the nodes report (an older one is being retired).
    const newest = Math.max(...seenVersions);
    keys = await ctx.db.transaction(async (tx) => {
      await lockIndex(tx, ctx.schema);
      return keyStateAdopting(ctx, tx, newest);
    });
  }
  const union = new Map<string, IndexEntry>();
  const staged = new Map<string, IndexEntry>();
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
      const into = e.sleutelversie === keys?.actief ? union : e.sleutelversie === keys?.volgende ? staged : undefined;
      if (!into) continue;
      if (into === union) count++;
      const seen = into.get(signaalId);
      if (!seen || seen.versie < e.versie) into.set(signaalId, { ...e, signaalId });
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
    const current = await readKeyState(ctx, tx);
    // Staged only while the rotation that asked for them still runs.
    if (current?.volgende && staged.size)
      await stageEntries(
        ctx,
        tx,
        [...staged.values()].filter((e) => e.sleutelversie === current.volgende),
        "same-or-newer",
      );

    const added = await recordMatches(ctx, tx, await allFamilyPairs(ctx, tx));
    const matches = (await tx.select({ id: t.hubMatches.id }).from(t.hubMatches).orderBy(asc(t.hubMatches.id))).map((r) => r.id);
    const [indexed] = await tx.select({ n: sql<number>`count(*)::int` }).from(t.indexSignalen);
    return { nodes, sleutelversie: current?.actief ?? null, ...(current?.volgende ? { staged: staged.size } : {}), indexed: indexed?.n ?? 0, matches, added };
  });
  if (report.added.length) ctx.relay.kick();
  ctx.log.info({ nodes: report.nodes, indexed: report.indexed, matches: report.matches.length, added: report.added.length }, "index rebuilt");
  return report;
}
