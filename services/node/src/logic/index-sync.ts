/** Keeping the hub's index in step: an index event for every changed signal, in the change's transaction. */
import type { Db } from "@vi/db";
import type { NodeContext } from "../context";
import { enqueueIndexData, type IndexData, toIndexData } from "../outbound/index-events";
import { indexRows } from "../store/index-data";

/** Index data of signals held here (all of them without ids); none when the node is not federated. */
export async function indexDataFor(db: Db, ctx: NodeContext, signalIds?: string[]): Promise<IndexData[]> {
  if (!ctx.fed) return [];
  return toIndexData(ctx, ctx.fed.regionKey, await indexRows(db, ctx.t, signalIds));
}

/** Enqueues index events for these signals as they are now. */
export async function enqueueIndex(db: Db, ctx: NodeContext, signalIds: string[]): Promise<void> {
  if (!ctx.fed || signalIds.length === 0) return;
  await enqueueIndexData(db, ctx, await indexDataFor(db, ctx, signalIds));
}

/** A deleted signal is announced before its row goes (its data is read first). */
export async function enqueueIndexDeleted(db: Db, ctx: NodeContext, signalIds: string[], versie: number): Promise<void> {
  if (!ctx.fed || signalIds.length === 0) return;
  const data = await indexDataFor(db, ctx, signalIds);
  await enqueueIndexData(
    db,
    ctx,
    data.map((d) => ({ ...d, status: "verwijderd" as const, versie: Math.max(d.versie + 1, versie) })),
  );
}
