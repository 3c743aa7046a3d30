/**
 * The consumer of `evt.brug.index` (durable `brug-index`): the hub's republication of the region's index changes
 * with national pseudonyms. Each is verified (from the hub, to the bridge; replay checked in the transaction that
 * queues it) and put in the durable queue (`wachtrij`) for the national index: sent in order, also after the
 * national index was down for hours.
 */
import { dbReplayGuard } from "@vi/db";
import type { BusMessage } from "@vi/bus";
import { BRUG, EventRejected, HUB, openSealed, prefetchKey, subjects, verifyEvent } from "@vi/events";
import type { BridgeContext } from "./context";

export async function handleBrugIndex(ctx: BridgeContext, msg: Pick<BusMessage, "subject" | "data">): Promise<"queued" | "rejected"> {
  try {
    const signed = await openSealed(msg.data, { keys: ctx.keys, metrics: ctx.events });
    await prefetchKey(signed, ctx.trust);
    await ctx.db.transaction(async (tx) => {
      const ev = await verifyEvent(signed, {
        trust: ctx.trust,
        audience: BRUG,
        replay: dbReplayGuard(tx, ctx.t.ontvangenEvents),
        metrics: ctx.events,
        expect: ["brug.index"],
        now: () => ctx.now(),
      });
      if (ev.iss !== HUB || msg.subject !== subjects.brugIndex) throw new EventRejected("forged", "brug.index not from the hub");
      await tx.insert(ctx.t.wachtrij).values({ signaalId: ev.data.signaalId, inhoud: ev.data as unknown as Record<string, unknown> });
    });
  } catch (e) {
    if (e instanceof EventRejected) {
      ctx.log.warn({ reason: e.reason }, "brug.index rejected");
      return "rejected";
    }
    throw e;
  }
  ctx.figures.queued += 1;
  ctx.kick();
  return "queued";
}
