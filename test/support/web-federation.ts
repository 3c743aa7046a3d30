/**
 * The web application against the whole federation (nodes, hub and pseudonym service over real NATS and
 * PostgreSQL), for the pages that need the hub: the convenantmanager's. The real OpenID Connect provider issues
 * tokens for the node API (`urn:verwijsindex`) and for the hub's (`urn:verwijsindex-hub`); Debian's Chromium.
 */
import { randomBytes } from "node:crypto";
import { exportJWK, generateKeyPair } from "jose";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { loadOrCreateDevIssuer, startOidcProvider } from "@vi/auth";
import { DEMO_ACCOUNTS, DEMO_REGISTER_FILE, demoSubject, organisationById } from "@vi/demo";
import { createLogger } from "@vi/node";
import { parseWebConfig, type RunningWeb, startWeb } from "@vi/web";
import { HUB_AUDIENCE, startFederation, type Federation } from "./federation";
import { CHROMIUM, CHROMIUM_ARGS } from "./web";

export interface WebFederation {
  fed: Federation;
  web: RunningWeb;
  browser: Browser;
  /** A fresh browser context signed in as the demo account; `terug` is where sign-in leads (default the start page). */
  signIn(email: string, opts?: { path?: string; viewport?: { width: number; height: number } }): Promise<{ context: BrowserContext; page: Page }>;
  close(): Promise<void>;
}

export async function startWebFederation(opts: { gemeenten: string[]; adminDatabaseUrl?: string }): Promise<WebFederation> {
  const issuer = await loadOrCreateDevIssuer({ issuer: "http://localhost", subjectOf: demoSubject });
  const client = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
  const privateJwk = { ...(await exportJWK(client.privateKey)), kid: "web-test-1" };
  const provider = await startOidcProvider({
    port: 0,
    signingKey: issuer.signingJwk,
    subjectOf: (email) => (DEMO_ACCOUNTS.some((a) => a.email === email) ? demoSubject(email) : undefined),
    resources: { "urn:verwijsindex": "verwijsindex", "urn:verwijsindex-hub": HUB_AUDIENCE },
    clients: [
      {
        client_id: "verwijsindex-web",
        application_type: "native",
        jwks: { keys: [{ ...(await exportJWK(client.publicKey)), kid: "web-test-1", alg: "EdDSA", use: "sig" }] },
        redirect_uris: ["http://localhost/aanmelden/terug"],
      },
    ],
    accounts: DEMO_ACCOUNTS.map((a) => ({ email: a.email, omschrijving: `${a.functie}, ${organisationById(a.organisatieId)?.naam ?? a.organisatieId}` })),
  });
  const fed = await startFederation({
    gemeenten: opts.gemeenten,
    auth: { issuer, issuerUrl: provider.issuer },
    ...(opts.adminDatabaseUrl ? { adminDatabaseUrl: opts.adminDatabaseUrl } : {}),
  });
  const web = await startWeb({
    config: parseWebConfig({
      PORT: "0",
      OIDC_ISSUER: provider.issuer,
      OIDC_CLIENT_KEY: JSON.stringify(privateJwk),
      SESSION_SECRET: randomBytes(32).toString("hex"),
      COOKIE_SECURE: "false",
      NODES: [...fed.nodes.entries()].map(([code, n]) => `${code}=${n.url}`).join(","),
      STANDAARD_GEMEENTE: opts.gemeenten.includes("GM0363") ? "GM0363" : undefined,
      HUB_URL: fed.hub.url,
      REGISTER_BESTAND: DEMO_REGISTER_FILE,
      LOG_LEVEL: "silent",
    }),
    clock: fed.node(opts.gemeenten[0]!).ctx.clock,
    log: createLogger("silent", "web"),
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  return {
    fed,
    web,
    browser,
    async signIn(email, o = {}) {
      const context = await browser.newContext({ locale: "nl-NL", viewport: o.viewport ?? { width: 1280, height: 900 }, acceptDownloads: true });
      const page = await context.newPage();
      const path = o.path ?? "/";
      await page.goto(`${web.url}${path}`);
      if (!page.url().includes("/interaction/")) {
        await page.goto(`${web.url}/aanmelden?terug=${encodeURIComponent(path)}`);
      }
      await page.getByRole("link", { name: email, exact: true }).click();
      await page.waitForURL(`${web.url}${path}`);
      return { context, page };
    },
    async close() {
      await browser.close();
      await web.stop();
      await fed.close();
      await provider.close();
    },
  };
}
