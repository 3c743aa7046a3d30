/**
 * The pseudonym key version the hub's index matches on, and the rotation to
 * a next one (docs/adr/0024). The index holds entries of ONE version (the
 * active one); while a rotation runs, the same entries under the next
 * version are staged in `index_volgende_sleutel` (from the nodes' snapshots
 * and from their index events of that version: during a rotation every node
 * sends each change under both versions), never matched on. The switch
 * replaces the index by the staged entries in one transaction, when every
 * node has reported.
 *
 * Every function here runs inside the caller's transaction, after the index
 * lock (lockIndex), like every other writer of the index.
 */
import { and, eq, lte, sql } from "drizzle-orm";
import { rowsOf, type Db } from "@vi/db";
import type { HubContext } from "./context";
import { type IndexEntry, writeEntries } from "./matching";

export interface KeyState {
  actief: number;
  volgende: number | null;
}

export async function readKeyState(ctx: Pick<HubContext, "t">, tx: Db): Promise<KeyState | undefined> {
  const [row] = await tx.select({ actief: ctx.t.pseudoniemSleutel.actief, volgende: ctx.t.pseudoniemSleutel.volgende }).from(ctx.t.pseudoniemSleutel);
  return row;
}

export async function writeKeyState(ctx: Pick<HubContext, "t" | "clock">, tx: Db, state: KeyState): Promise<void> {
  const t = ctx.t.pseudoniemSleutel;
  const now = ctx.clock.now();
  await tx
    .insert(t)
    .values({ id: 1, actief: state.actief, volgende: state.volgende, gewijzigdOp: now })
    .onConflictDoUpdate({ target: t.id, set: { actief: state.actief, volgende: state.volgende, gewijzigdOp: now } });
}

/**
 * Makes `seen` the active version of a hub that has none yet (a new region: the first index event or snapshot names
 * the service's version); the caller read the state, none, under the lock.
 */
export async function adoptKeyState(ctx: Pick<HubContext, "t" | "clock" | "log">, tx: Db, seen: number): Promise<KeyState> {
  const adopted = { actief: seen, volgende: null };
  await writeKeyState(ctx, tx, adopted);
  ctx.log.info({ sleutelversie: seen }, "pseudonym key version adopted");
  return adopted;
}

/**
 * Stages entries of the next key version: each replaces a staged one when it is newer (a snapshot's also when
 * equal); a `verwijderd` entry removes the staged one. Returns how many changed.
 */
export async function stageEntries(ctx: HubContext, tx: Db, entries: IndexEntry[], minVersie: "newer" | "same-or-newer" = "newer"): Promise<number> {
  const t = ctx.t.indexVolgendeSleutel;
  let changed = 0;
  const removals = entries.filter((e) => e.status === "verwijderd");
  for (const e of removals) {
    changed += (
      await tx
        .delete(t)
        .where(and(eq(t.signaalId, e.signaalId), lte(t.versie, e.versie)))
        .returning({ id: t.signaalId })
    ).length;
  }
  const live = entries.filter((e) => e.status !== "verwijderd");
  return changed + (await writeEntries(ctx, tx, t, live, minVersie));
}

/** Starts staging for version `volgende`: an empty stage, and the state that routes that version's events to it. */
export async function beginStaging(ctx: HubContext, tx: Db, actief: number, volgende: number): Promise<void> {
  await tx.delete(ctx.t.indexVolgendeSleutel);
  await writeKeyState(ctx, tx, { actief, volgende });
}

export interface SwitchOutcome {
  ok: boolean;
  /** Signals in the index with no staged entry, or a staged one older than the index's (not reported under the next version yet). */
  missing: string[];
  /** Entries the index holds after the switch. */
  indexed: number;
}

/**
 * The switch: when every entry of the index has a staged entry at least as new, the index becomes the staged
 * entries (all pseudonyms now of version `volgende`), the stage is emptied and `volgende` is active. Otherwise
 * nothing changes and the missing signals are named. Matches are kept: they are between signal ids.
 */
export async function switchToStaged(ctx: HubContext, tx: Db, volgende: number): Promise<SwitchOutcome> {
  const index = sql.raw(`"${ctx.schema}"."index_signalen"`);
  const stage = sql.raw(`"${ctx.schema}"."index_volgende_sleutel"`);
  const missing = rowsOf<{ id: string }>(
    await tx.execute(sql`
      select i.signaal_id::text as id from ${index} i
        left join ${stage} s on s.signaal_id = i.signaal_id
       where s.signaal_id is null or s.versie < i.versie
       order by i.signaal_id
       limit 100`),
  ).map((r) => r.id);
  if (missing.length) return { ok: false, missing, indexed: 0 };
  await tx.execute(sql`delete from ${index}`);
  await tx.execute(sql`
    insert into ${index} (signaal_id, node, entry_node, status, versie, jeugdige, ouders, adres, sleutelversie, professional, bijgewerkt_op)
    select signaal_id, node, entry_node, status, versie, jeugdige, ouders, adres, sleutelversie, professional, clock_timestamp()
      from ${stage} where sleutelversie = ${volgende}`);
  await tx.execute(sql`delete from ${stage}`);
  await writeKeyState(ctx, tx, { actief: volgende, volgende: null });
  const [n] = rowsOf<{ n: number }>(await tx.execute(sql`select count(*)::int as n from ${index}`));
  return { ok: true, missing: [], indexed: n?.n ?? 0 };
}
