/**
 * The OPRF against the official test vectors of RFC 9497, Appendix A.1.1
 * (ristretto255-SHA512, OPRF mode). Source: the draft's repository,
 * github.com/cfrg/draft-irtf-cfrg-voprf, draft-irtf-cfrg-voprf.md
 * ("# Test Vectors" → "## ristretto255-SHA512" → "### OPRF Mode"), commit
 * 43da59f797c92248c0362e4c74cc10a8bd2b7b7d; the same values as the RFC's
 * appendix.
 */
import { expand_message_xmd } from "@noble/curves/abstract/hash-to-curve.js";
import { sha512 } from "@noble/hashes/sha2.js";
import { describe, expect, it } from "vitest";
import {
  blind,
  blindEvaluate,
  deriveKeyPair,
  deserializeScalar,
  evaluate,
  expandMessageXmd,
  finalize,
  GROUP_ORDER,
  generateKeyPair,
  OprfInputError,
  serializeScalar,
} from "../src/oprf";

const hex = (s: string) => Uint8Array.from(Buffer.from(s, "hex"));
const toHex = (b: Uint8Array) => Buffer.from(b).toString("hex");

const SEED = hex("a3".repeat(32));
const KEY_INFO = hex("74657374206b6579"); // "test key"
const SK_SM = "5ebcea5ee37023ccb9fc2d2019f9d7737be85591ae8652ffa9ef0f4d37063b0e";

const VECTORS = [
  {
    name: "Test Vector 1, Batch Size 1",
    input: "00",
    blind: "64d37aed22a27f5191de1c1d69fadb899d8862b58eb4220029e036ec4c1f6706",
    blindedElement: "609a0ae68c15a3cf6903766461307e5c8bb2f95e7e6550e1ffa2dc99e412803c",
    evaluationElement: "7ec6578ae5120958eb2db1745758ff379e77cb64fe77b0b2d8cc917ea0869c7e",
    output: "527759c3d9366f277d8c6020418d96bb393ba2afb20ff90df23fb7708264e2f3ab9135e3bd69955851de4b1f9fe8a0973396719b7912ba9ee8aa7d0b5e24bcf6",
  },
  {
    name: "Test Vector 2, Batch Size 1",
    input: "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a",
    blind: "64d37aed22a27f5191de1c1d69fadb899d8862b58eb4220029e036ec4c1f6706",
    blindedElement: "da27ef466870f5f15296299850aa088629945a17d1f5b7f5ff043f76b3c06418",
    evaluationElement: "b4cbf5a4f1eeda5a63ce7b77c7d23f461db3fcab0dd28e4e17cecb5c90d02c25",
    output: "f4a74c9c592497375e796aa837e907b1a045d34306a749db9f34221f7e750cb4f2a6413a6bf6fa5e19ba6348eb673934a722a7ede2e7621306d18951e7cf2c73",
  },
];

describe("OPRF(ristretto255, SHA-512), RFC 9497 test vectors", () => {
  it("DeriveKeyPair gives the vectors' skSm from Seed and KeyInfo", () => {
    expect(toHex(deriveKeyPair(SEED, KEY_INFO).secretKey)).toBe(SK_SM);
  });

  for (const v of VECTORS) {
    it(`${v.name}: Blind, BlindEvaluate and Finalize give the listed values`, () => {
      const input = hex(v.input);
      const r = deserializeScalar(hex(v.blind));
      const b = blind(input, r);
      expect(toHex(b.blindedElement)).toBe(v.blindedElement);
      const evaluated = blindEvaluate(hex(SK_SM), b.blindedElement);
      expect(toHex(evaluated)).toBe(v.evaluationElement);
      expect(toHex(finalize(input, b.blind, evaluated))).toBe(v.output);
      // The key holder's direct evaluation agrees.
      expect(toHex(evaluate(hex(SK_SM), input))).toBe(v.output);
    });
  }
});

