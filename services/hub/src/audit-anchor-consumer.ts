/**
 * The consumer of `evt.auditketen.*` (durable `hub-auditketen`): each node's audit chain head, sealed to the hub
 * (docs/adr/0026). The hub keeps every head per node (`auditketen_koppen`) as an anchor outside the node's
 * database, and records it in its own audit chain (`auditketen.verankerd`), so the anchors are themselves
 * chain-protected. A head that does not come after the node's last anchored one (an earlier row, or the same row
 * with another hash) is logged (`auditketen.teruggelopen`): the node's chain may have been cut or rewritten at
 * the end. The first head for a row is never replaced.
 *
 * Verification, the replay check and the write run in one transaction (as for the index events). A rejected
 * event is counted, logged (reason only), acknowledged and changes nothing.
 */
import { type Db, dbReplayGuard, type HubTables } from "@vi/db";
import { durables, EventRejected, openSealed, prefetchKey, subjects, verifyEvent } from "@vi/events";
import type { BusMessage } from "@vi/bus";
import { and, desc, eq } from "drizzle-orm";
import { HUB_ID, type HubContext } from "./context";
import { auditRegister } from "./register";

export const AUDIT_ANCHOR_DURABLE = durables.hubAuditketen;

export type AnchorOutcome =
  | { outcome: "rejected"; reason: string }
  | { outcome: "anchored"; node: string; regelId: number }
  | { outcome: "known"; node: string; regelId: number }
  | { outcome: "went-back"; node: string; regelId: number; vorigeRegelId: number };

export async function handleAuditAnchorEvent(ctx: HubContext, msg: Pick<BusMessage, "subject" | "data">): Promise<AnchorOutcome> {
  let result: AnchorOutcome;
  try {
    const signed = await openSealed(msg.data, { keys: ctx.keys });
    await prefetchKey(signed, ctx.trust);
    result = await ctx.db.transaction(async (tx) => {
      const ev = await verifyEvent(signed, {
        trust: ctx.trust,
        audience: HUB_ID,
        replay: dbReplayGuard(tx, ctx.t.ontvangenEvents),
        expect: ["auditketen.kop"],
        now: () => ctx.clock.now(),
      });
      // A node speaks only for its own chain, on its own subject.
      if (ev.data.node !== ev.iss) throw new EventRejected("forged", "auditketen.kop for another node than its issuer");
      if (msg.subject !== subjects.auditketen(ev.iss)) throw new EventRejected("forged", "auditketen.kop on another node's subject");
      const { node, regelId, hash } = ev.data;
      const k = ctx.t.auditketenKoppen;
      const [same] = await tx
        .select({ hash: k.hash })
        .from(k)
        .where(and(eq(k.node, node), eq(k.regelId, regelId)));
      if (same && same.hash === hash) return { outcome: "known" as const, node, regelId };
      const [last] = await tx.select({ regelId: k.regelId }).from(k).where(eq(k.node, node)).orderBy(desc(k.regelId)).limit(1);
      const now = ctx.clock.now();
      // A second head for the same row with another hash (the row was rewritten) does not replace the first: the
      // first is what the chain held then; the second is in the hub's audit chain only.
      await tx
        .insert(k)
        .values({ node, regelId, hash, tijdstip: new Date(ev.data.tijdstip), ontvangenOp: now })
        .onConflictDoNothing();
      const wentBack = Boolean(same) || (last !== undefined && last.regelId > regelId);
      await auditRegister(tx, ctx, [
        { actie: "auditketen.verankerd", actor: "systeem", object: node, details: { node, regelId, hash }, at: now },
        ...(wentBack
          ? [
              {
                actie: "auditketen.teruggelopen" as const,
                actor: "systeem" as const,
                object: node,
                details: { node, regelId, vorigeRegelId: last?.regelId ?? regelId },
                at: now,
              },
            ]
          : []),
      ]);
      return wentBack
        ? { outcome: "went-back" as const, node, regelId, vorigeRegelId: last?.regelId ?? regelId }
        : { outcome: "anchored" as const, node, regelId };
    });
  } catch (e) {
    if (e instanceof EventRejected) {
      ctx.metrics.count(e.reason);
      ctx.log.warn({ reason: e.reason, subject: msg.subject }, "audit chain head rejected");
      return { outcome: "rejected", reason: e.reason };
    }
    throw e;
  }
  ctx.metrics.accepted += 1;
  if (result.outcome === "went-back") {
    ctx.log.error(
      { node: result.node, regelId: result.regelId, vorigeRegelId: result.vorigeRegelId },
      "a node's audit chain head is not after its last anchored one: its chain may have been cut; run npm run audit:verify at that node",
    );
  } else {
    ctx.log.debug({ node: result.node, regelId: result.regelId, outcome: result.outcome }, "audit chain head");
  }
  return result;
}

/** The last head the hub anchored for this node (the highest row id), for `npm run audit:verify`. */
export async function lastAuditAnchor(db: Db, t: HubTables, node: string): Promise<{ regelId: number; hash: string; ontvangenOp: Date } | undefined> {
  const k = t.auditketenKoppen;
  const [last] = await db
    .select({ regelId: k.regelId, hash: k.hash, ontvangenOp: k.ontvangenOp })
    .from(k)
    .where(eq(k.node, node))
    .orderBy(desc(k.regelId))
    .limit(1);
  return last;
}
