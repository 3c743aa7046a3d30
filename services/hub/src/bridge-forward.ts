/**
 * The hub's republication of the region's index for the bridge to the national index (docs/national-chain.md):
 * each index change that carries national pseudonyms, and every removal, goes to the bridge as a `brug.index`
 * event sealed to it (`evt.brug.index`, through the outbox in the consumer's transaction: exactly once per
 * accepted index event). Only the national pseudonyms travel on, never the region's; the bridge is idempotent
 * (the national index keeps the newest version per signal), so a repeat or an older change does no harm.
 */
import { enqueue, type Db } from "@vi/db";
import { BRUG, type EventData, sealEvent, subjects } from "@vi/events";
import type { HubContext } from "./context";

/** Queues the change for the bridge in `tx`; true when it did (the caller wakes the outbox relay after the commit). */
export async function forwardToBridge(ctx: HubContext, tx: Db, e: EventData<"signaal.index">): Promise<boolean> {
  if (!ctx.config.BRUG_URL) return false;
  if (!e.landelijk && e.status !== "verwijderd") return false;
  const data: EventData<"brug.index"> = {
    signaalId: e.signaalId,
    entryNode: e.entryNode,
    status: e.status,
    versie: e.versie,
    landelijk: e.status === "verwijderd" ? null : (e.landelijk ?? null),
    professional: e.professional,
    ...(e.traceparent ? { traceparent: e.traceparent } : {}),
  };
  // The bridge's key unknown (it never answered at BRUG_URL): the region's index must not wait on it. The change
  // goes without the national part (logged); the bridge catches up from the next change of the signal.
  if (!(await ctx.trust.encryptionKey(BRUG).catch(() => undefined))) {
    ctx.log.warn({ signaalId: e.signaalId }, "bridge key unknown: index change not forwarded to the national index");
    return false;
  }
  const { token, jti } = await sealEvent(ctx.keys, ctx.trust, { type: "brug.index", aud: BRUG, data });
  await enqueue(tx, ctx.t.outbox, [{ subject: subjects.brugIndex, token, msgId: jti }]);
  return true;
}
