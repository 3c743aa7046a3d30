/** Match ids. (Pseudonyms come from the pseudonym service: @vi/pseudonym, docs/adr/0024.) */
import { createHash } from "node:crypto";

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
