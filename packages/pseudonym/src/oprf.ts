/**
 * The OPRF of RFC 9497 ("Oblivious Pseudorandom Functions (OPRFs) Using
 * Prime-Order Groups"), mode OPRF (0x00), ciphersuite ristretto255-SHA512,
 * written from the RFC's pseudocode. The group operations are libsodium's
 * ristretto255 (compiled to WebAssembly, constant-time scalar
 * multiplication, about ten times faster than JavaScript bigints); the
 * RFC 9380 hash-to-group is expand_message_xmd (SHA-512, @noble/hashes and
 * @noble/curves) followed by libsodium's ristretto255 one-way map.
 *
 * - the client: `blind(input)` → (blind, blindedElement); sends only the
 *   blinded element; `finalize(input, blind, evaluatedElement)` → 64 bytes.
 * - the server: `blindEvaluate(skS, blindedElement)`: it sees neither the
 *   input nor the output.
 * - keys: `generateKeyPair()` (random) or `deriveKeyPair(seed, info)`
 *   (deterministic: the same 32-byte seed and info give the same key).
 *
 * Elements travel as the 32-byte ristretto255 encoding; a received element
 * that does not decode, or decodes to the identity, is refused
 * (`OprfInputError`), as the RFC requires.
 */
import { randomBytes } from "node:crypto";
import { expand_message_xmd } from "@noble/curves/abstract/hash-to-curve.js";
import { sha512 } from "@noble/hashes/sha2.js";
import sodium from "libsodium-wrappers-sumo";

await sodium.ready;

/** The group order (RFC 9496): 2^252 + 27742317777372353535851937790883648493. */
export const GROUP_ORDER = 2n ** 252n + 27742317777372353535851937790883648493n;
/** Serialized element and scalar sizes (Ne, Ns), and the output size Nh (SHA-512). */
export const ELEMENT_BYTES = 32;
export const SCALAR_BYTES = 32;
export const OUTPUT_BYTES = 64;

const MODE_OPRF = 0x00;
const IDENTIFIER = "ristretto255-SHA512";
const enc = new TextEncoder();

/** contextString = "OPRFV1-" || I2OSP(mode, 1) || "-" || identifier (RFC 9497 §3.1). */
export const CONTEXT_STRING: Uint8Array = concat(enc.encode("OPRFV1-"), Uint8Array.of(MODE_OPRF), enc.encode(`-${IDENTIFIER}`));
const HASH_TO_GROUP_DST = concat(enc.encode("HashToGroup-"), CONTEXT_STRING);
const HASH_TO_SCALAR_DST = concat(enc.encode("HashToScalar-"), CONTEXT_STRING);
const DERIVE_KEY_PAIR_DST = concat(enc.encode("DeriveKeyPair"), CONTEXT_STRING);
const FINALIZE = enc.encode("Finalize");

/** A received element or scalar that is not valid: the protocol is aborted (RFC 9497 §3.3, §4.1). */
export class OprfInputError extends Error {
  override readonly name = "OprfInputError";
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** I2OSP(n, 2): a two-byte big-endian length prefix. */
function i2osp2(n: number): Uint8Array {
  if (!Number.isInteger(n) || n < 0 || n > 0xffff) throw new OprfInputError("input longer than 65535 bytes");
  return Uint8Array.of(n >> 8, n & 0xff);
}

function leBytesToBigint(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]!);
  return n;
}