describe("the OPRF in use", () => {
  it("gives the same output whatever the (random) blind, and another output under another key", () => {
    const key = generateKeyPair();
    const other = generateKeyPair();
    const input = new TextEncoder().encode("jeugdige:999990019");
    const a = blind(input);
    const b = blind(input);
    expect(toHex(a.blindedElement)).not.toBe(toHex(b.blindedElement));
    const outA = finalize(input, a.blind, blindEvaluate(key.secretKey, a.blindedElement));
    const outB = finalize(input, b.blind, blindEvaluate(key.secretKey, b.blindedElement));
    expect(toHex(outA)).toBe(toHex(outB));
    expect(toHex(outA)).toBe(toHex(evaluate(key.secretKey, input)));
    expect(toHex(finalize(input, a.blind, blindEvaluate(other.secretKey, a.blindedElement)))).not.toBe(toHex(outA));
  });

  it("refuses a blinded element that is not a valid ristretto255 encoding, or is the identity", () => {
    const key = generateKeyPair();
    expect(() => blindEvaluate(key.secretKey, new Uint8Array(32))).toThrow(OprfInputError);
    expect(() => blindEvaluate(key.secretKey, new Uint8Array(31).fill(1))).toThrow(OprfInputError);
    expect(() => blindEvaluate(key.secretKey, new Uint8Array(32).fill(0xff))).toThrow(OprfInputError);
  });

  it("refuses a secret key or a blind that is zero or not below the group order", () => {
    const input = new TextEncoder().encode("jeugdige:999990019");
    const b = blind(input);
    const key = generateKeyPair();
    const evaluated = blindEvaluate(key.secretKey, b.blindedElement);
    for (const bad of [new Uint8Array(32), serializeBigintForTest(GROUP_ORDER), new Uint8Array(32).fill(0xff), new Uint8Array(31).fill(1)]) {
      expect(() => blindEvaluate(bad, b.blindedElement)).toThrow(OprfInputError);
      expect(() => evaluate(bad, input)).toThrow(OprfInputError);
      expect(() => finalize(input, bad, evaluated)).toThrow(OprfInputError);
      expect(() => blind(input, bad)).toThrow(OprfInputError);
    }
    expect(() => blind(input, 0n)).toThrow(OprfInputError);
    expect(() => blind(input, GROUP_ORDER)).toThrow(OprfInputError);
    // The largest scalar is accepted.
    expect(() => blindEvaluate(serializeScalar(GROUP_ORDER - 1n), b.blindedElement)).not.toThrow();
  });

  it("expand_message_xmd (SHA-512) agrees with @noble/curves' implementation for short and long outputs", () => {
    const dst = new TextEncoder().encode("QUUX-V01-CS02-with-expander-SHA512-256");
    // RFC 9380, Appendix K.3 (expand_message_xmd(SHA-512)): msg "", len_in_bytes 0x20.
    expect(toHex(expandMessageXmd(new Uint8Array(0), dst, 0x20))).toBe("6b9a7312411d92f921c6f68ca0b6380730a1a4d982c507211a90964c394179ba");
    for (const msg of ["", "abc", "a".repeat(300)].map((m) => new TextEncoder().encode(m))) {
      for (const length of [1, 32, 63, 64, 65, 128, 200, 0x80 * 2]) {
        expect(toHex(expandMessageXmd(msg, dst, length))).toBe(toHex(expand_message_xmd(msg, dst, length, sha512)));
      }
    }
  });

  it("serializes scalars little-endian and refuses one at or above the group order", () => {
    expect(deserializeScalar(serializeScalar(12345n))).toBe(12345n);
    expect(() => deserializeScalar(new Uint8Array(32).fill(0xff))).toThrow(OprfInputError);
    expect(() => deriveKeyPair(new Uint8Array(31), KEY_INFO)).toThrow(OprfInputError);
  });
});

describe("pseudonyms over the OPRF", () => {
  it("a node's blinded round trip gives the key holder's pseudonym: 43 base64url characters, kind-separated", async () => {
    const { blindItems, evaluatePseudonym, keyOfVersion, toWire, fromWire } = await import("../src/pseudonym");
    const seed = new Uint8Array(32).fill(7);
    const key = keyOfVersion(seed, "regio", 1);
    const items = [
      { kind: "jeugdige", value: "999990019" },
      { kind: "ouder", value: "999990019" },
      { kind: "adres", value: "0363200000123456" },
    ] as const;
    const round = blindItems(items);
    const evaluated = round.elements.map((e) => toWire(blindEvaluate(key.secretKey, fromWire(e))));
    const pseudonyms = round.finish(evaluated);
    expect(pseudonyms).toEqual(items.map((i) => evaluatePseudonym(key.secretKey, i)));
    for (const p of pseudonyms) expect(p).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set(pseudonyms).size).toBe(3);
    // Another version of the same seed is another key: other pseudonyms.
    expect(evaluatePseudonym(keyOfVersion(seed, "regio", 2).secretKey, items[0])).not.toBe(pseudonyms[0]);
    expect(evaluatePseudonym(keyOfVersion(seed, "landelijk", 1).secretKey, items[0])).not.toBe(pseudonyms[0]);
    // The blinded elements reveal nothing stable about the value: a second round blinds differently.
    expect(blindItems(items).elements[0]).not.toBe(round.elements[0]);
  });
});

function serializeBigintForTest(n: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = Number((n >> BigInt(8 * i)) & 0xffn);
  return out;
}
