/**
 * The trust of the national chain (docs/national-chain.md, docs/adr/0036): the essentials of FSC and the
 * Digikoppeling REST API profile. A dev CA issuing certificates with the organisation's OIN; mutual TLS; every
 * request and answer signed (JWS over method, path, body digest, time, nonce and audience) and checked both ways.
 */
export { loadOrCreateDevCa, oinOf, OIN_PATTERN, type DevCa, type IssuedCertificate } from "./ca";
export {
  checkCertificate,
  digestOf,
  FscRefused,
  identityOin,
  LIFETIME_SEC,
  MAX_SKEW_SEC,
  memoryNonceGuard,
  REFUSAL_REASONS,
  SIGNATURE_HEADER,
  signMessage,
  verifyMessage,
  type FscIdentity,
  type NonceGuard,
  type RefusalReason,
  type SignedClaims,
  type VerifiedMessage,
} from "./signing";
export { FscMetrics } from "./metrics";
export {
  FSC_PROBLEMS,
  fscGuard,
  fscProblem,
  SIGNED_REQUEST_PROBLEMS,
  startFscServer,
  type FscProblemCode,
  type FscVariables,
  type GuardOptions,
  type TlsMaterial,
} from "./server";
export { fscClient, FscUnreachable, type FscClient } from "./client";
export { checkTlsSettings, loadTls, tlsSettings } from "./config";
