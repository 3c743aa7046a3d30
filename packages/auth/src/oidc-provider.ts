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
   * "native" lets a redirect URI on http://localhost match on any port (RFC 8252 7.3): for a client in the tests,
   * which learns its port only once it listens. Default "web" (exact match).
   */
  application_type?: "web" | "native";
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
  /**
   * Resource indicator → audience of its access tokens; default the two APIs: `urn:verwijsindex` → `verwijsindex`
   * (a node) and `urn:verwijsindex-hub` → `verwijsindex-hub` (the hub's register API). Each API accepts only its own.
   */
  resources?: Record<string, string>;
  accessTokenTtlSec?: number;
  /**
   * The demo accounts the sign-in page offers, each as a link whose text is its e-mail address (with an optional
   * description beside it). Absent: the page only says how to sign in with `?login=<e-mail>`.
   */
  accounts?: ReadonlyArray<{ email: string; omschrijving?: string }>;
}

export const DEFAULT_RESOURCE = "urn:verwijsindex";
/** The resource indicator of the hub's API (its tokens' audience `verwijsindex-hub`, the hub's AUTH_AUDIENCE). */
export const HUB_RESOURCE = "urn:verwijsindex-hub";

export async function startOidcProvider(opts: OidcProviderOptions) {
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => void res.writeHead(503).end();
  const server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(opts.port, opts.host ?? "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const issuer = opts.issuer ?? `http://localhost:${port}`;
  const resources = opts.resources ?? { [DEFAULT_RESOURCE]: "verwijsindex", [HUB_RESOURCE]: "verwijsindex-hub" };
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

  // Sign-in (development only): `/interaction/<uid>` shows the demo accounts, each a link to
  // `/interaction/<uid>?login=<e-mail>`, which finishes login and consent at once.
  const interaction = async (req: IncomingMessage, res: ServerResponse) => {
    const details = await provider.interactionDetails(req, res);
    const url = new URL(req.url ?? "/", issuer);
    const login = url.searchParams.get("login");
    // Signed in already, only consent asked (a native client is always asked, e.g. when the web fetches a token for
    // the hub's audience; docs/adr/0029): this provider gives consent with the sign-in, so it is given at once.
    const signedIn = details.session?.accountId;
    if (login === null && details.prompt.name === "consent" && signedIn) {
      await provider.interactionFinished(
        req,
        res,
        { consent: { grantId: await grantFor(signedIn, String(details.params.client_id)) } },
        { mergeWithLastSubmission: true },
      );
      return;
    }
    if (login === null) {
      res
        .writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store", ...PAGE_HEADERS })
        .end(signInPage(url.pathname, opts.accounts ?? []));
      return;
    }
    const email = login.trim().toLowerCase();
    const sub = opts.subjectOf(email);
    if (!sub) {
      res.writeHead(400, { "Content-Type": "text/plain; charset=utf-8" }).end("Onbekend demo-account. Gebruik ?login=<e-mail>.");
      return;
    }
    emails.set(sub, email);
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: sub }, consent: { grantId: await grantFor(sub, String(details.params.client_id)) } },
      { mergeWithLastSubmission: false },
    );
  };
  /** Consent to `openid` and every configured API (resource) for this account and client. */
  const grantFor = async (accountId: string, clientId: string) => {
    const grant = new provider.Grant({ accountId, clientId });
    grant.addOIDCScope("openid");
    for (const resource of Object.keys(resources)) grant.addResourceScope(resource, "openid");
    return grant.save();
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

/** The sign-in page may load nothing from elsewhere and run no script; its one style sheet is inline. */
const PAGE_HEADERS = {
  "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
};

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The development sign-in page: one link per demo account, its text the account's e-mail address (WCAG 2.1 AA). */
export function signInPage(path: string, accounts: ReadonlyArray<{ email: string; omschrijving?: string }>): string {
  const items = accounts
    .map(
      (a) =>
        `<li><a href="${escapeHtml(path)}?login=${encodeURIComponent(a.email)}">${escapeHtml(a.email)}</a>${a.omschrijving ? ` <span>${escapeHtml(a.omschrijving)}</span>` : ""}</li>`,
    )
    .join("\n");
  return `<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Aanmelden (demo) - Verwijsindex</title>
<style>
body{font-family:system-ui,sans-serif;margin:0;padding:1rem;line-height:1.5;color:#1a1a1a;background:#fff;max-width:44rem}
a{color:#0b4f9c;font-size:1.125rem}a:focus{outline:3px solid #1a1a1a;outline-offset:2px}
li{margin:.5rem 0}span{color:#4a4a4a;display:block;font-size:.95rem}
</style></head>
<body><main>
<h1>Aanmelden bij de verwijsindex (demo)</h1>
<p>Dit is de aanmeldpagina van de ontwikkelomgeving. Kies een demo-account; u hebt geen wachtwoord nodig.</p>
${accounts.length ? `<ul>${items}</ul>` : "<p>Voeg <code>?login=&lt;e-mailadres&gt;</code> toe aan het adres van deze pagina.</p>"}
</main></body></html>`;
}
