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
 *
 * Under load the consumer takes what is waiting, up to INDEX_BATCH events, and
 * applies them in one transaction under one index lock, in stream order
 * (`handleIndexEvents`, docs/adr/0043). An event rejected in a batch leaves at
 * most its jti recorded (so its redelivery is rejected as a replay); any other
 * error rolls the whole batch back and the bus hands each event over alone.
 */
import { dbReplayGuard } from "@vi/db";
import { durables, EventRejected, openSealed, prefetchKey, subjects, verifyEvent } from "@vi/events";
import type { BusMessage } from "@vi/bus";
import { continueTrace, runInTrace, type Trace } from "@vi/service";
import type { HubContext } from "./context";
import { HUB_ID } from "./context";
import { adoptKeyState, type KeyState, readKeyState, stageEntries } from "./key-versions";
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

type IndexMessage = Pick<BusMessage, "subject" | "data">;

/** What one applied event leaves for after the commit. */
interface Applied {
  msg: IndexMessage;
  result: IndexOutcome;
  trace?: Trace;
  forwarded: boolean;
}

type Transaction = Parameters<Parameters<HubContext["db"]["transaction"]>[0]>[0];

/** Decrypted, and its issuer's key at hand (outside the transaction: a registry refetch must not wait on a held connection). */
async function openIndexEvent(ctx: HubContext, msg: IndexMessage) {
  // Decrypted first (docs/federation.md, "Encrypted payloads"), then verified with the replay check in the transaction.
  const signed = await openSealed(msg.data, { keys: ctx.keys });
  await prefetchKey(signed, ctx.trust);
  return signed;
}

/**
 * The index lock and the key state, in one round trip (pipelined: the read runs once the lock is held). The state is
 * then the transaction's: only writers holding the lock change it, and adopt() is the one in here.
 */
async function lockWithKeyState(ctx: HubContext, tx: Transaction): Promise<TxKeyState> {
  const [, stored] = await Promise.all([lockIndex(tx, ctx.schema), readKeyState(ctx, tx)]);
  let state = stored;
  return {
    async adopting(seen: number): Promise<KeyState> {
      // A new region: the first index event names the pseudonym service's version.
      state ??= await adoptKeyState(ctx, tx, seen);
      return state;
    },
  };
}

interface TxKeyState {
  /** The key state, adopting `seen` as the active version when the hub has none yet. */
  adopting(seen: number): Promise<KeyState>;
}

/** Verifies one event and applies it, inside a transaction that holds the index lock. Throws EventRejected. */
async function applyIndexEvent(ctx: HubContext, tx: Transaction, keyState: TxKeyState, msg: IndexMessage, signed: string): Promise<Applied> {
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
  const forwarded = await forwardToBridge(ctx, tx, entry);
  // The node's trace goes on here, and with the notices of the matches it makes.
  const trace = continueTrace(ev.data.traceparent);
  const done = (result: IndexOutcome): Applied => ({ msg, result, trace, forwarded });
  // The index matches on one key version; the next one (during a rotation) is staged, any other ignored.
  const keys = await keyState.adopting(entry.sleutelversie);
  if (entry.sleutelversie !== keys.actief) {
    if (entry.sleutelversie === keys.volgende) {
      await stageEntries(ctx, tx, [entry]);
      return done({ outcome: "staged", signaalId });
    }
    return done({ outcome: "other-key", signaalId, sleutelversie: entry.sleutelversie });
  }
  if (entry.status === "verwijderd") {
    const removed = await removeEntry(ctx, tx, entry);
    return done(removed ? { outcome: "removed", signaalId, matches: removed } : { outcome: "outdated", signaalId });
  }
  if (!(await upsertEntry(ctx, tx, entry))) return done({ outcome: "outdated", signaalId });
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
  return done({ outcome: "stored", signaalId, status: entry.status, matches });
}

function rejected(ctx: HubContext, msg: IndexMessage, e: EventRejected): IndexOutcome {
  ctx.metrics.count(e.reason);
  ctx.log.warn({ reason: e.reason, subject: msg.subject }, "index event rejected");
  return { outcome: "rejected", reason: e.reason };
}

