import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { matchId, memoryReplayGuard, pseudonym } from "../src/index";

const KEY = "k".repeat(32);
const OTHER = "l".repeat(32);

async function webCryptoHmac(key: string, message: string): Promise<string> {
  const k = await crypto.subtle.importKey("raw", new TextEncoder().encode(key), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const sig = new Uint8Array(await crypto.subtle.sign("HMAC", k, new TextEncoder().encode(message)));
  return Buffer.from(sig).toString("base64url");
}

describe("pseudonym", () => {
  it("is base64url(HMAC-SHA256(key, kind:value)), checked against WebCrypto", async () => {
    expect(pseudonym(KEY, "jeugdige", "999990019")).toBe(await webCryptoHmac(KEY, "jeugdige:999990019"));
    expect(pseudonym(new TextEncoder().encode(KEY), "adres", "1234AB 12")).toBe(await webCryptoHmac(KEY, "adres:1234AB 12"));
    expect(pseudonym(KEY, "ouder", "x")).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("is deterministic, depends on the key, and separates kinds", () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        expect(pseudonym(KEY, "jeugdige", value)).toBe(pseudonym(KEY, "jeugdige", value));
        expect(pseudonym(KEY, "jeugdige", value)).not.toBe(pseudonym(OTHER, "jeugdige", value));
        expect(pseudonym(KEY, "jeugdige", value)).not.toBe(pseudonym(KEY, "ouder", value));
        expect(pseudonym(KEY, "ouder", value)).not.toBe(pseudonym(KEY, "adres", value));
      }),
    );
  });

  it("refuses a region key shorter than 32 bytes", () => {
    expect(() => pseudonym("k".repeat(31), "jeugdige", "1")).toThrow(/32 bytes/);
    expect(() => pseudonym(new Uint8Array(31), "jeugdige", "1")).toThrow(/32 bytes/);
    expect(() => pseudonym("", "jeugdige", "1")).toThrow(/32 bytes/);
    expect(() => pseudonym(new Uint8Array(32), "jeugdige", "1")).not.toThrow();
    expect(() => pseudonym(KEY, "bsn" as never, "1")).toThrow(/kind/);
  });
});

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
