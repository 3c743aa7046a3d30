/**
 * The OPRF of RFC 9497 ("Oblivious Pseudorandom Functions (OPRFs) Using
 * Prime-Order Groups"), mode OPRF (0x00), ciphersuite ristretto255-SHA512,
 * written from the RFC's pseudocode. The group operations are libsodium's
 * ristretto255 (compiled to WebAssembly, constant-time scalar
 * multiplication, about ten times faster than JavaScript bigints); the
 * RFC 9380 hash-to-group is expand_message_xmd (SHA-512, node:crypto)
 * followed by libsodium's ristretto255 one-way map.
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
 * (`OprfInputError`), as the RFC requires. Scalars are kept serialized (32
 * bytes, little-endian), as libsodium takes them: a bigint is only made where
 * a caller asks for one (serializeScalar, deserializeScalar) and to reduce a
 * hash to a scalar when a key is derived.
 */
import { createHash, randomBytes } from "node:crypto";
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
  return serializeBigint(s);
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

/** A scalar, serialized: 32 bytes little-endian, below the group order. */
type Scalar = Uint8Array;

/** The group order, serialized (little-endian), to compare scalars with byte by byte. */
const ORDER_BYTES = serializeBigint(GROUP_ORDER);

function serializeBigint(n: bigint): Uint8Array {
  const out = new Uint8Array(SCALAR_BYTES);
  let v = n;
  for (let i = 0; i < SCALAR_BYTES; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** A serialized scalar in [1, order): 32 bytes, little-endian, below the order and not zero; else OprfInputError. */
function checkedScalar(bytes: Uint8Array, what: string): Scalar {
  if (!(bytes instanceof Uint8Array) || bytes.length !== SCALAR_BYTES) throw new OprfInputError(`${what}: a scalar is 32 bytes`);
  let below = false;
  for (let i = SCALAR_BYTES - 1; i >= 0; i--) {
    if (bytes[i]! !== ORDER_BYTES[i]!) {
      below = bytes[i]! < ORDER_BYTES[i]!;
      break;
    }
  }
  if (!below) throw new OprfInputError(`${what} out of range`);
  if (bytes.every((b) => b === 0)) throw new OprfInputError(`${what} is zero`);
  return bytes;
}

/** A scalar given as a bigint or serialized, checked to be in [1, order). */
function scalarOf(s: bigint | Uint8Array, what: string): Scalar {
  if (typeof s === "bigint") {
    if (s <= 0n || s >= GROUP_ORDER) throw new OprfInputError(`${what} out of range`);
    return serializeBigint(s);
  }
  return checkedScalar(s, what);
}

/** scalar · element; libsodium refuses a product that is the identity (never for a valid element and a scalar in [1, order)). */
function multiply(scalar: Scalar, e: Element): Element {
  try {
    return sodium.crypto_scalarmult_ristretto255(scalar, e);
  } catch {
    throw new OprfInputError("the product is the identity element");
  }
}

/** SHA-512's input block (r_in_bytes) and output (b_in_bytes), RFC 9380 §5.3.1. */
const SHA512_BLOCK = 128;
const SHA512_OUT = 64;
const Z_PAD = new Uint8Array(SHA512_BLOCK);

/**
 * expand_message_xmd with SHA-512 (RFC 9380 §5.3.1): `length` uniform bytes of `msg` under `dst`. Our DSTs are
 * short constants, so the step for a DST longer than 255 bytes is not needed and refused.
 */
export function expandMessageXmd(msg: Uint8Array, dst: Uint8Array, length: number): Uint8Array {
  const ell = Math.ceil(length / SHA512_OUT);
  if (ell > 255 || length > 0xffff || dst.length > 255) throw new OprfInputError("expand_message_xmd: length or DST too long");
  const dstPrime = concat(dst, Uint8Array.of(dst.length));
  const b0 = createHash("sha512").update(Z_PAD).update(msg).update(i2osp2(length)).update(Uint8Array.of(0)).update(dstPrime).digest();
  const out = new Uint8Array(ell * SHA512_OUT);
  let previous: Uint8Array = createHash("sha512").update(b0).update(Uint8Array.of(1)).update(dstPrime).digest();
  out.set(previous, 0);
  for (let i = 2; i <= ell; i++) {
    const mixed = new Uint8Array(SHA512_OUT);
    for (let j = 0; j < SHA512_OUT; j++) mixed[j] = b0[j]! ^ previous[j]!;
    previous = createHash("sha512").update(mixed).update(Uint8Array.of(i)).update(dstPrime).digest();
    out.set(previous, (i - 1) * SHA512_OUT);
  }
  return out.subarray(0, length);
}

/** HashToGroup: hash_to_ristretto255 with DST "HashToGroup-" || contextString (expand_message_xmd, SHA-512, then the one-way map). */
function hashToGroup(input: Uint8Array): Element {
  return sodium.crypto_core_ristretto255_from_hash(expandMessageXmd(input, HASH_TO_GROUP_DST, 64));
}

/** HashToScalar: 64 uniform bytes (expand_message_xmd, SHA-512), little-endian, reduced mod the order. */
function hashToScalar(input: Uint8Array, dst: Uint8Array = HASH_TO_SCALAR_DST): bigint {
  return leBytesToBigint(expandMessageXmd(input, dst, 64)) % GROUP_ORDER;
}

/**
 * RandomScalar: uniform in [1, order), serialized: 64 random bytes reduced mod the order (a bias below 2^-250).
 * libsodium's own scalar_random took thirty times as long here in WebAssembly (365 against 12 µs).
 */
function randomScalar(): Scalar {
  for (;;) {
    const s = sodium.crypto_core_ristretto255_scalar_reduce(randomBytes(64));
    if (!s.every((b) => b === 0)) return s;
  }
}

/** The output hash of Finalize and Evaluate: SHA-512(I2OSP(len(input), 2) || input || I2OSP(len(element), 2) || element || "Finalize"). */
function outputHash(input: Uint8Array, element: Element): Uint8Array {
  const digest = createHash("sha512").update(i2osp2(input.length)).update(input).update(i2osp2(element.length)).update(element).update(FINALIZE).digest();
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.length);
}

export interface KeyPair {
  /** skS, serialized (32 bytes). */
  secretKey: Uint8Array;
  /** pkS, serialized (32 bytes); not needed in OPRF mode, kept for a later VOPRF. */
  publicKey: Uint8Array;
}

function keyPairOf(skS: Scalar): KeyPair {
  return { secretKey: skS, publicKey: sodium.crypto_scalarmult_ristretto255_base(skS) };
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
    if (skS !== 0n) return keyPairOf(serializeBigint(skS));
  }
  throw new Error("DeriveKeyPairError");
}

