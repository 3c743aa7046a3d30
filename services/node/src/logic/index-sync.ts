/** Keeping the hub's index in step: an index event for every changed signal, in the change's transaction. */
import type { Db } from "@vi/db";
import type { NodeContext } from "../context";
import { enqueueIndexData, type IndexData, itemsOf, toIndexData } from "../outbound/index-events";
import { pseudonymise, type Pseudonymised } from "../outbound/pseudonyms";
import { indexRows } from "../store/index-data";

/** Index data of signals held here (all of them without ids), per key version; none when the node is not federated. */
export async function indexDataFor(db: Db, ctx: NodeContext, signalIds?: string[], known?: Pseudonymised): Promise<IndexData[]> {
  if (!ctx.fed) return [];
  return toIndexData(ctx, await indexRows(db, ctx.t, signalIds), known);
}

/**
 * A youth's pseudonyms asked before the transaction that registers a signal on them (the one request of a
 * registration), so the transaction holds its locks for no round trip. Undefined when the node is not federated.
 */
export async function pseudonymsOfYouth(
  ctx: NodeContext,
  youth: { bsn: string; ouders: string[]; adresId: string | null },
): Promise<Pseudonymised | undefined> {
  if (!ctx.fed) return undefined;
  return pseudonymise(ctx.fed.rpc, itemsOf([{ ...youth, instelling: false }]));
}

/** Enqueues index events for these signals as they are now. */
export async function enqueueIndex(db: Db, ctx: NodeContext, signalIds: string[], known?: Pseudonymised): Promise<void> {
  if (!ctx.fed || signalIds.length === 0) return;
  await enqueueIndexData(db, ctx, await indexDataFor(db, ctx, signalIds, known));
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
