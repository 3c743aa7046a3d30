/**
 * The consumer of `evt.melding.<GM>`: what other nodes and the hub send this
 * node. Verification, the replay check and the change share one transaction,
 * so a crash redelivers the event and nothing is applied twice.
 */
import { dbReplayGuard } from "@vi/db";
import { durables, EventRejected, prefetchKey, subjects, verifyEvent } from "@vi/events";
import { continueTrace, runInTrace } from "@vi/service";
import type { NodeContext } from "../context";
import { applyReceived } from "../logic/notices";
import { afterCommit } from "../logic/support";
import type { NoticeRow } from "../store/notices";

export async function startNoticeConsumer(ctx: NodeContext) {
  const fed = ctx.fed!;
  const code = ctx.gemeente.code;
  return fed.bus.consume({ durable: durables.nodeMelding(code), filterSubjects: [subjects.melding(code)], maxDeliver: 8 }, async (msg) => {
    let inserted: NoticeRow[] = [];
    // Outside the transaction: a registry refetch must not wait on a held connection.
    await prefetchKey(msg.data, fed.trust);
    await ctx.db.transaction(async (tx) => {
      try {
        const ev = await verifyEvent(msg.data, {
          trust: fed.trust,
          audience: code,
          replay: dbReplayGuard(tx, ctx.t.ontvangenEvents),
          metrics: fed.metrics,
          expect: ["match.melding", "verhuizing.melding", "signaal.ref"],
        });
        // The sender's trace goes on here: the audit rows of this notice carry its trace id.
        const trace = continueTrace(ev.data.traceparent);
        inserted = await runInTrace(trace, () => applyReceived(tx, ctx, ev));
        ctx.log.info({ traceId: trace.traceId, type: ev.type, from: ev.iss, meldingen: inserted.length }, "event applied");
      } catch (e) {
        if (e instanceof EventRejected) {
          ctx.log.warn({ reason: e.reason, subject: msg.subject }, "event rejected");
          return;
        }
        throw e;
      }
    });
    afterCommit(ctx, inserted);
  });
}
