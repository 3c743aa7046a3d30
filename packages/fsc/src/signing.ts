/**
 * Signed requests and signed answers (the essentials of the Digikoppeling REST API signing profile, docs/adr/0036):
 * the sender signs a compact JWS (ES256, pinned) over the method, the path, a digest of the body, the time, a
 * nonce (`jti`) and the audience (the receiver's OIN), with the key of its PKIoverheid-style certificate, which it
 * sends in `x5c`. An answer is signed the same way, bound to the request's nonce (`antw`). The receiver checks the
 * certificate against the CA, the signature, every claim and the nonce, and refuses with a reason it counts.
 */
import { createHash, randomUUID, X509Certificate, type KeyObject, createPrivateKey } from "node:crypto";
import { CompactSign, compactVerify, decodeProtectedHeader } from "jose";
import { oinOf } from "./ca";

/** The header that carries the signature, on requests and on answers. */
export const SIGNATURE_HEADER = "Handtekening";
export const SIGNATURE_ALG = "ES256";
export const SIGNATURE_TYP = "vi-fsc+jwt";
/** How far the sender's clock may be off, and how long a signature holds (seconds). */
export const MAX_SKEW_SEC = 30;
export const LIFETIME_SEC = 60;

/** Why a signed message is refused: counted per reason (vi_fsc_refused_total). */
export const REFUSAL_REASONS = ["ontbreekt", "vervalst", "herhaald", "verlopen", "verkeerd-certificaat", "verkeerde-audience", "niet-toegestaan"] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

export class FscRefused extends Error {
  override readonly name = "FscRefused";
  constructor(
    readonly reason: RefusalReason,
    message: string,
  ) {
    super(message);
  }
}

/** The signer's identity: its certificate (PEM) and private key (PEM). */
export interface FscIdentity {
  cert: string;
  key: string;
}

export interface SignedClaims {
  iss: string;
  aud: string;
  iat: number;
  exp: number;
  jti: string;
  htm: string;
  htu: string;
  dig: string;
  /** On an answer: the request's jti. */
  antw?: string;
  /** On an answer: its status. */
  sts?: number;
}

export const digestOf = (body: string | Uint8Array): string => createHash("sha256").update(body).digest("base64url");

const keyCache = new WeakMap<FscIdentity, { key: KeyObject; x5c: string; oin: string }>();
function material(id: FscIdentity) {
  let m = keyCache.get(id);
  if (!m) {
    const cert = new X509Certificate(id.cert);
    const oin = oinOf(cert);
    if (!oin) throw new Error("the certificate has no OIN in its subject serialNumber");
    m = { key: createPrivateKey(id.key), x5c: cert.raw.toString("base64"), oin };
    keyCache.set(id, m);
  }
  return m;
}

/** The OIN of an identity's certificate. */
export const identityOin = (id: FscIdentity): string => material(id).oin;

export async function signMessage(
  id: FscIdentity,
  m: { aud: string; method: string; path: string; body: string; antw?: string; sts?: number; now?: Date },
): Promise<{ header: string; jti: string }> {
  const { key, x5c, oin } = material(id);
  const iat = Math.floor((m.now ?? new Date()).getTime() / 1000);
  const jti = randomUUID();
  const claims: SignedClaims = {
    iss: oin,
    aud: m.aud,
    iat,
    exp: iat + LIFETIME_SEC,
    jti,
    htm: m.method.toUpperCase(),
    htu: m.path,
    dig: digestOf(m.body),
    ...(m.antw ? { antw: m.antw, sts: m.sts } : {}),
  };
  const header = await new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
    .setProtectedHeader({ alg: SIGNATURE_ALG, typ: SIGNATURE_TYP, x5c: [x5c] })
    .sign(key);
  return { header, jti };
}

export interface NonceGuard {
  /** True the first time a nonce is seen. */
  firstSeen(jti: string, expiresAt: Date): Promise<boolean>;
}

/** In-process nonce memory (one receiver process); expired nonces are swept. */
export function memoryNonceGuard(): NonceGuard {
  const seen = new Map<string, number>();
  let sweep = 0;
  return {
    async firstSeen(jti, expiresAt) {
      const now = Date.now();
      if (now - sweep > 10_000) {
        sweep = now;
        for (const [k, until] of seen) if (until < now) seen.delete(k);
      }
      if (seen.has(jti)) return false;
      seen.set(jti, expiresAt.getTime() + MAX_SKEW_SEC * 1000);
      return true;
    },
  };
}

