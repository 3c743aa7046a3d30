/**
 * Rotating the pseudonym key (docs/adr/0024), driven by the hub:
 *
 * 1. the pseudonym service adds version n+1 (`pseudoniem.sleutel.nieuw`);
 *    from then on it evaluates every node's request under n and n+1, and
 *    every node sends each index change under both;
 * 2. the hub stages the entries of n+1: it asks every node for its index
 *    (the rebuild's `index.opvragen`) and takes the index events of n+1;
 * 3. when every node has answered and every entry of the index has a staged
 *    entry at least as new, the hub switches in one transaction: the index
 *    becomes the staged entries, n+1 is active, the family pairs are
 *    recomputed (matches are between signal ids and are kept; a pair only
 *    the staged entries show is added);
 * 4. the service retires version n (`pseudoniem.sleutel.intrekken`): its key
 *    is gone for good.
 *
 * A step that cannot finish (a node unreachable, an entry not yet reported
 * under n+1) leaves the rotation running; running it again resumes it.
 */
import { dbReplayGuard } from "@vi/db";
import { createRpcClient, PSEUDONYM_SERVICE, pseudoniemSleutels, type RpcArgs, type RpcOp } from "@vi/events";
import type { HubContext } from "./context";
import { HUB_ID } from "./context";
import { beginStaging, readKeyState, switchToStaged } from "./key-versions";
import { allFamilyPairs, lockIndex, recordMatches } from "./matching";
import { rebuildIndex, type RebuildReport } from "./rebuild";

export interface RotationReport {
  status: "gewisseld" | "onvolledig";
  van: number;
  naar: number;
  nodes: RebuildReport["nodes"];
  /** Signals not yet reported under the next version (when onvolledig). */
  ontbrekend?: string[];
  indexed?: number;
  /** Matches added at the switch (pairs only the staged entries showed). */
  added?: string[];
}

async function askService<Op extends Extract<RpcOp, "pseudoniem.sleutel.nieuw" | "pseudoniem.sleutel.intrekken">>(
  ctx: HubContext,
  op: Op,
  args: RpcArgs<Op>,
): Promise<number[]> {
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
  const parsed = pseudoniemSleutels.safeParse(await rpc.call(PSEUDONYM_SERVICE, op, null, args));
  if (!parsed.success) throw new Error(`the pseudonym service answered ${op} with something else than its key versions`);
  return parsed.data.versies;
}

export async function rotateKey(ctx: HubContext): Promise<RotationReport> {
  const state = await readKeyState(ctx, ctx.db);
  if (!state) throw new Error("the hub has no pseudonym key version yet (its first index event sets it): nothing to rotate");
  let volgende = state.volgende;
  if (volgende === null) {
    let versies = await askService(ctx, "pseudoniem.sleutel.nieuw", {});
    if (Math.max(...versies) === state.actief && versies.length > 1) {
      // A rotation that switched but did not retire the old version: finish that first.
      for (const v of versies.filter((v) => v < state.actief)) await askService(ctx, "pseudoniem.sleutel.intrekken", { versie: v });
      versies = await askService(ctx, "pseudoniem.sleutel.nieuw", {});
    }
    const next = Math.max(...versies);
    if (next <= state.actief) throw new Error(`the pseudonym service holds versions ${versies.join(", ")}, none after ${state.actief}`);
    volgende = next;
    await ctx.db.transaction(async (tx) => {
      await lockIndex(tx, ctx.schema);
      await beginStaging(ctx, tx, state.actief, next);
    });
    ctx.log.info({ van: state.actief, naar: next }, "pseudonym key rotation begun");
  }
  const naar = volgende;

  const rebuilt = await rebuildIndex(ctx);
  const base = { van: state.actief, naar, nodes: rebuilt.nodes };
  if (Object.values(rebuilt.nodes).includes("onbereikbaar")) {
    ctx.log.warn({ ...base }, "pseudonym key rotation waits: not every node answered");
    return { status: "onvolledig", ...base };
  }
  const switched = await ctx.db.transaction(async (tx) => {
    await lockIndex(tx, ctx.schema);
    const outcome = await switchToStaged(ctx, tx, naar);
    const added = outcome.ok ? await recordMatches(ctx, tx, await allFamilyPairs(ctx, tx)) : [];
    return { ...outcome, added };
  });
  if (!switched.ok) {
    ctx.log.warn({ ...base, missing: switched.missing.length }, "pseudonym key rotation waits: entries not yet reported under the next version");
    return { status: "onvolledig", ...base, ontbrekend: switched.missing };
  }
  if (switched.added.length) ctx.relay.kick();
  await askService(ctx, "pseudoniem.sleutel.intrekken", { versie: state.actief });
  ctx.log.info({ ...base, indexed: switched.indexed, added: switched.added.length }, "pseudonym key rotated");
  return { status: "gewisseld", ...base, indexed: switched.indexed, added: switched.added };
}
