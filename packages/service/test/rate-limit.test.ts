/** The kit's token buckets: capacity, refill, the wait until a token is back, and bounded memory. */
import { describe, expect, it } from "vitest";
import { enforce, Problem, tokenBuckets } from "../src/index";

describe("tokenBuckets", () => {
  it("gives perMinute tokens at once, then one per 60/perMinute seconds, with the wait in whole seconds", () => {
    let t = 0;
    const b = tokenBuckets({ perMinute: 6, now: () => t });
    for (let i = 0; i < 6; i++) expect(b.take("a")).toEqual({ ok: true });
    expect(b.take("a")).toEqual({ ok: false, retryAfterSec: 10 });
    expect(b.take("b")).toEqual({ ok: true });
    t += 4_000;
    expect(b.waitSec("a")).toBe(6);
    expect(b.has("a")).toBe(false);
    t += 6_000;
    expect(b.has("a")).toBe(true);
    expect(b.take("a")).toEqual({ ok: true });
    expect(b.take("a").ok).toBe(false);
  });
  it("0 per minute is no limit", () => {
    const b = tokenBuckets({ perMinute: 0 });
    for (let i = 0; i < 1000; i++) expect(b.take("a").ok).toBe(true);
    expect(b.waitSec("a")).toBe(0);
  });
  it("forgets full buckets when it holds too many keys, never a bucket in use", () => {
    let t = 0;
    const b = tokenBuckets({ perMinute: 1, now: () => t, maxKeys: 2 });
    expect(b.take("a").ok).toBe(true);
    t += 60_000; // a is full again
    expect(b.take("b").ok).toBe(true);
    expect(b.take("c").ok).toBe(true); // prunes a
    expect(b.take("b").ok).toBe(false); // b was kept (empty)
  });
  it("enforce takes from every bucket and throws 429 TE_VEEL_VERZOEKEN with the longest wait", () => {
    const t = 0;
    const identity = tokenBuckets({ perMinute: 1, now: () => t });
    const address = tokenBuckets({ perMinute: 2, now: () => t });
    enforce(
      [
        [identity, "p"],
        [address, "1.2.3.4"],
      ],
      "registraties",
    );
    let thrown: unknown;
    try {
      enforce(
        [
          [identity, "p"],
          [address, "1.2.3.4"],
        ],
        "registraties",
      );
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(Problem);
    expect(thrown).toMatchObject({ code: "TE_VEEL_VERZOEKEN", status: 429, retryAfterSec: 60 });
    expect((thrown as Problem).detail).toBe("Te veel registraties in korte tijd. Probeer het over 60 seconden opnieuw.");
  });
});