/** After the commit: counted (a transaction that failed is retried, not accepted twice), logged; true when the relay has work. */
function afterCommit(ctx: HubContext, { result, trace, forwarded }: Applied): boolean {
  ctx.metrics.accepted += 1;
  if (result.outcome === "stored" && result.matches.length > 0) {
    ctx.log.info({ traceId: trace?.traceId, signaalId: result.signaalId, matches: result.matches }, "family matches across gemeenten");
    return true;
  }
  if (result.outcome === "removed") {
    ctx.log.info({ signaalId: result.signaalId, matches: result.matches }, "signal removed from the index with its matches");
    return true;
  }
  if (result.outcome === "other-key") {
    // A change pseudonymised under a key version retired by a rotation, arriving late: `npm run hub:rebuild` brings it back.
    ctx.log.warn({ signaalId: result.signaalId, sleutelversie: result.sleutelversie }, "index event of a retired key version ignored");
  } else {
    ctx.log.debug({ traceId: trace?.traceId, outcome: result.outcome }, "index event applied");
  }
  // Queued for the bridge: sent now, not at the relay's next round (a second of latency to the other region).
  return forwarded;
}

export async function handleIndexEvent(ctx: HubContext, msg: IndexMessage): Promise<IndexOutcome> {
  const [outcome] = await handleIndexEvents(ctx, [msg]);
  if (!outcome) throw new Error("no outcome for an index event");
  return outcome;
}

/**
 * Several index events, in order, in one transaction under one index lock; their outcomes in the same order. A
 * rejected event is counted and skipped (changing nothing but, in a batch, its recorded jti); any other error is
 * thrown with nothing applied.
 */
export async function handleIndexEvents(ctx: HubContext, msgs: IndexMessage[]): Promise<IndexOutcome[]> {
  const outcomes: (IndexOutcome | undefined)[] = new Array(msgs.length);
  const opened: { i: number; msg: IndexMessage; signed: string }[] = [];
  for (const [i, msg] of msgs.entries()) {
    try {
      opened.push({ i, msg, signed: await openIndexEvent(ctx, msg) });
    } catch (e) {
      if (!(e instanceof EventRejected)) throw e;
      outcomes[i] = rejected(ctx, msg, e);
    }
  }
  let applied: { i: number; applied: Applied }[] = [];
  if (opened.length === 1 && opened[0]) {
    // Alone: a rejection rolls back its transaction, so not even the jti is kept.
    const { i, msg, signed } = opened[0];
    try {
      applied = [
        {
          i,
          applied: await ctx.db.transaction(async (tx) => applyIndexEvent(ctx, tx, await lockWithKeyState(ctx, tx), msg, signed)),
        },
      ];
    } catch (e) {
      if (!(e instanceof EventRejected)) throw e;
      outcomes[i] = rejected(ctx, msg, e);
    }
  } else if (opened.length > 1) {
    const rejections: { i: number; msg: IndexMessage; e: EventRejected }[] = [];
    applied = await ctx.db.transaction(async (tx) => {
      const keyState = await lockWithKeyState(ctx, tx);
      const out: { i: number; applied: Applied }[] = [];
      for (const { i, msg, signed } of opened) {
        try {
          out.push({ i, applied: await applyIndexEvent(ctx, tx, keyState, msg, signed) });
        } catch (e) {
          // Every rejection is thrown before the event writes anything but its jti (verifyEvent checks replay last).
          if (!(e instanceof EventRejected)) throw e;
          rejections.push({ i, msg, e });
        }
      }
      return out;
    });
    // Counted once the batch is committed: a batch that rolls back is handled again, one event at a time.
    for (const { i, msg, e } of rejections) outcomes[i] = rejected(ctx, msg, e);
  }
  let kick = false;
  for (const { i, applied: a } of applied) {
    outcomes[i] = a.result;
    if (afterCommit(ctx, a)) kick = true;
  }
  if (kick) ctx.relay.kick();
  return outcomes.map((o) => {
    if (!o) throw new Error("an index event of the batch has no outcome");
    return o;
  });
}
