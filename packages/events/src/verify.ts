/**
 * Verification of a signed event, in this order (docs/federation.md):
 *
 * 1. Structure: a compact JWS of three parts whose protected header decodes
 *    — else `malformed`.
 * 2. `alg` must be exactly `EdDSA`. Any other value (`none`, `HS256`, `RS256`,
 *    `ES256`, ...) is counted as `forged`: no service of ours ever emits it,
 *    so it is an attempt to get around the signature (algorithm confusion),
 *    and operators should see it among the forgeries, not among bugs.
 *    Then: no empty part and a `kid` in the header — else `malformed`.
 * 3. `kid` resolved in the trust registry — unknown: `unknown-issuer`.
 * 4. Signature (jose `jwtVerify`, algorithms pinned to EdDSA, the resolved
 *    key only) — bad: `forged`. Header `typ` must be `vi-event+jwt`.
 * 5. Payload `iss` must equal the key's `iss` — else `forged`.
 * 6. `aud` must include the receiver — else `wrong-audience`.
 * 7. `exp` required, not passed (30 s tolerance) — else `expired`.
 * 8. `jti`, `iat` present; `type` known and expected; `data` valid — else `malformed`.
 * 9. Replay: `jti` seen before — `replayed`. Checked last, so a rejected
 *    token never burns a jti.
 *
 * A rejection throws EventRejected and is counted. Errors of the trust
 * registry (TrustUnavailable) or the replay guard are not rejections: they
 * are rethrown unchanged and not counted, so a consumer can retry later.
 */
// jose encodes and decodes base64 with the engine's own methods where they exist (docs/adr/0048).
import "./base64";
import { decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from "jose";
import type { z } from "zod";
import { EVENT_ALG, EVENT_TYP } from "./suite";
import type { EventMetrics, RejectReason } from "./metrics";
import type { ReplayGuard } from "./replay";
import type { TrustRegistry } from "./trust";
import { EVENT_SCHEMAS, isEventType, type EventData, type EventType } from "./types";

export const CLOCK_TOLERANCE_SEC = 30;
/** Larger tokens are refused before any parsing (NATS' default max payload is 1 MiB). */
const MAX_TOKEN_LENGTH = 1024 * 1024;

export class EventRejected extends Error {
  constructor(
    readonly reason: RejectReason,
    message: string,
  ) {
    super(message);
    this.name = "EventRejected";
  }
}

/** A verified event; for a union of types, a union narrowed by `type`. */
export type VerifiedEvent<T extends EventType = EventType> = {
  [K in T]: { type: K; iss: string; aud: string[]; jti: string; iat: number; exp: number; data: EventData<K> };
}[T];

export interface VerifyEventOptions<T extends EventType = EventType> {
  trust: TrustRegistry;
  /** This receiver's id; the token's aud must include it. */
  audience: string;
  replay: ReplayGuard;
  metrics?: EventMetrics;
  /** Event types this receiver accepts; any other type is malformed. Default: all. */
  expect?: readonly T[];
  now?: () => Date;
}

const reject = (reason: RejectReason, message: string) => new EventRejected(reason, message);

function claimError(e: unknown): EventRejected {
  if (e instanceof errors.JWSSignatureVerificationFailed) return reject("forged", "signature verification failed");
  if (e instanceof errors.JWTExpired) return reject("expired", "the event has expired");
  if (e instanceof errors.JWTClaimValidationFailed) {
    if (e.claim === "iss") return reject("forged", "iss does not match the signing key's service");
    if (e.claim === "aud") return reject("wrong-audience", "the event is not addressed to this receiver");
    if (e.claim === "exp" && e.reason !== "invalid") return reject("expired", "the event has no expiry");
    return reject("malformed", `invalid claim or header: ${e.claim}`);
  }
  if (e instanceof errors.JWSInvalid || e instanceof errors.JWTInvalid) return reject("malformed", "not a valid JWS/JWT");
  // Any other failure while checking the signature (key/algorithm mismatch, unsupported parameter): not authentic.
  return reject("forged", "the signature could not be verified");
}

async function check<T extends EventType>(token: unknown, opts: VerifyEventOptions<T>): Promise<VerifiedEvent<T>> {
  if (typeof token !== "string" || token.length > MAX_TOKEN_LENGTH) throw reject("malformed", "not a compact JWS");
  const parts = token.split(".");
  if (parts.length !== 3) throw reject("malformed", "not a compact JWS");
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    throw reject("malformed", "the protected header does not decode");
  }
  // Before the emptiness check, so an `alg: none` token (empty signature) counts as forged.
  if (header.alg !== EVENT_ALG) throw reject("forged", `algorithm ${JSON.stringify(header.alg ?? null)} is not allowed`);
  if (parts.some((p) => p.length === 0)) throw reject("malformed", "not a compact JWS");
  if (typeof header.kid !== "string" || header.kid.length === 0) throw reject("malformed", "no kid in the header");

  const trusted = await opts.trust.resolve(header.kid);
  if (!trusted) throw reject("unknown-issuer", "the signing key is not in the trust registry");

  const currentDate = opts.now?.() ?? new Date();
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, trusted.key, {
      algorithms: [EVENT_ALG],
      typ: EVENT_TYP,
      issuer: trusted.iss,
      audience: opts.audience,
      requiredClaims: ["exp", "iat", "jti"],
      clockTolerance: CLOCK_TOLERANCE_SEC,
      currentDate,
    }));
  } catch (e) {
    throw claimError(e);
  }

  const { iss, aud, jti, iat, exp, type, data } = payload;
  if (typeof jti !== "string" || jti.length === 0 || jti.length > 200) throw reject("malformed", "invalid jti");
  if (typeof iat !== "number" || typeof exp !== "number") throw reject("malformed", "invalid iat/exp");
  if (!isEventType(type)) throw reject("malformed", "unknown event type");
  if (opts.expect && !(opts.expect as readonly EventType[]).includes(type)) throw reject("malformed", `unexpected event type ${type}`);
  const schema: z.ZodType = EVENT_SCHEMAS[type];
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw reject("malformed", `invalid ${type} data: ${parsed.error.issues.map((i) => i.path.join(".") || "(root)").join(", ")}`);

  // Keep the jti until the token can no longer be accepted by anyone.
  const expiresAt = new Date((exp + CLOCK_TOLERANCE_SEC) * 1000);
  if (!(await opts.replay.firstSeen(jti, expiresAt))) throw reject("replayed", "this event has been received before");

  return {
    type,
    iss: iss!,
    aud: typeof aud === "string" ? [aud] : [...(aud ?? [])],
    jti,
    iat,
    exp,
    data: parsed.data,
  } as VerifiedEvent<T>;
}

export async function verifyEvent<T extends EventType = EventType>(token: string, opts: VerifyEventOptions<T>): Promise<VerifiedEvent<T>> {
  try {
    const ev = await check(token, opts);
    if (opts.metrics) opts.metrics.accepted += 1;
    return ev;
  } catch (e) {
    if (e instanceof EventRejected) opts.metrics?.count(e.reason);
    throw e;
  }
}
