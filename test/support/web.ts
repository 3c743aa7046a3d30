/**
 * The region the browser tests (test/web) and `npm run screenshots` run
 * against: the real OpenID Connect provider (packages/auth) signing with the
 * dev issuer's key, municipal nodes on real PostgreSQL (a fresh database),
 * an SMTP sink, and the web application, all on free ports (port 0); and
 * Debian's Chromium driven by playwright-core (never a downloaded browser).
 */
import { randomBytes } from "node:crypto";
import { exportJWK, generateKeyPair } from "jose";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { loadOrCreateDevIssuer, startOidcProvider } from "@vi/auth";
import { DEMO_ACCOUNTS, DEMO_REGISTER_FILE, demoSubject, organisationById } from "@vi/demo";
import { type SmtpSink, startSmtpSink } from "@vi/smtp-sink";
import { parseWebConfig, type RunningWeb, startWeb } from "@vi/web";
import { createLogger, type NationalLink } from "@vi/node";
import { fixedClock } from "@vi/domain";
import { clockAt, TODAY } from "./constants";
import { type Federation, startFederation } from "./federation";
import { startTestRegion, type TestRegion } from "./region";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export interface WebRegion {
  /** The nodes, reading the register from its file (no hub); absent with `hub: true`. */
  region?: TestRegion;
  /** With `hub: true`: the nodes, the hub (the register's source, changes to the nodes over NATS) and the pseudonym service. */
  fed?: Federation;
  web: RunningWeb;
  sink: SmtpSink;
  browser: Browser;
  /** A fresh browser context (its own cookies) signed in as the demo account, on the start page. */
  signIn(email: string, opts?: { viewport?: { width: number; height: number } }): Promise<{ context: BrowserContext; page: Page }>;
  close(): Promise<void>;
}

export async function startWebRegion(opts: {
  gemeenten: string[];
  adminDatabaseUrl?: string;
  /**
   * Run the hub too (real NATS and PostgreSQL, test/support/federation.ts): the register lives at the hub, a
   * coordinator changes it through the web, and the nodes learn the change over the bus.
   */
  hub?: boolean;
  /** The nodes' link to the national index (youths without a BSN; without the hub only). */
  nationalLink?: NationalLink;
}): Promise<WebRegion> {
  const issuer = await loadOrCreateDevIssuer({ issuer: "http://localhost", subjectOf: demoSubject });
  const client = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
  const privateJwk = { ...(await exportJWK(client.privateKey)), kid: "web-test-1" };
  const provider = await startOidcProvider({
    port: 0,
    signingKey: issuer.signingJwk,
    subjectOf: (email) => (DEMO_ACCOUNTS.some((a) => a.email === email) ? demoSubject(email) : undefined),
    // The web listens on a free port, known only later: a native client's localhost redirect matches any port.
    clients: [
      {
        client_id: "verwijsindex-web",
        application_type: "native",
        jwks: { keys: [{ ...(await exportJWK(client.publicKey)), kid: "web-test-1", alg: "EdDSA", use: "sig" }] },
        redirect_uris: ["http://localhost/aanmelden/terug"],
      },
    ],
    accounts: DEMO_ACCOUNTS.map((a) => ({ email: a.email, omschrijving: `${a.functie}, ${organisationById(a.organisatieId)?.naam ?? a.organisatieId}` })),
    // The node API, and the hub's register API (its own audience; docs/adr/0029).
    resources: { "urn:verwijsindex": "verwijsindex", "urn:verwijsindex-hub": "verwijsindex-hub" },
  });
  const auth = { issuer, issuerUrl: provider.issuer };
  const admin = opts.adminDatabaseUrl ? { adminDatabaseUrl: opts.adminDatabaseUrl } : {};
  const fed = opts.hub ? await startFederation({ gemeenten: opts.gemeenten, auth, ...admin }) : undefined;
  const region = fed
    ? undefined
    : await startTestRegion({ gemeenten: opts.gemeenten, auth, ...admin, ...(opts.nationalLink ? { nationalLink: opts.nationalLink } : {}) });
  const nodes = fed ? [...fed.nodes.entries()] : [...region!.nodes.entries()];
  const clock = region?.clock ?? fixedClock(clockAt(TODAY));
  const sink = await startSmtpSink({ smtpPort: 0, httpPort: 0 });
  const web = await startWeb({
    config: parseWebConfig({
      PORT: "0",
      OIDC_ISSUER: provider.issuer,
      OIDC_CLIENT_KEY: JSON.stringify(privateJwk),
      SESSION_SECRET: randomBytes(32).toString("hex"),
      COOKIE_SECURE: "false",
      NODES: nodes.map(([code, n]) => `${code}=${n.url}`).join(","),
      ...(fed ? { HUB_URL: fed.hub.url } : {}),
      STANDAARD_GEMEENTE: opts.gemeenten.includes("GM0363") ? "GM0363" : undefined,
      REGISTER_BESTAND: DEMO_REGISTER_FILE,
      SMTP_HOST: "127.0.0.1",
      SMTP_PORT: String(sink.smtpPort),
      LOG_LEVEL: "silent",
    }),
    clock,
    log: createLogger("silent", "web"),
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  return {
    region,
    fed,
    web,
    sink,
    browser,
    async signIn(email, o = {}) {
      const context = await browser.newContext({ locale: "nl-NL", viewport: o.viewport ?? { width: 1280, height: 900 }, acceptDownloads: true });
      const page = await context.newPage();
      await page.goto(`${web.url}/aanmelden`);
      await page.getByRole("link", { name: email, exact: true }).click();
      await page.waitForURL(`${web.url}/`);
      return { context, page };
    },
    async close() {
      await browser.close();
      await web.stop();
      await sink.close();
      await region?.close();
      await fed?.close();
      await provider.close();
    },
  };
}
