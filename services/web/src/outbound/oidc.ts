/**
 * Sign-in at the region's OpenID Connect provider with `openid-client`: the
 * authorisation code flow with PKCE (S256), client authentication by
 * private_key_jwt (EdDSA), and an access token for the node API by resource
 * indicator. Discovery happens on first use (and again after a failure), so
 * the web starts even while the provider is still starting.
 */
import * as oidc from "openid-client";
import { importJWK, type JWK } from "jose";

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientKey: JWK;
  redirectUri: string;
  resource: string;
}

/** What the web keeps of a sign-in: the tokens and the subject, nothing else. */
export interface SignedIn {
  accessToken: string;
  /** Seconds since the epoch. */
  expiresAt: number;
  subject: string;
}

/** What the browser carries between the redirect to the provider and the way back (in a signed cookie). */
export interface PendingSignIn {
  state: string;
  verifier: string;
  nonce: string;
  /** The API the access token is asked for (a resource indicator); default the node API's. */
  resource?: string;
}

export interface OidcClient {
  /** `resource`: the API the access token is for (default the node API's). */
  start(resource?: string): Promise<{ url: string; pending: PendingSignIn }>;
  finish(callbackUrl: URL, pending: PendingSignIn, resource?: string): Promise<SignedIn>;
}

export function createOidcClient(s: OidcSettings): OidcClient {
  let config: Promise<oidc.Configuration> | undefined;
  const configuration = () => {
    config ??= (async () => {
      const key = await importJWK(s.clientKey, "EdDSA");
      const insecure = new URL(s.issuer).protocol === "http:";
      return oidc.discovery(
        new URL(s.issuer),
        s.clientId,
        { id_token_signed_response_alg: "EdDSA", token_endpoint_auth_signing_alg: "EdDSA" },
        oidc.PrivateKeyJwt({ key, kid: s.clientKey.kid } as Parameters<typeof oidc.PrivateKeyJwt>[0], {
          // openid-client names an Ed25519 signature "Ed25519" (RFC 9864); the provider (and NL GOV) expect "EdDSA".
          [oidc.modifyAssertion]: (header) => {
            if (header.alg === "Ed25519") header.alg = "EdDSA";
          },
        }),
        // Plain http only for an issuer on http (a developer's machine, the tests).
        insecure ? { execute: [oidc.allowInsecureRequests] } : undefined,
      );
    })().catch((e) => {
      config = undefined;
      throw e;
    });
    return config;
  };
  return {
    async start(resource = s.resource) {
      const c = await configuration();
      const pending = { state: oidc.randomState(), verifier: oidc.randomPKCECodeVerifier(), nonce: oidc.randomNonce(), resource };
      const url = oidc.buildAuthorizationUrl(c, {
        redirect_uri: s.redirectUri,
        scope: "openid",
        response_type: "code",
        code_challenge: await oidc.calculatePKCECodeChallenge(pending.verifier),
        code_challenge_method: "S256",
        state: pending.state,
        nonce: pending.nonce,
        resource,
      });
      return { url: url.href, pending };
    },
    async finish(callbackUrl, pending, resource = s.resource) {
      const c = await configuration();
      const tokens = await oidc.authorizationCodeGrant(
        c,
        callbackUrl,
        { pkceCodeVerifier: pending.verifier, expectedState: pending.state, expectedNonce: pending.nonce, idTokenExpected: true },
        { resource: pending.resource ?? resource },
      );
      const subject = tokens.claims()?.sub;
      if (!subject) throw new Error("no subject in the ID token");
      return { accessToken: tokens.access_token, expiresAt: Math.floor(Date.now() / 1000) + (tokens.expires_in ?? 300), subject };
    },
  };
}
