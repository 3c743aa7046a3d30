import { createHash, createHmac } from "node:crypto";

export type PseudonymKind = "jeugdige" | "ouder" | "adres";
const KINDS: readonly string[] = ["jeugdige", "ouder", "adres"];
export const MIN_REGION_KEY_BYTES = 32;

/**
 * `base64url(HMAC-SHA256(regionKey, kind + ":" + value))`. A string key is
 * taken as its UTF-8 bytes (REGIO_PSEUDONIEM_SLEUTEL as configured). The value
 * is used as given: normalise (trim, upper-case postcode, ...) before calling.
 * Throws for a key under 32 bytes: an unsafe configuration must stop the
 * service, not produce guessable pseudonyms.
 */
export function pseudonym(regionKey: Uint8Array | string, kind: PseudonymKind, value: string): string {
  const key = typeof regionKey === "string" ? Buffer.from(regionKey, "utf8") : regionKey;
  if (!(key instanceof Uint8Array) || key.byteLength < MIN_REGION_KEY_BYTES) {
    throw new Error(`The region pseudonym key must be at least ${MIN_REGION_KEY_BYTES} bytes`);
  }
  if (!KINDS.includes(kind)) throw new Error(`Unknown pseudonym kind "${String(kind)}"`);
  if (typeof value !== "string") throw new TypeError("pseudonym value must be a string");
  return createHmac("sha256", key).update(`${kind}:${value}`, "utf8").digest("base64url");
}

/**
 * A deterministic UUID for a pair of signals: the first 16 bytes of
 * sha256("match:" + min + ":" + max) (JavaScript string order) with the
 * version-5 and RFC 4122 variant bits set. Symmetric in its arguments.
 */
export function matchId(signalA: string, signalB: string): string {
  const [lo, hi] = signalA <= signalB ? [signalA, signalB] : [signalB, signalA];
  const b = createHash("sha256").update(`match:${lo}:${hi}`, "utf8").digest().subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
