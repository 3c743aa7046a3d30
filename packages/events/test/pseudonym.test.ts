import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { matchId, memoryReplayGuard } from "../src/index";

describe("matchId", () => {
  it("is symmetric, stable and a version-5-layout UUID", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const id = matchId(a, b);
        expect(id).toBe(matchId(b, a));
        expect(id).toBe(matchId(a, b));
        expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(z.uuid().safeParse(id).success).toBe(true);
      }),
    );
  });

  it("names different pairs differently", () => {
    fc.assert(
      fc.property(fc.uuid(), fc.uuid(), fc.uuid(), (a, b, c) => {
        fc.pre(b !== c);
        expect(matchId(a, b)).not.toBe(matchId(a, c));
      }),
    );
  });

  it("matches the value the hub and nodes agreed on (sha256 of match:min:max)", async () => {
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode("match:sig-a:sig-b"))).slice(0, 16);
    digest[6] = (digest[6]! & 0x0f) | 0x50;
    digest[8] = (digest[8]! & 0x3f) | 0x80;
    const hex = Buffer.from(digest).toString("hex");
    const expected = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    expect(matchId("sig-b", "sig-a")).toBe(expected);
  });
});

describe("memory replay guard", () => {
  it("says first-seen once per jti, and forgets entries after they expire", async () => {
    let t = 0;
    const guard = memoryReplayGuard({ now: () => new Date(t), sweepEveryMs: 0 });
    expect(await guard.firstSeen("a", new Date(1000))).toBe(true);
    expect(await guard.firstSeen("a", new Date(1000))).toBe(false);
    expect(await guard.firstSeen("b", new Date(1000))).toBe(true);
    t = 2000;
    expect(await guard.firstSeen("a", new Date(3000))).toBe(true);
  });
});
