/** Keeping the hub's index in step: an index event for every changed signal, in the change's transaction. */
import type { Db } from "@vi/db";
import type { NodeContext } from "../context";
import { askNational, enqueueIndexData, type IndexData, itemsOf, toIndexData } from "../outbound/index-events";
import { pseudonymise, type Pseudonymised, pseudonymsKept } from "../outbound/pseudonyms";
import { indexRows, keepPseudonyms } from "../store/index-data";

/** Index data of signals held here (all of them without ids), per key version; none when the node is not federated. */
export async function indexDataFor(db: Db, ctx: NodeContext, signalIds?: string[], known?: Pseudonymised): Promise<IndexData[]> {
  if (!ctx.fed) return [];
  return toIndexData(ctx, await indexRows(db, ctx.t, signalIds), known);
}

/** A page of the index for the hub's rebuild: its entries and the signal id to ask after next (null: the last page). */
export interface IndexPage {
  entries: IndexData[];
  volgende: string | null;
}

/**
 * Room the entries of one reply may take, in characters of JSON, when the bus carries `maxPayload` bytes: the reply
 * is signed (base64url, 4/3) and then encrypted (base64url again, 4/3) with headers and a signature besides, so
 * about 16/9 of the JSON plus a few hundred bytes; half, less 8 KiB, leaves a margin.
 */
export function pageBudget(maxPayload: number): number {
  return Math.max(4096, Math.floor((maxPayload - 8192) / 2));
}

/**
 * One page of the index (the hub's rebuild, docs/federation.md): at most `limiet` signals after `na` in id order,
 * each with its entries under every key version, and no more than fit in `maxChars` of JSON (at least one signal).
 * `volgende` is the last signal on the page when more may follow.
 */
export async function indexPage(
  db: Db,
  ctx: NodeContext,
  page: { na?: string; limiet: number; maxChars: number; sleutelversies?: number[] },
): Promise<IndexPage> {
  if (!ctx.fed) return { entries: [], volgende: null };
  const rows = await indexRows(db, ctx.t, undefined, { na: page.na, limiet: page.limiet + 1 });
  const more = rows.length > page.limiet;
  const taken = rows.slice(0, page.limiet);
  let known: Pseudonymised | undefined;
  if (page.sleutelversies) {
    // From what the youths keep (docs/adr/0047); those that keep too little are asked, and keep the answer.
    const kept = await pseudonymsKept(ctx.fed.rpc, taken, page.sleutelversies, itemsOf);
    known = kept.ps;
    const once = new Map(kept.fresh.map((f) => [f.row.jeugdigeId, { ...f.row, pseudoniemen: f.pseudoniemen }]));
    await keepPseudonyms(db, ctx.t, [...once.values()]);
  }
  const data = await toIndexData(ctx, taken, known);
  const bySignal = new Map<string, IndexData[]>();
  for (const d of data) bySignal.set(d.signaalId, [...(bySignal.get(d.signaalId) ?? []), d]);
  const entries: IndexData[] = [];
  let used = 0;
  let last: string | undefined;
  for (const r of taken) {
    const own = bySignal.get(r.signaalId) ?? [];
    const size = own.reduce((n, d) => n + JSON.stringify(d).length + 1, 0);
    if (last !== undefined && used + size > page.maxChars) return { entries, volgende: last };
    entries.push(...own);
    used += size;
    last = r.signaalId;
  }
  return { entries, volgende: more && last !== undefined ? last : null };
}

/**
 * A youth's pseudonyms asked before the transaction that registers a signal on them (the one request of a
 * registration; two with the national link), so the transaction holds its locks for no round trip. Undefined when the node is not federated.
 */
export async function pseudonymsOfYouth(
  ctx: NodeContext,
  youth: { bsn: string; ouders: string[]; adresId: string | null },
): Promise<Pseudonymised | undefined> {
  if (!ctx.fed) return undefined;
  const items = itemsOf([{ ...youth, instelling: false }]);
  const ps = await pseudonymise(ctx.fed.rpc, items);
  // The national ones too (LANDELIJK=aan): the bridge checks the node's signature against the hub's trust registry,
  // and no transaction of this node should wait on that.
  if (ctx.national) ps.national = await askNational(ctx, items);
  return ps;
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
