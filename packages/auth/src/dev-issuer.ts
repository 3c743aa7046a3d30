/**
 * The development identity provider: an Ed25519 key pair generated on first
 * start and kept in `<dataDir>/dev-issuer.json` (mode 0600, git-ignored).
 * It signs tokens for the demo accounts; the nodes fetch its JWKS.
 * Never used when a real issuer is configured.
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { createLocalJWKSet, exportJWK, generateKeyPair, importJWK, SignJWT, type JWK, type JWTVerifyGetKey } from "jose";
import { randomUUID } from "node:crypto";

export const DEV_AUDIENCE = "verwijsindex";
export const DEV_ALGORITHM = "EdDSA";

export interface DevIssuer {
  issuer: string;
  audience: string;
  jwks: { keys: JWK[] };
  keys: JWTVerifyGetKey;
  /** The private signing key (development only): the OpenID Connect provider of `npm start` signs with it too. */
  signingJwk: JWK;
  /** A token for the account with this e-mail address; its `sub` is `subject`, else `subjectOf(email)`, else the address. */
  sign(email: string, opts?: { expiresInSec?: number; audience?: string; issuer?: string; subject?: string; extra?: Record<string, unknown> }): Promise<string>;
}

interface Stored {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

export interface DevIssuerOptions {
  dataDir?: string;
  issuer: string;
  audience?: string;
  /** The stable subject of an account (the register maps it to the professional); e.g. the demo's demoSubject. */
  subjectOf?: (email: string) => string | undefined;
}

/** The dev issuer's tokens live one hour, the most a node accepts. */
export const DEV_TOKEN_LIFETIME_SEC = 3600;

export async function loadOrCreateDevIssuer(opts: DevIssuerOptions): Promise<DevIssuer> {
  let stored: Stored | undefined;
  const file = opts.dataDir ? join(opts.dataDir, "dev-issuer.json") : undefined;
  if (file && existsSync(file)) stored = JSON.parse(readFileSync(file, "utf8")) as Stored;
  if (!stored) {
    const { privateKey, publicKey } = await generateKeyPair(DEV_ALGORITHM, { crv: "Ed25519", extractable: true });
    const kid = randomUUID();
    stored = {
      kid,
      privateJwk: { ...(await exportJWK(privateKey)), kid, alg: DEV_ALGORITHM },
      publicJwk: { ...(await exportJWK(publicKey)), kid, alg: DEV_ALGORITHM, use: "sig" },
    };
    if (file) {
      mkdirSync(opts.dataDir!, { recursive: true });
      writeFileSync(file, JSON.stringify(stored), { mode: 0o600 });
    }
  }
  const privateKey = await importJWK(stored.privateJwk, DEV_ALGORITHM);
  const jwks = { keys: [stored.publicJwk] };
  const audience = opts.audience ?? DEV_AUDIENCE;
  const kid = stored.kid;
  return {
    issuer: opts.issuer,
    audience,
    jwks,
    keys: createLocalJWKSet(jwks),
    signingJwk: stored.privateJwk,
    async sign(email, o = {}) {
      // One clock reading for both: jose reads the clock again for a relative expiry, so a second that ticked between
      // the two calls (a busy machine) made exp - iat one second longer than the lifetime, and nodes refuse that.
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ email, ...o.extra })
        .setProtectedHeader({ alg: DEV_ALGORITHM, kid, typ: "JWT" })
        .setSubject(o.subject ?? opts.subjectOf?.(email) ?? email)
        .setIssuer(o.issuer ?? opts.issuer)
        .setAudience(o.audience ?? audience)
        .setIssuedAt(now)
        .setJti(randomUUID())
        .setExpirationTime(now + (o.expiresInSec ?? DEV_TOKEN_LIFETIME_SEC))
        .sign(privateKey);
    },
  };
}
