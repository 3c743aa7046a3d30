/**
 * Encrypted payloads (docs/federation.md, "Encrypted payloads"): every
 * message on the bus is a signed event (JWS) that is then encrypted to its
 * one receiver, a compact JWE with ECDH-ES (direct key agreement, one
 * ephemeral X25519 key per message) and A256GCM, to the X25519 key the
 * receiver publishes in the trust registry. The bus, and anyone reading it
 * or a stream's files, sees only the receiver's key id and ciphertext.
 *
 * The receiver first decrypts (openSealed), then verifies the signed event
 * inside (verifyEvent), in this order:
 *
 * 1. Structure: a compact JWE of five parts (a three-part JWS is refused as
 *    `unencrypted`), not larger than 1 MiB, whose protected header decodes —
 *    else `malformed`.
 * 2. Header: `alg` exactly `ECDH-ES`, `enc` exactly `A256GCM`, `cty`
 *    `vi-event+jwt` — else `undecryptable`.
 * 3. `kid` names one of the receiver's own encryption keys (the current one,
 *    or a retired one within its window) — else `undecryptable`.
 * 4. Decryption (the GCM tag authenticates ciphertext and header) — a
 *    failure is `undecryptable`.
 * 5. Then the checks of verifyEvent on the plaintext: signature, issuer,
 *    audience (this receiver), expiry, schema, replay.
 *
 * Each refusal is counted by reason (EventMetrics) and changes nothing.
 */
// Sealed and opened on node:crypto's synchronous primitives, not jose's WebCrypto jobs (docs/adr/0051).
import { JweError, openCompact, protectedHeaderOf, sealCompact } from "./jwe";
import type { ServiceKeys } from "./keys";
import type { EventMetrics } from "./metrics";
import { signEvent } from "./sign";
import { ENC_ALG, ENC_ENC, EVENT_TYP } from "./suite";
import { type TrustRegistry, TrustUnavailable } from "./trust";
import type { EventData, EventType } from "./types";
import { EventRejected, type VerifiedEvent, type VerifyEventOptions, verifyEvent } from "./verify";

const MAX_TOKEN_LENGTH = 1024 * 1024;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Encrypts a signed event (compact JWS) to service `to`, with the key `to` publishes in the trust registry. */
export async function sealToken(token: string, to: string, trust: TrustRegistry): Promise<string> {
  const receiver = await trust.encryptionKey(to);
  if (!receiver) throw new TrustUnavailable(`No encryption key of ${to} in the trust registry`);
  return sealCompact(encoder.encode(token), { kid: receiver.kid, cty: EVENT_TYP }, receiver.key);
}

/**
 * signEvent, then sealToken to the one receiver (`aud`). Throws
 * TrustUnavailable when the receiver's encryption key is not known.
 */
export async function sealEvent<T extends EventType>(
  keys: ServiceKeys,
  trust: TrustRegistry,
  ev: { type: T; aud: string; data: EventData<T>; ttlSec?: number; jti?: string },
): Promise<{ token: string; jti: string }> {
  const signed = await signEvent(keys, ev);
  return { token: await sealToken(signed.token, ev.aud, trust), jti: signed.jti };
}

/** The token's protected header, checked as far as it can be without a key; `kid` names the receiver's key. */
function check(token: unknown): { header: Record<string, unknown>; kid: string } {
  if (typeof token !== "string" || token.length > MAX_TOKEN_LENGTH) throw new EventRejected("malformed", "not a compact JWE");
  const parts = token.split(".");
  if (parts.length === 3) throw new EventRejected("unencrypted", "a signed event that is not encrypted to this receiver");
  if (parts.length !== 5) throw new EventRejected("malformed", "not a compact JWE");
  let header: Record<string, unknown>;
  try {
    header = protectedHeaderOf(token);
  } catch {
    throw new EventRejected("malformed", "the protected header does not decode");
  }
  if (header.alg !== ENC_ALG || header.enc !== ENC_ENC) throw new EventRejected("undecryptable", "key agreement or content encryption not allowed");
  if (header.cty !== EVENT_TYP) throw new EventRejected("undecryptable", "the encrypted content is not a signed event");
  if (typeof header.kid !== "string" || header.kid.length === 0) throw new EventRejected("undecryptable", "no kid in the header");
  return { header, kid: header.kid };
}

/**
 * Decrypts a sealed event with this service's own keys and returns the signed
 * event inside (still to be verified). A refusal throws EventRejected and is counted.
 */
export async function openSealed(token: string, opts: { keys: ServiceKeys; metrics?: EventMetrics }): Promise<string> {
  try {
    const { header, kid } = check(token);
    const key = await opts.keys.decryptionKey(kid);
    if (!key) throw new EventRejected("undecryptable", "not encrypted to a key of this receiver");
    let plaintext: Uint8Array;
    try {
      // The header decoded once: check() read it, openCompact checks the rest of it.
      plaintext = openCompact(token, key, header);
    } catch (e) {
      if (!(e instanceof JweError)) throw e;
      throw new EventRejected("undecryptable", "decryption failed");
    }
    return decoder.decode(plaintext);
  } catch (e) {
    if (e instanceof EventRejected) opts.metrics?.count(e.reason);
    throw e;
  }
}

/** openSealed, then verifyEvent: for receivers that hold no transaction around the verification (request/reply). */
export async function openEvent<T extends EventType = EventType>(
  token: string,
  opts: VerifyEventOptions<T> & { keys: ServiceKeys },
): Promise<VerifiedEvent<T>> {
  return verifyEvent(await openSealed(token, opts), opts);
}
