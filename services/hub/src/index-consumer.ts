/**
 * The consumer of `evt.index.>` (durable `hub-index`): signed `signaal.index`
 * events from the nodes.
 *
 * Verification, the replay check and the change run in ONE transaction: the
 * jti is recorded with the change it caused, so a crash after the check can
 * neither lose the event (the redelivery is not mistaken for a replay) nor
 * apply it twice. A rejected event is counted, logged (reason only),
 * acknowledged and changes nothing; any other error is thrown, so the bus
 * delivers the message again later.
 */
import { dbReplayGuard } from "@vi/db";
import { durables, EventRejected, openSealed, prefetchKey, subjects, verifyEvent } from "@vi/events";
import type { BusMessage } from "@vi/bus";
import { continueTrace, runInTrace, type Trace } from "@vi/service";
import type { HubContext } from "./context";
import { HUB_ID } from "./context";
import { keyStateAdopting, stageEntries } from "./key-versions";
import { familyCandidates, lockIndex, normaliseSignaalId, recordMatches, removeEntry, upsertEntry } from "./matching";
import { forwardToBridge } from "./bridge-forward";

export const INDEX_DURABLE = durables.hubIndex;
export const INDEX_FILTER = subjects.allIndex;

export type IndexOutcome =
  | { outcome: "rejected"; reason: string }
  | { outcome: "stored"; signaalId: string; status: string; matches: string[] }
  | { outcome: "removed"; signaalId: string; matches: string[] }
  | { outcome: "outdated"; signaalId: string }
  /** An entry of the next key version during a rotation: staged, not matched on (docs/adr/0024). */
  | { outcome: "staged"; signaalId: string }
  /** An entry of a key version the index neither matches on nor stages (an old one, after a switch): ignored. */
  | { outcome: "other-key"; signaalId: string; sleutelversie: number };

export async function handleIndexEvent(ctx: HubContext, msg: Pick<BusMessage, "subject" | "data">): Promise<IndexOutcome> {
  let result: IndexOutcome;
  let trace: Trace | undefined;
  let forwarded = false;
  try {
    // Decrypted first (docs/federation.md, "Encrypted payloads"), then verified with the replay check in the transaction.
    const signed = await openSealed(msg.data, { keys: ctx.keys });
    // Outside the transaction: a registry refetch must not wait on a held connection.
    await prefetchKey(signed, ctx.trust);
    result = await ctx.db.transaction(async (tx) => {
      await lockIndex(tx, ctx.schema);
      const ev = await verifyEvent(signed, {
        trust: ctx.trust,
        audience: HUB_ID,
        replay: dbReplayGuard(tx, ctx.t.ontvangenEvents),
        expect: ["signaal.index"],
        now: () => ctx.clock.now(),
      });
      // A node speaks only for the signals it holds, on its own subject.
      if (ev.data.node !== ev.iss) throw new EventRejected("forged", "signaal.index for another node than its issuer");
      if (msg.subject !== subjects.index(ev.iss)) throw new EventRejected("forged", "signaal.index on another node's subject");
      const signaalId = normaliseSignaalId(ev.data.signaalId);
      if (!signaalId) throw new EventRejected("malformed", "signaalId is not a UUID");
      const entry = { ...ev.data, signaalId };
      // The national part goes to the bridge whatever the region's index makes of it (docs/national-chain.md).
      forwarded = await forwardToBridge(ctx, tx, entry);

      // The node's trace goes on here, and with the notices of the matches it makes.
      trace = continueTrace(ev.data.traceparent);
      // The index matches on one key version; the next one (during a rotation) is staged, any other ignored.
      const keys = await keyStateAdopting(ctx, tx, entry.sleutelversie);
      if (entry.sleutelversie !== keys.actief) {
        if (entry.sleutelversie === keys.volgende) {
          await stageEntries(ctx, tx, [entry]);
          return { outcome: "staged" as const, signaalId };
        }
        return { outcome: "other-key" as const, signaalId, sleutelversie: entry.sleutelversie };
      }
      if (entry.status === "verwijderd") {
        const removed = await removeEntry(ctx, tx, entry);
        return removed ? { outcome: "removed" as const, signaalId, matches: removed } : { outcome: "outdated" as const, signaalId };
      }
      if (!(await upsertEntry(ctx, tx, entry))) return { outcome: "outdated" as const, signaalId };
      let matches: string[] = [];
      if (entry.status === "actief") {
        const candidates = await familyCandidates(ctx, tx, entry);
        const self = { signaalId, entryNode: entry.entryNode, node: entry.node, professional: entry.professional };
        matches = await runInTrace(trace, () =>
          recordMatches(
            ctx,
            tx,
            candidates.map((c) => [self, c]),
          ),
        );
      }
      return { outcome: "stored" as const, signaalId, status: entry.status, matches };
    });
  } catch (e) {
    if (e instanceof EventRejected) {
      ctx.metrics.count(e.reason);
      ctx.log.warn({ reason: e.reason, subject: msg.subject }, "index event rejected");
      return { outcome: "rejected", reason: e.reason };
    }
    throw e;
  }
  // Counted after the commit: a transaction that failed is retried, not accepted twice.
  ctx.metrics.accepted += 1;
  // Queued for the bridge: sent now, not at the relay's next round (a second of latency to the other region).
  if (forwarded) ctx.relay.kick();
  if (result.outcome === "stored" && result.matches.length > 0) {
    ctx.log.info({ traceId: trace?.traceId, signaalId: result.signaalId, matches: result.matches }, "family matches across gemeenten");
    ctx.relay.kick();
  } else if (result.outcome === "removed") {
    ctx.log.info({ signaalId: result.signaalId, matches: result.matches }, "signal removed from the index with its matches");
    ctx.relay.kick();
  } else if (result.outcome === "other-key") {
    // A change pseudonymised under a key version retired by a rotation, arriving late: `npm run hub:rebuild` brings it back.
    ctx.log.warn({ signaalId: result.signaalId, sleutelversie: result.sleutelversie }, "index event of a retired key version ignored");
  } else {
    ctx.log.debug({ traceId: trace?.traceId, outcome: result.outcome }, "index event applied");
  }
  return result;
}