export interface VerifyOptions {
  /** The CA every certificate must chain to (PEM). */
  ca: string;
  /** The receiver's own OIN: the `aud` expected. */
  audience: string;
  method: string;
  path: string;
  body: string;
  nonces: NonceGuard;
  /** The certificate of the TLS peer (a request at a server): the signer's certificate must be this one. */
  peer?: X509Certificate;
  /** The OIN the signer must have (an answer: the party asked). */
  issuer?: string;
  /** An answer: the jti of the request it answers. */
  antw?: string;
  now?: Date;
}

export interface VerifiedMessage {
  oin: string;
  cert: X509Certificate;
  claims: SignedClaims;
}

const caCache = new Map<string, X509Certificate>();
function caOf(pem: string): X509Certificate {
  let c = caCache.get(pem);
  if (!c) caCache.set(pem, (c = new X509Certificate(pem)));
  return c;
}

/** A certificate issued by the CA and valid now; throws FscRefused("verkeerd-certificaat") otherwise. */
export function checkCertificate(cert: X509Certificate, caPem: string, now: Date = new Date()): string {
  const ca = caOf(caPem);
  if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) throw new FscRefused("verkeerd-certificaat", "certificate not issued by the trusted CA");
  if (new Date(cert.validFrom) > now || new Date(cert.validTo) < now) throw new FscRefused("verkeerd-certificaat", "certificate not valid now");
  const oin = oinOf(cert);
  if (!oin) throw new FscRefused("verkeerd-certificaat", "certificate without an OIN");
  return oin;
}

export async function verifyMessage(header: string | undefined | null, o: VerifyOptions): Promise<VerifiedMessage> {
  const now = o.now ?? new Date();
  if (!header) throw new FscRefused("ontbreekt", "no signature");
  let x5c: unknown;
  let alg: unknown;
  try {
    const h = decodeProtectedHeader(header);
    x5c = h.x5c;
    alg = h.alg;
  } catch {
    throw new FscRefused("vervalst", "signature is not a JWS");
  }
  if (alg !== SIGNATURE_ALG) throw new FscRefused("vervalst", "algorithm not allowed");
  if (!Array.isArray(x5c) || typeof x5c[0] !== "string") throw new FscRefused("verkeerd-certificaat", "no certificate in the signature");
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(Buffer.from(x5c[0], "base64"));
  } catch {
    throw new FscRefused("verkeerd-certificaat", "certificate does not parse");
  }
  const oin = checkCertificate(cert, o.ca, now);
  if (o.peer && o.peer.fingerprint256 !== cert.fingerprint256) throw new FscRefused("verkeerd-certificaat", "signed with another certificate than the TLS one");
  let claims: SignedClaims;
  try {
    const { payload } = await compactVerify(header, cert.publicKey, { algorithms: [SIGNATURE_ALG] });
    claims = JSON.parse(new TextDecoder().decode(payload)) as SignedClaims;
  } catch {
    throw new FscRefused("vervalst", "signature does not verify");
  }
  if (claims.iss !== oin) throw new FscRefused("vervalst", "iss is not the certificate's OIN");
  if (o.issuer && claims.iss !== o.issuer) throw new FscRefused("verkeerd-certificaat", "signed by another organisation than expected");
  if (claims.aud !== o.audience) throw new FscRefused("verkeerde-audience", "signed for another audience");
  if (claims.htm !== o.method.toUpperCase() || claims.htu !== o.path || claims.dig !== digestOf(o.body))
    throw new FscRefused("vervalst", "method, path or body differ from what was signed");
  if (o.antw !== undefined && claims.antw !== o.antw) throw new FscRefused("vervalst", "an answer to another request");
  const t = Math.floor(now.getTime() / 1000);
  if (
    typeof claims.iat !== "number" ||
    typeof claims.exp !== "number" ||
    claims.iat > t + MAX_SKEW_SEC ||
    claims.exp < t - MAX_SKEW_SEC ||
    claims.exp - claims.iat > LIFETIME_SEC
  )
    throw new FscRefused("verlopen", "signature expired or not yet valid");
  if (typeof claims.jti !== "string" || !(await o.nonces.firstSeen(claims.jti, new Date(claims.exp * 1000))))
    throw new FscRefused("herhaald", "nonce seen before");
  return { oin, cert, claims };
}
