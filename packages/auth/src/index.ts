/**
 * Bearer tokens for professionals.
 *
 * Verification pins the algorithm, requires exp/iat/sub and checks issuer and
 * audience; keys come only from the configured JWKS (never from a token's own
 * `jku`/`kid` pointing elsewhere). The dev issuer generates its key pair on
 * first start and keeps it outside the repository (.data/dev-issuer).
 */
export { createTokenVerifier, TokenError, type TokenVerifier, type VerifiedIdentity } from "./verify";
export { loadOrCreateDevIssuer, type DevIssuer, DEV_AUDIENCE, DEV_ALGORITHM } from "./dev-issuer";
export { startDevIssuerServer } from "./dev-issuer-server";
