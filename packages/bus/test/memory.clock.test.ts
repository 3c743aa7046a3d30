/**
 * The memory broker's redelivery timer against a wall clock that moves between two readings.
 *
 * Node timers run on a monotonic clock and can fire a millisecond before Date.now() reaches the due time. A
 * dispatch that reads the clock once to pick the due messages and again to arm the timer for the rest then loses a
 * message that comes due in between: not due for the first reading, already due (so no timer) for the second. The
 * contract test "redelivers a message whose handler throws …" stalled that way about once in 14 runs. Here the
 * clock is scripted so that the timer always fires at due − 1 ms and the next reading is due: a redelivery must
 * still come.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { createMemoryBroker } from "../src/index";
import { quiet, randomNamespace } from "./support";

const T0 = 1_000_000;
const BACKOFF = 50;

/** Waits on real timers (Date.now is scripted here, so no deadline by the clock); false after `rounds` × 10 ms. */
async function poll(cond: () => boolean, rounds = 200): Promise<boolean> {
  for (let i = 0; i < rounds; i++) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 10));
  }
  return cond();
}

const turn = () => new Promise<void>((r) => setImmediate(r));

describe("memory broker: redelivery timer and the wall clock", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("redelivers a nak'd message even when the wall clock reaches its due time between two readings", async () => {
    let now = T0;
    let tickAfterRead = false;
    vi.spyOn(Date, "now").mockImplementation(() => {
      const t = now;
      if (tickAfterRead) {
        tickAfterRead = false;
        now++;
      }
      return t;
    });

    const bus = createMemoryBroker({ namespace: randomNamespace(), log: quiet }).connect("svc");
    await bus.ensureStreams();
    const attempts: number[] = [];
    await bus.consume({ durable: "klok", filterSubjects: ["evt.>"], maxDeliver: 3, backoffMs: [BACKOFF] }, async (m) => {
      attempts.push(m.deliveryCount);
      if (m.deliveryCount === 1) throw new Error("tijdelijk");
    });
    await bus.publish("evt.index.GM0363", "x", "klok-1");
    expect(await poll(() => attempts.length === 1)).toBe(true);
    // let the nak settle and the next dispatch arm the redelivery timer (due at T0 + BACKOFF, in BACKOFF real ms)
    for (let i = 0; i < 5; i++) await turn();
    expect(attempts).toEqual([1]);

    // The timer fires while the wall clock still shows due − 1; the reading after that shows due.
    now = T0 + BACKOFF - 1;
    tickAfterRead = true;
    const redelivered = await poll(() => attempts.length === 2);
    expect(tickAfterRead).toBe(false); // the scripted tick happened
    expect(redelivered).toBe(true);
    expect(attempts).toEqual([1, 2]);
    await bus.close();
  });
});
