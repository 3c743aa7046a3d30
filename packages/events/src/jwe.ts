/**
 * The one JWE suite of the bus, compact serialisation, on node:crypto's synchronous primitives (docs/adr/0051):
 * `ECDH-ES` (direct key agreement with one ephemeral X25519 key per message, RFC 7518 §4.6 and RFC 8037) and
 * `A256GCM`. jose's general implementation runs every step as a WebCrypto job behind a promise; for the bus's small
 * messages that machinery cost about four times the cryptography. The tokens are plain RFC 7516 compact JWEs: jose
 * opens what this seals and the other way round (packages/events/test/jwe.test.ts).
 *
 * Opening accepts only what sealing makes: a protected header with an `epk` of an X25519 key, no `apu`, `apv`,
 * `zip` or `crit`, an empty encrypted key, a 96-bit IV and a 128-bit tag. Any other token is refused with JweError.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  KeyObject,
  randomBytes,
  type webcrypto,
} from "node:crypto";
import { ENC_ALG, ENC_ENC } from "./suite";

/** A node:crypto KeyObject or a WebCrypto key (as jose imports them; its KeyObject type is structural). */
type AnyKey = KeyObject | webcrypto.CryptoKey | { readonly type: string };

/** Why a token could not be opened; the message names no content. */
export class JweError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "JweError";
  }
}

const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
// The Concat KDF's fixed input for direct ECDH-ES with A256GCM (RFC 7518 §4.6.2): AlgorithmID is the `enc` value,
// PartyUInfo and PartyVInfo are empty, SuppPubInfo is the key length in bits.
const KDF_AFTER_Z = Buffer.concat([u32(ENC_ENC.length), Buffer.from(ENC_ENC, "ascii"), u32(0), u32(0), u32(256)]);
const ROUND_1 = u32(1);

/** The content encryption key both sides derive from the shared secret Z (one SHA-256 round gives the 256 bits). */
function cekOf(z: Buffer): Buffer {
  return createHash("sha256").update(ROUND_1).update(z).update(KDF_AFTER_Z).digest();
}

const keyObjects = new WeakMap<object, KeyObject>();
/** A KeyObject for a key given as either kind (jose imports keys as WebCrypto keys); converted once per key. */
function keyObjectOf(key: AnyKey, type: "public" | "private"): KeyObject {
  let k: KeyObject | undefined = key instanceof KeyObject ? key : keyObjects.get(key);
  if (!k) {
    k = KeyObject.from(key as webcrypto.CryptoKey);
    keyObjects.set(key, k);
  }
  if (k.type !== type || k.asymmetricKeyType !== "x25519") throw new TypeError(`an X25519 ${type} key is needed`);
  return k;
}

/**
 * Encrypts `plaintext` to the receiver's X25519 public key. `header` is the rest of the protected header (`kid`,
 * `cty`, …); `alg`, `enc` and `epk` are set here.
 */
export function sealCompact(plaintext: Uint8Array, header: Record<string, string>, receiver: AnyKey): string {
  const to = keyObjectOf(receiver, "public");
  const ephemeral = generateKeyPairSync("x25519");
  const { x } = ephemeral.publicKey.export({ format: "jwk" });
  const protectedHeader = Buffer.from(JSON.stringify({ ...header, alg: ENC_ALG, enc: ENC_ENC, epk: { kty: "OKP", crv: "X25519", x } }), "utf8").toString(
    "base64url",
  );
  const cek = cekOf(diffieHellman({ privateKey: ephemeral.privateKey, publicKey: to }));
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", cek, iv);
  cipher.setAAD(Buffer.from(protectedHeader, "ascii"));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return `${protectedHeader}..${iv.toString("base64url")}.${ciphertext.toString("base64url")}.${cipher.getAuthTag().toString("base64url")}`;
}

const B64URL = /^[A-Za-z0-9_-]*$/;
/** Strict base64url (no padding, nothing outside the alphabet): Node's decoder would skip what it does not know. */
function bytesOf(part: string, what: string): Buffer {
  if (!B64URL.test(part) || part.length % 4 === 1) throw new JweError(`${what} is not base64url`);
  return Buffer.from(part, "base64url");
}

/** The protected header of a compact JWE, decoded (not checked). */
export function protectedHeaderOf(token: string): Record<string, unknown> {
  const part = token.slice(0, token.indexOf("."));
  let header: unknown;
  try {
    header = JSON.parse(bytesOf(part, "the protected header").toString("utf8"));
  } catch (e) {
    throw e instanceof JweError ? e : new JweError("the protected header is not JSON");
  }
  if (typeof header !== "object" || header === null || Array.isArray(header)) throw new JweError("the protected header is not an object");
  return header as Record<string, unknown>;
}

/**
 * Decrypts a compact JWE of this suite with the receiver's X25519 private key; throws JweError on anything else.
 * `header` is the token's protected header when the caller decoded it already (protectedHeaderOf), to check it here.
 */
export function openCompact(token: string, receiver: AnyKey, header: Record<string, unknown> = protectedHeaderOf(token)): Uint8Array {
  const key = keyObjectOf(receiver, "private");
  const parts = token.split(".");
  if (parts.length !== 5) throw new JweError("not a compact JWE");
  const [headerPart, encryptedKey, ivPart, ciphertextPart, tagPart] = parts as [string, string, string, string, string];
  if (header.alg !== ENC_ALG || header.enc !== ENC_ENC) throw new JweError("not ECDH-ES with A256GCM");
  for (const member of ["apu", "apv", "zip", "crit"]) if (member in header) throw new JweError(`"${member}" is not supported`);
  if (encryptedKey !== "") throw new JweError("direct key agreement has no encrypted key");
  const epk = header.epk as Record<string, unknown> | undefined;
  if (typeof epk !== "object" || epk === null || epk.kty !== "OKP" || epk.crv !== "X25519" || typeof epk.x !== "string") {
    throw new JweError("epk is not an X25519 public key");
  }
  if (bytesOf(epk.x, "epk.x").length !== 32) throw new JweError("epk is not an X25519 public key");
  const iv = bytesOf(ivPart, "the IV");
  const tag = bytesOf(tagPart, "the tag");
  if (iv.length !== 12 || tag.length !== 16) throw new JweError("IV or tag of the wrong length");
  const ciphertext = bytesOf(ciphertextPart, "the ciphertext");
  try {
    const sender = createPublicKey({ key: { kty: "OKP", crv: "X25519", x: epk.x }, format: "jwk" });
    const cek = cekOf(diffieHellman({ privateKey: key, publicKey: sender }));
    const decipher = createDecipheriv("aes-256-gcm", cek, iv, { authTagLength: 16 });
    decipher.setAAD(Buffer.from(headerPart, "ascii"));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    // A low-order ephemeral key (an all-zero secret) or a failed tag: the same refusal, nothing about which.
    throw new JweError("decryption failed");
  }
}
