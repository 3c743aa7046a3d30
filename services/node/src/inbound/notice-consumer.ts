/**
 * The consumer of `evt.melding.<GM>.*`: what other nodes and the hub send this
 * node. Verification, the replay check and the change share one transaction,
 * so a crash redelivers the event and nothing is applied twice. Under load the
 * events waiting are applied together, in one transaction (docs/adr/0043).
 */
import type { BusMessage } from "@vi/bus";
import { dbReplayGuard } from "@vi/db";
import { BRUG, consumers, EventRejected, openSealed, prefetchKey, subjects, verifyEvent } from "@vi/events";
import { continueTrace, runInTrace } from "@vi/service";
import type { NodeContext } from "../context";
import { type Applied, applyReceived, RECEIVED_TYPES } from "../logic/notices";
import { transaction } from "../logic/support";
import { afterCommit } from "../logic/support";
import { inOtherRegion } from "../outbound/cross-region";

export async function startNoticeConsumer(ctx: NodeContext, maxBatch: number) {
  const fed = ctx.fed!;
  return fed.bus.consumeBatch({ ...consumers.nodeMelding(ctx.gemeente.code), maxBatch }, (msgs) => applyNotices(ctx, msgs));
}

/**
 * Received events in stream order, in one transaction: what is waiting when the consumer is free (a lone event alone).
 * A rejected event is logged and skipped, leaving at most its jti recorded (its redelivery is a replay); any other
 * error rolls the whole batch back, and the bus hands each event over again on its own.
 */
export async function applyNotices(ctx: NodeContext, msgs: Pick<BusMessage, "subject" | "data">[]): Promise<void> {
  const fed = ctx.fed!;
  const code = ctx.gemeente.code;
  const rejected = (e: EventRejected, subject: string) => ctx.log.warn({ reason: e.reason, subject }, "event rejected");
  // Decrypted first (docs/federation.md, "Encrypted payloads"); a refusal is counted and acknowledged.
  const opened: { subject: string; signed: string }[] = [];
  for (const msg of msgs) {
    try {
      const signed = await openSealed(msg.data, { keys: fed.keys, metrics: fed.metrics });
      // Outside the transaction: a registry refetch must not wait on a held connection.
      await prefetchKey(signed, fed.trust);
      opened.push({ subject: msg.subject, signed });
    } catch (e) {
      if (!(e instanceof EventRejected)) throw e;
      rejected(e, msg.subject);
    }
  }
  if (opened.length === 0) return;
  const applied: Applied = { inserted: [], removed: [] };
  const logged: (() => void)[] = [];
  // Audit rows last (transaction): the events' own writes take their row locks before the chain's lock, as a single change does.
  await transaction(ctx, async (tx) => {
    for (const { subject, signed } of opened) {
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
        const carried = subject === subjects.melding(code, BRUG) && Boolean(ctx.national) && inOtherRegion(ctx.region, ev.iss);
        if (subject !== subjects.melding(code, ev.iss) && !carried) throw new EventRejected("forged", "notice on another sender's subject");
        // The sender's trace goes on here: the audit rows of this notice carry its trace id.
        const trace = continueTrace("traceparent" in ev.data ? ev.data.traceparent : undefined);
        const one = await runInTrace(trace, () => applyReceived(tx, ctx, ev));
        applied.inserted.push(...one.inserted);
        applied.removed.push(...one.removed);
        logged.push(() => ctx.log.info({ traceId: trace.traceId, type: ev.type, from: ev.iss }, "event applied"));
      } catch (e) {
        // Every rejection comes before the event writes anything but its jti (verifyEvent checks replay last).
        if (!(e instanceof EventRejected)) throw e;
        logged.push(() => rejected(e as EventRejected, subject));
      }
    }
  });
  // Logged and announced once committed: a batch that rolls back is handled again, one event at a time.
  for (const log of logged) log();
  afterCommit(ctx, applied.inserted, applied.removed);
}
