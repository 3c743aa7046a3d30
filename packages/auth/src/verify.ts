import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from "jose";

export interface VerifiedIdentity {
  /** The professional's e-mail address (claim `email`, else `sub`). */
  email: string;
  subject: string;
  issuer: string;
}

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
}

export function createTokenVerifier(opts: VerifierOptions): TokenVerifier {
  const keys = opts.keys ?? (opts.jwksUrl ? createRemoteJWKSet(new URL(opts.jwksUrl)) : undefined);
  if (!keys) throw new Error("createTokenVerifier needs jwksUrl or keys");
  const algorithms = opts.algorithms ?? ["EdDSA"];
  if (algorithms.some((a) => a.toLowerCase() === "none")) throw new Error('Algorithm "none" is never allowed');
  return {
    async verify(authorization) {
      if (!authorization) throw new TokenError("TOKEN_ONTBREEKT", "Geen token meegestuurd.");
      const match = /^Bearer ([A-Za-z0-9_\-.]+)$/.exec(authorization.trim());
      if (!match) throw new TokenError("TOKEN_ONGELDIG", "De Authorization-header moet de vorm 'Bearer <token>' hebben.");
      try {
        const { payload } = await jwtVerify(match[1]!, keys, {
          issuer: opts.issuer,
          audience: opts.audience,
          algorithms,
          requiredClaims: ["exp", "iat", "sub"],
          clockTolerance: opts.clockToleranceSec ?? 30,
          currentDate: opts.now?.(),
        });
        const email = typeof payload.email === "string" ? payload.email : payload.sub!;
        return { email: email.toLowerCase(), subject: payload.sub!, issuer: payload.iss! };
      } catch (e) {
        if (e instanceof errors.JWTExpired) throw new TokenError("TOKEN_VERLOPEN", "Het token is verlopen. Meld u opnieuw aan.");
        throw new TokenError("TOKEN_ONGELDIG", "Het token is ongeldig.");
      }
    },
  };
}
