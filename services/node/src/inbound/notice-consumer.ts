/**
 * The consumer of `evt.melding.<GM>.*`: what other nodes and the hub send this
 * node. Verification, the replay check and the change share one transaction,
 * so a crash redelivers the event and nothing is applied twice.
 */
import { dbReplayGuard } from "@vi/db";
import { BRUG, consumers, EventRejected, openSealed, prefetchKey, subjects, verifyEvent } from "@vi/events";
import { continueTrace, runInTrace } from "@vi/service";
import type { NodeContext } from "../context";
import { type Applied, applyReceived, RECEIVED_TYPES } from "../logic/notices";
import { afterCommit } from "../logic/support";
import { inOtherRegion } from "../outbound/cross-region";

export async function startNoticeConsumer(ctx: NodeContext) {
  const fed = ctx.fed!;
  const code = ctx.gemeente.code;
  return fed.bus.consume(consumers.nodeMelding(code), async (msg) => {
    let applied: Applied = { inserted: [], removed: [] };
    // Decrypted first (docs/federation.md, "Encrypted payloads"); a refusal is counted and acknowledged.
    let signed: string;
    try {
      signed = await openSealed(msg.data, { keys: fed.keys, metrics: fed.metrics });
    } catch (e) {
      if (e instanceof EventRejected) {
        ctx.log.warn({ reason: e.reason, subject: msg.subject }, "event rejected");
        return;
      }
      throw e;
    }
    // Outside the transaction: a registry refetch must not wait on a held connection.
    await prefetchKey(signed, fed.trust);
    await ctx.db.transaction(async (tx) => {
      try {
        const ev = await verifyEvent(signed, {
          trust: fed.trust,
          audience: code,
          replay: dbReplayGuard(tx, ctx.t.ontvangenEvents),
          metrics: fed.metrics,
          expect: [...RECEIVED_TYPES],
        });
        // NATS lets each service publish only under its own name (infra/nats); a signer writing under another's is forged.
        // A node of another region has no name on this bus: its notices come through the bridge (docs/adr/0042).
        const carried = msg.subject === subjects.melding(code, BRUG) && Boolean(ctx.national) && inOtherRegion(ctx.region, ev.iss);
        if (msg.subject !== subjects.melding(code, ev.iss) && !carried) throw new EventRejected("forged", "notice on another sender's subject");
        // The sender's trace goes on here: the audit rows of this notice carry its trace id.
        const trace = continueTrace("traceparent" in ev.data ? ev.data.traceparent : undefined);
        applied = await runInTrace(trace, () => applyReceived(tx, ctx, ev));
        ctx.log.info({ traceId: trace.traceId, type: ev.type, from: ev.iss }, "event applied");
      } catch (e) {
        if (e instanceof EventRejected) {
          ctx.log.warn({ reason: e.reason, subject: msg.subject }, "event rejected");
          return;
        }
        throw e;
      }
    });
    afterCommit(ctx, applied.inserted, applied.removed);
  });
}
