import { generateKeyPairSync } from "node:crypto";
import { CompactEncrypt, compactDecrypt, generateKeyPair } from "jose";
import { describe, expect, it } from "vitest";
import { JweError, openCompact, sealCompact } from "../src/jwe";

const enc = new TextEncoder();
const dec = new TextDecoder();
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
const headerOf = (token: string) => JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString("utf8")) as Record<string, unknown>;

/** The token with its protected header replaced (the tag then no longer matches, but the header is checked first). */
const withHeader = (token: string, change: (h: Record<string, unknown>) => void) => {
  const h = headerOf(token);
  change(h);
  return [b64(h), ...token.split(".").slice(1)].join(".");
};

async function receiver() {
  // As the services hold them: imported by jose as WebCrypto keys.
  return generateKeyPair("ECDH-ES", { crv: "X25519", extractable: true });
}

describe("the bus's JWE suite on node:crypto (ECDH-ES with X25519, A256GCM)", () => {
  it("jose opens what it seals, with the header it was given, and it opens what jose seals", async () => {
    const r = await receiver();
    const text = `ein signiertes Ereignis ${"x".repeat(3000)} é ✓`;
    const mine = sealCompact(enc.encode(text), { kid: "enc-1", cty: "vi-event+jwt" }, r.publicKey);
    const byJose = await compactDecrypt(mine, r.privateKey, { keyManagementAlgorithms: ["ECDH-ES"], contentEncryptionAlgorithms: ["A256GCM"] });
    expect(dec.decode(byJose.plaintext)).toBe(text);
    expect(byJose.protectedHeader).toMatchObject({ alg: "ECDH-ES", enc: "A256GCM", kid: "enc-1", cty: "vi-event+jwt", epk: { kty: "OKP", crv: "X25519" } });

    const theirs = await new CompactEncrypt(enc.encode(text))
      .setProtectedHeader({ alg: "ECDH-ES", enc: "A256GCM", kid: "enc-1", cty: "vi-event+jwt" })
      .encrypt(r.publicKey);
    expect(dec.decode(openCompact(theirs, r.privateKey))).toBe(text);
  });

  it("takes node:crypto KeyObjects as well as WebCrypto keys, and refuses a key of another kind", () => {
    const r = generateKeyPairSync("x25519");
    const token = sealCompact(enc.encode("hallo"), { kid: "k" }, r.publicKey);
    expect(dec.decode(openCompact(token, r.privateKey))).toBe("hallo");
    const ed = generateKeyPairSync("ed25519");
    expect(() => sealCompact(enc.encode("hallo"), { kid: "k" }, ed.publicKey)).toThrow(TypeError);
    expect(() => openCompact(token, r.publicKey)).toThrow(TypeError);
  });

  it("every message has its own ephemeral key and IV", () => {
    const r = generateKeyPairSync("x25519");
    const one = sealCompact(enc.encode("zelfde"), { kid: "k" }, r.publicKey);
    const two = sealCompact(enc.encode("zelfde"), { kid: "k" }, r.publicKey);
    expect(headerOf(one).epk).not.toEqual(headerOf(two).epk);
    expect(one.split(".")[2]).not.toBe(two.split(".")[2]);
  });

  it("refuses a token for another key, and one whose header, IV, ciphertext or tag was changed", () => {
    const r = generateKeyPairSync("x25519");
    const other = generateKeyPairSync("x25519");
    const token = sealCompact(enc.encode("geheim"), { kid: "k" }, r.publicKey);
    expect(() => openCompact(token, other.privateKey)).toThrow(new JweError("decryption failed"));
    const flip = (part: string) => {
      const b = Buffer.from(part, "base64url");
      b[0] = b[0]! ^ 1;
      return b.toString("base64url");
    };
    for (const i of [2, 3, 4]) {
      const parts = token.split(".");
      parts[i] = flip(parts[i]!);
      expect(() => openCompact(parts.join("."), r.privateKey)).toThrow(JweError);
    }
    // A header member the sender did not write: the header is the GCM's additional data.
    expect(() =>
      openCompact(
        withHeader(token, (h) => (h.kid = "k2")),
        r.privateKey,
      ),
    ).toThrow(new JweError("decryption failed"));
  });

  it("refuses what it does not seal itself: other algorithms, apu/apv/zip/crit, an encrypted key, a wrong epk, IV or tag", () => {
    const r = generateKeyPairSync("x25519");
    const token = sealCompact(enc.encode("geheim"), { kid: "k" }, r.publicKey);
    const refused: Array<[string, string]> = [
      [withHeader(token, (h) => (h.alg = "ECDH-ES+A256KW")), "not ECDH-ES with A256GCM"],
      [withHeader(token, (h) => (h.enc = "A128GCM")), "not ECDH-ES with A256GCM"],
      [withHeader(token, (h) => (h.apu = "YQ")), '"apu" is not supported'],
      [withHeader(token, (h) => (h.apv = "YQ")), '"apv" is not supported'],
      [withHeader(token, (h) => (h.zip = "DEF")), '"zip" is not supported'],
      [withHeader(token, (h) => (h.crit = ["exp"])), '"crit" is not supported'],
      [withHeader(token, (h) => (h.epk = { kty: "EC", crv: "P-256", x: "AA", y: "AA" })), "epk is not an X25519 public key"],
      [withHeader(token, (h) => ((h.epk as { x: string }).x = "AAAA")), "epk is not an X25519 public key"],
      [token.replace("..", ".AAAA."), "direct key agreement has no encrypted key"],
      [
        token
          .split(".")
          .map((p, i) => (i === 2 ? "AAAAAAAA" : p))
          .join("."),
        "IV or tag of the wrong length",
      ],
      [
        token
          .split(".")
          .map((p, i) => (i === 4 ? "AAAA" : p))
          .join("."),
        "IV or tag of the wrong length",
      ],
      [
        token
          .split(".")
          .map((p, i) => (i === 3 ? `${p}=` : p))
          .join("."),
        "the ciphertext is not base64url",
      ],
      [`${b64(["ECDH-ES"])}.${token.split(".").slice(1).join(".")}`, "the protected header is not an object"],
      [`e30x.${token.split(".").slice(1).join(".")}`, "the protected header is not JSON"],
      [token.split(".").slice(0, 3).join("."), "not a compact JWE"],
    ];
    for (const [bad, message] of refused) expect(() => openCompact(bad, r.privateKey), message).toThrow(new JweError(message));
  });

  it("refuses a low-order ephemeral key (an all-zero shared secret) like any failed decryption", () => {
    const r = generateKeyPairSync("x25519");
    const token = sealCompact(enc.encode("geheim"), { kid: "k" }, r.publicKey);
    const zeroPoint = Buffer.alloc(32).toString("base64url");
    expect(() =>
      openCompact(
        withHeader(token, (h) => ((h.epk as { x: string }).x = zeroPoint)),
        r.privateKey,
      ),
    ).toThrow(new JweError("decryption failed"));
  });
});
