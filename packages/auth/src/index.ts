/**
 * Bearer tokens for professionals.
 *
 * Verification pins the algorithm, requires exp/iat/sub, refuses a lifetime
 * (exp - iat) over one hour and checks issuer and audience; identity is `sub`; keys come only from the configured JWKS (never from a token's own
 * `jku`/`kid` pointing elsewhere). The dev issuer generates its key pair on
 * first start and keeps it outside the repository (.data/dev-issuer).
 */
export { createTokenVerifier, MAX_TOKEN_LIFETIME_SEC, TokenError, type TokenVerifier, type VerifiedIdentity } from "./verify";
export { loadOrCreateDevIssuer, type DevIssuer, type DevIssuerOptions, DEV_AUDIENCE, DEV_ALGORITHM, DEV_TOKEN_LIFETIME_SEC } from "./dev-issuer";
export { startDevIssuerServer } from "./dev-issuer-server";
export { DEFAULT_RESOURCE, HUB_RESOURCE, type OidcClient, type OidcProviderOptions, startOidcProvider } from "./oidc-provider";
export { type CodeFlowOptions, clientCredentialsToken, codeFlowToken } from "./oidc-client";
