/**
 * A real OpenID Connect provider for development and the demo (oidc-provider 8), following the NL GOV
 * OIDC profile where it applies: the authorisation code flow with PKCE (S256 only, required), client
 * authentication with private_key_jwt only (EdDSA), JWT access tokens for one API each (resource
 * indicators, RFC 8707: `urn:verwijsindex` gives audience `verwijsindex`), one hour at most, and a stable
 * `sub` per account (the register's). It signs with the dev issuer's Ed25519 key, so the nodes verify its
 * tokens with the same JWKS (`/jwks.json`). Sign-in is by demo e-mail address, without a password: a
 * development tool, never for production (a gemeente uses its own provider).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { JWK } from "jose";
import Provider from "oidc-provider";

export interface OidcClient {
  client_id: string;
  /** The client's public keys (private_key_jwt). */
  jwks: { keys: JWK[] };
  redirect_uris: string[];
  /**
   * An organisation's case system (OAuth 2 client credentials with private_key_jwt): it gets access tokens whose
   * `sub` is its client id, and acts for a named professional of its organisation (docs/adr/0016).
   */
  caseSystem?: boolean;
}

export interface OidcProviderOptions {
  /** Default `http://localhost:<port>` (the port it got). */
  issuer?: string;
  port: number;
  host?: string;
  /** The provider's signing key (Ed25519 private JWK with kid), e.g. the dev issuer's. */
  signingKey: JWK;
  /** The subject of a demo account, undefined when there is no such account. */
  subjectOf: (email: string) => string | undefined;
  clients: OidcClient[];
  /** Resource indicator → audience of its access tokens; default `urn:verwijsindex` → `verwijsindex`. */
  resources?: Record<string, string>;
  accessTokenTtlSec?: number;
}

export const DEFAULT_RESOURCE = "urn:verwijsindex";

export async function startOidcProvider(opts: OidcProviderOptions) {
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => void res.writeHead(503).end();
  const server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(opts.port, opts.host ?? "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const issuer = opts.issuer ?? `http://localhost:${port}`;
  const resources = opts.resources ?? { [DEFAULT_RESOURCE]: "verwijsindex" };
  const ttl = Math.min(opts.accessTokenTtlSec ?? 3600, 3600);
  const emails = new Map<string, string>();
  const provider = new Provider(issuer, {
    clients: opts.clients.map(({ caseSystem, ...c }) => ({
      ...c,
      ...(caseSystem
        ? { grant_types: ["client_credentials"], response_types: [], redirect_uris: [] }
        : { grant_types: ["authorization_code"], response_types: ["code"] }),
      token_endpoint_auth_method: "private_key_jwt",
      token_endpoint_auth_signing_alg: "EdDSA",
      id_token_signed_response_alg: "EdDSA",
    })),
    jwks: { keys: [{ ...opts.signingKey, use: "sig", alg: "EdDSA" }] },
    enabledJWA: { clientAuthSigningAlgValues: ["EdDSA"], idTokenSigningAlgValues: ["EdDSA"] },
    clientAuthMethods: ["private_key_jwt"],
    responseTypes: ["code"],
    pkce: { methods: ["S256"], required: () => true },
    routes: { jwks: "/jwks.json" },
    scopes: ["openid"],
    claims: { openid: ["sub"], email: ["email"] },
    ttl: { AccessToken: ttl, ClientCredentials: ttl, AuthorizationCode: 60, IdToken: ttl, Interaction: 600, Session: 3600, Grant: 3600 },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => DEFAULT_RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: unknown, indicator: string) => {
          const audience = resources[indicator];
          if (!audience) throw new Error(`unknown resource ${indicator}`);
          return { scope: "openid", audience, accessTokenTTL: ttl, accessTokenFormat: "jwt", jwt: { sign: { alg: "EdDSA" } } };
        },
      },
    },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx: unknown, sub: string) => ({ accountId: sub, claims: () => ({ sub, email: emails.get(sub) }) }),
  });

  // Sign-in (development only): `/interaction/<uid>?login=<demo e-mail>` finishes login and consent at once.
  const interaction = async (req: IncomingMessage, res: ServerResponse) => {
    const details = await provider.interactionDetails(req, res);
    const email = new URL(req.url ?? "/", issuer).searchParams.get("login")?.trim().toLowerCase() ?? "";
    const sub = opts.subjectOf(email);
    if (!sub) {
      res.writeHead(400, { "Content-Type": "text/plain; charset=utf-8" }).end("Onbekend demo-account. Gebruik ?login=<e-mail>.");
      return;
    }
    emails.set(sub, email);
    const grant = new provider.Grant({ accountId: sub, clientId: String(details.params.client_id) });
    grant.addOIDCScope("openid");
    for (const resource of Object.keys(resources)) grant.addResourceScope(resource, "openid");
    await provider.interactionFinished(req, res, { login: { accountId: sub }, consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: false });
  };
  const handle = provider.callback();
  handler = (req, res) => {
    if (req.url?.startsWith("/interaction/")) {
      interaction(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(400, { "Content-Type": "text/plain; charset=utf-8" });
        res.end("Aanmelden mislukt.");
      });
      return;
    }
    handle(req, res);
  };
  return {
    port,
    issuer,
    url: issuer,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