/** SerializeScalar: 32 bytes little-endian. */
export function serializeScalar(s: bigint): Uint8Array {
  if (s < 0n || s >= GROUP_ORDER) throw new OprfInputError("scalar out of range");
  const out = new Uint8Array(SCALAR_BYTES);
  let v = s;
  for (let i = 0; i < SCALAR_BYTES; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** DeserializeScalar: 32 bytes little-endian, below the group order. */
export function deserializeScalar(bytes: Uint8Array): bigint {
  if (bytes.length !== SCALAR_BYTES) throw new OprfInputError("a scalar is 32 bytes");
  const s = leBytesToBigint(bytes);
  if (s >= GROUP_ORDER) throw new OprfInputError("scalar out of range");
  return s;
}

/** An element: its canonical 32-byte ristretto255 encoding (libsodium works on encodings). */
type Element = Uint8Array;

/** SerializeElement: the ristretto255 encoding (elements are kept encoded). */
export function serializeElement(e: Element): Uint8Array {
  return e;
}

/** The identity's encoding: 32 zero bytes. */
const isIdentity = (bytes: Uint8Array) => bytes.every((b) => b === 0);

/** DeserializeElement: a canonical ristretto255 encoding, never the identity. */
export function deserializeElement(bytes: Uint8Array): Element {
  if (!(bytes instanceof Uint8Array) || bytes.length !== ELEMENT_BYTES) throw new OprfInputError("an element is 32 bytes");
  if (!sodium.crypto_core_ristretto255_is_valid_point(bytes)) throw new OprfInputError("not a ristretto255 element");
  if (isIdentity(bytes)) throw new OprfInputError("the identity element is not accepted");
  return bytes;
}

/** scalar · element; libsodium refuses a product that is the identity (never for a valid element and a scalar in [1, order)). */
function multiply(scalar: bigint, e: Element): Element {
  try {
    return sodium.crypto_scalarmult_ristretto255(serializeScalar(scalar), e);
  } catch {
    throw new OprfInputError("the product is the identity element");
  }
}

/** HashToGroup: hash_to_ristretto255 with DST "HashToGroup-" || contextString (expand_message_xmd, SHA-512, then the one-way map). */
function hashToGroup(input: Uint8Array): Element {
  return sodium.crypto_core_ristretto255_from_hash(expand_message_xmd(input, HASH_TO_GROUP_DST, 64, sha512));
}

/** HashToScalar: 64 uniform bytes (expand_message_xmd, SHA-512), little-endian, reduced mod the order. */
function hashToScalar(input: Uint8Array, dst: Uint8Array = HASH_TO_SCALAR_DST): bigint {
  return leBytesToBigint(expand_message_xmd(input, dst, 64, sha512)) % GROUP_ORDER;
}

/** RandomScalar: uniform in [1, order) (64 random bytes reduced: a bias below 2^-250). */
function randomScalar(): bigint {
  for (;;) {
    const s = leBytesToBigint(randomBytes(64)) % GROUP_ORDER;
    if (s !== 0n) return s;
  }
}

export interface KeyPair {
  /** skS, serialized (32 bytes). */
  secretKey: Uint8Array;
  /** pkS, serialized (32 bytes); not needed in OPRF mode, kept for a later VOPRF. */
  publicKey: Uint8Array;
}

function keyPairOf(skS: bigint): KeyPair {
  return { secretKey: serializeScalar(skS), publicKey: sodium.crypto_scalarmult_ristretto255_base(serializeScalar(skS)) };
}

/** GenerateKeyPair (RFC 9497 §3.2): a random key. */
export function generateKeyPair(): KeyPair {
  return keyPairOf(randomScalar());
}

/** DeriveKeyPair (RFC 9497 §3.2.1): the key of a 32-byte secret seed and a public info string. */
export function deriveKeyPair(seed: Uint8Array, info: Uint8Array): KeyPair {
  if (seed.length !== SCALAR_BYTES) throw new OprfInputError("the seed is 32 bytes");
  const deriveInput = concat(seed, i2osp2(info.length), info);
  for (let counter = 0; counter <= 255; counter++) {
    const skS = hashToScalar(concat(deriveInput, Uint8Array.of(counter)), DERIVE_KEY_PAIR_DST);
    if (skS !== 0n) return keyPairOf(skS);
  }
  throw new Error("DeriveKeyPairError");
}

export interface Blinded {
  /** The blind: the client keeps it, never sends it. */
  blind: bigint;
  /** The blinded element (serialized): what the client sends. */
  blindedElement: Uint8Array;
}

/** Blind (RFC 9497 §3.3.1). `blind` is for the test vectors only; normally random. */
export function blind(input: Uint8Array, fixedBlind?: bigint): Blinded {
  const r = fixedBlind ?? randomScalar();
  if (r <= 0n || r >= GROUP_ORDER) throw new OprfInputError("blind out of range");
  const inputElement = hashToGroup(input);
  if (isIdentity(inputElement)) throw new OprfInputError("the input maps to the identity element");
  return { blind: r, blindedElement: serializeElement(multiply(r, inputElement)) };
}

/** BlindEvaluate (RFC 9497 §3.3.1): the server's step; refuses an element that is not valid. */
export function blindEvaluate(secretKey: Uint8Array, blindedElement: Uint8Array): Uint8Array {
  const skS = deserializeScalar(secretKey);
  if (skS === 0n) throw new OprfInputError("the secret key is zero");
  return serializeElement(multiply(skS, deserializeElement(blindedElement)));
}

/** Finalize (RFC 9497 §3.3.1): unblinds the server's answer and hashes it with the input; 64 bytes. */
export function finalize(input: Uint8Array, blindScalar: bigint, evaluatedElement: Uint8Array): Uint8Array {
  if (blindScalar <= 0n || blindScalar >= GROUP_ORDER) throw new OprfInputError("blind out of range");
  const inverse = deserializeScalar(sodium.crypto_core_ristretto255_scalar_invert(serializeScalar(blindScalar)));
  const unblinded = serializeElement(multiply(inverse, deserializeElement(evaluatedElement)));
  return sha512(concat(i2osp2(input.length), input, i2osp2(unblinded.length), unblinded, FINALIZE));
}

/** Evaluate (RFC 9497 §3.3.1): the output for a holder of both key and input (tests and key checks only). */
export function evaluate(secretKey: Uint8Array, input: Uint8Array): Uint8Array {
  const skS = deserializeScalar(secretKey);
  const inputElement = hashToGroup(input);
  if (isIdentity(inputElement)) throw new OprfInputError("the input maps to the identity element");
  const issued = serializeElement(multiply(skS, inputElement));
  return sha512(concat(i2osp2(input.length), input, i2osp2(issued.length), issued, FINALIZE));
}
