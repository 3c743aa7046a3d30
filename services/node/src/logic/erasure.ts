/**
 * A signal that is withdrawn as unjustified, or removed by retention (23
 * years, death, the end of the archive term), leaves no trace: its matches
 * go (they cascade with the signal), and with them every melding about them,
 * for every professional, here and at the entry nodes of the professionals
 * who registered through another node (a signed `match.verwijderd`). The
 * hub removes the matches it made when it receives the signal's `verwijderd`
 * index entry. Runs in the transaction that deletes the signals, before they go.
 */
import type { Db } from "@vi/db";
import type { NodeContext } from "../context";
import { enqueueNotices } from "../outbound/notices";
import { audit } from "../store/audit";
import { matchesOfSignals, matchSides } from "../store/matches";
import { deleteNoticesOf, type RemovedNotice } from "../store/notices";

/** The most match ids one `match.verwijderd` carries (the schema's limit). */
const MAX_IDS_PER_EVENT = 1000;

/** Deletes every melding about these signals and their matches; returns the local ones, to tell open streams after commit. */
export async function eraseTraces(db: Db, ctx: NodeContext, signalIds: string[], now: Date): Promise<RemovedNotice[]> {
  if (signalIds.length === 0) return [];
  const { t } = ctx;
  const matches = await matchesOfSignals(db, t, signalIds);
  const involved = [...new Set([...signalIds, ...matches.flatMap((m) => [m.signaalA, m.signaalB])])];
  const entryNodeOf = new Map((await matchSides(db, t, involved)).map((s) => [s.signaalId, s.entryNode]));

  // The entry nodes (other than this one) that hold meldingen of these matches.
  const elsewhere = new Map<string, Set<string>>();
  for (const m of matches) {
    for (const signalId of [m.signaalA, m.signaalB]) {
      const entryNode = entryNodeOf.get(signalId);
      if (!entryNode || entryNode === ctx.gemeente.code) continue;
      const ids = elsewhere.get(entryNode) ?? new Set<string>();
      ids.add(m.id);
      elsewhere.set(entryNode, ids);
    }
  }
  const events = [...elsewhere].flatMap(([to, ids]) => {
    const list = [...ids].sort();
    const chunks: { type: "match.verwijderd"; to: string; data: { matchIds: string[] } }[] = [];
    for (let i = 0; i < list.length; i += MAX_IDS_PER_EVENT)
      chunks.push({ type: "match.verwijderd", to, data: { matchIds: list.slice(i, i + MAX_IDS_PER_EVENT) } });
    return chunks;
  });
  await enqueueNotices(db, ctx, events);

  const removed = await deleteNoticesOf(db, t, { matchIds: matches.map((m) => m.id), signalIds });
  await audit(
    db,
    t,
    removed.map((r) => ({ actie: "melding.verwijderd" as const, actor: "systeem" as const, signaalId: r.signaalId, at: now, details: { soort: r.soort } })),
  );
  return removed;
}