export interface Blinded {
  /** The blind, serialized (32 bytes, little-endian): the client keeps it, never sends it. */
  blind: Uint8Array;
  /** The blinded element (serialized): what the client sends. */
  blindedElement: Uint8Array;
}

/** Blind (RFC 9497 §3.3.1). `fixedBlind` is for the test vectors only; normally random. */
export function blind(input: Uint8Array, fixedBlind?: bigint | Uint8Array): Blinded {
  const r = fixedBlind === undefined ? randomScalar() : scalarOf(fixedBlind, "blind");
  const inputElement = hashToGroup(input);
  if (isIdentity(inputElement)) throw new OprfInputError("the input maps to the identity element");
  return { blind: r, blindedElement: serializeElement(multiply(r, inputElement)) };
}

/** BlindEvaluate (RFC 9497 §3.3.1): the server's step; refuses an element that is not valid. */
export function blindEvaluate(secretKey: Uint8Array, blindedElement: Uint8Array): Uint8Array {
  const skS = checkedScalar(secretKey, "the secret key");
  return serializeElement(multiply(skS, deserializeElement(blindedElement)));
}

/** Finalize (RFC 9497 §3.3.1): unblinds the server's answer and hashes it with the input; 64 bytes. */
export function finalize(input: Uint8Array, blindScalar: bigint | Uint8Array, evaluatedElement: Uint8Array): Uint8Array {
  const inverse = sodium.crypto_core_ristretto255_scalar_invert(scalarOf(blindScalar, "blind"));
  const unblinded = serializeElement(multiply(inverse, deserializeElement(evaluatedElement)));
  return outputHash(input, unblinded);
}

/** Evaluate (RFC 9497 §3.3.1): the output for a holder of both key and input (tests and key checks only). */
export function evaluate(secretKey: Uint8Array, input: Uint8Array): Uint8Array {
  const skS = checkedScalar(secretKey, "the secret key");
  const inputElement = hashToGroup(input);
  if (isIdentity(inputElement)) throw new OprfInputError("the input maps to the identity element");
  return outputHash(input, serializeElement(multiply(skS, inputElement)));
}
