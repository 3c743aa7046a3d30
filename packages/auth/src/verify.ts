import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from "jose";

export interface VerifiedIdentity {
  /** The identity: the subject (`sub`) the issuer gives the professional; the register maps it to a professional. */
  subject: string;
  /** The `email` claim when present (informative only; never used to identify). */
  email?: string;
  issuer: string;
}

/** Tokens may live at most this long (`exp - iat`), unless configured shorter. */
export const MAX_TOKEN_LIFETIME_SEC = 3600;

export type TokenErrorCode = "TOKEN_ONTBREEKT" | "TOKEN_VERLOPEN" | "TOKEN_ONGELDIG";

export class TokenError extends Error {
  constructor(
    readonly code: TokenErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface TokenVerifier {
  verify(authorization: string | undefined | null): Promise<VerifiedIdentity>;
}

export interface VerifierOptions {
  issuer: string;
  audience: string;
  /** Either a JWKS URL or a key getter (tests, in-process dev issuer). */
  jwksUrl?: string;
  keys?: JWTVerifyGetKey;
  /** Allowed algorithms; pinned, never taken from the token. */
  algorithms?: string[];
  clockToleranceSec?: number;
  /** Clock for expiry checks (tests). */
  now?: () => Date;
  /** Longest accepted lifetime (`exp - iat`) in seconds; default and maximum one hour. */
  maxLifetimeSec?: number;
  /** Tokens kept verified (until their expiry) to skip the signature check of the next request; 0 keeps none. */
  cacheSize?: number;
}

/** Verified tokens kept by default: a few per professional working at once at one node. */
export const VERIFIED_TOKEN_CACHE = 5000;

export function createTokenVerifier(opts: VerifierOptions): TokenVerifier {
  const found = opts.keys ?? (opts.jwksUrl ? createRemoteJWKSet(new URL(opts.jwksUrl)) : undefined);
  if (!found) throw new Error("createTokenVerifier needs jwksUrl or keys");
  const keys: JWTVerifyGetKey = found;
  const algorithms = opts.algorithms ?? ["EdDSA"];
  if (algorithms.some((a) => a.toLowerCase() === "none")) throw new Error('Algorithm "none" is never allowed');
  const maxLifetime = Math.min(opts.maxLifetimeSec ?? MAX_TOKEN_LIFETIME_SEC, MAX_TOKEN_LIFETIME_SEC);
  const tolerance = opts.clockToleranceSec ?? 30;
  // Verified tokens, by their exact text (signature included), oldest first; each until its expiry. A token stays accepted until its expiry even if the issuer withdraws its key meanwhile (at most the token lifetime).
  const verified = new Map<string, { identity: VerifiedIdentity; exp: number }>();
  const cacheSize = opts.cacheSize ?? VERIFIED_TOKEN_CACHE;
  return {
    async verify(authorization) {
      if (!authorization) throw new TokenError("TOKEN_ONTBREEKT", "Geen token meegestuurd.");
      const match = /^Bearer ([A-Za-z0-9_\-.]+)$/.exec(authorization.trim());
      if (!match) throw new TokenError("TOKEN_ONGELDIG", "De Authorization-header moet de vorm 'Bearer <token>' hebben.");
      const known = verified.get(match[1]!);
      if (known) {
        // The same test as jose's: expired once `exp` is at or before now less the tolerance.
        const nowSec = Math.floor((opts.now?.() ?? new Date()).getTime() / 1000);
        if (known.exp > nowSec - tolerance) return known.identity;
        verified.delete(match[1]!);
        throw new TokenError("TOKEN_VERLOPEN", "Het token is verlopen. Meld u opnieuw aan.");
      }
      const identity = await verifyToken(match[1]!);
      if (cacheSize > 0) {
        if (verified.size >= cacheSize) verified.delete(verified.keys().next().value!);
        verified.set(match[1]!, identity);
      }
      return identity.identity;
    },
  };

  async function verifyToken(token: string): Promise<{ identity: VerifiedIdentity; exp: number }> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: opts.issuer,
        audience: opts.audience,
        algorithms,
        requiredClaims: ["exp", "iat", "sub"],
        clockTolerance: tolerance,
        currentDate: opts.now?.(),
      }));
    } catch (e) {
      if (e instanceof errors.JWTExpired) throw new TokenError("TOKEN_VERLOPEN", "Het token is verlopen. Meld u opnieuw aan.");
      throw new TokenError("TOKEN_ONGELDIG", "Het token is ongeldig.");
    }
    // A long-lived token is a stolen token for longer: refused, however valid its signature.
    if (typeof payload.iat !== "number" || typeof payload.exp !== "number" || payload.exp - payload.iat > maxLifetime) {
      throw new TokenError("TOKEN_ONGELDIG", `Het token is te lang geldig (langer dan ${maxLifetime / 60} minuten). Vraag een nieuw token aan.`);
    }
    if (typeof payload.sub !== "string" || payload.sub.length === 0 || payload.sub.length > 255) {
      throw new TokenError("TOKEN_ONGELDIG", "Het token is ongeldig.");
    }
    const identity = { subject: payload.sub, issuer: payload.iss!, ...(typeof payload.email === "string" ? { email: payload.email.toLowerCase() } : {}) };
    return { identity, exp: payload.exp };
  }
}
