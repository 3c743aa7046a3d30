/**
 * The whole region for integration tests: the 13 municipal nodes, the hub and
 * the pseudonym service over real NATS JetStream (a namespace of their own) and real PostgreSQL (a
 * database of their own, a schema per service), the fake BRP, a dev issuer and
 * an SMTP sink. Fails, never skips, when NATS or PostgreSQL is missing.
 */
import { connect } from "@nats-io/transport-node";
import { createTokenVerifier, loadOrCreateDevIssuer, type DevIssuer } from "@vi/auth";
import { openDatabase, type Database } from "@vi/db";
import { loadOrCreateServiceKeys, memoryKeyStore, type KeyStore } from "@vi/events";
import { GEMEENTEN, DEMO_REGISTER_FILE, demoSubject, type PopulationConfig } from "@vi/demo";
import { fixedClock } from "@vi/domain";
import { startFakeBrp } from "@vi/fake-brp";
import { parseHubConfig, startHub, createLogger as hubLogger, type RunningHub } from "@vi/hub";
import { createLogger, parseNodeConfig, startNode, type RunningNode } from "@vi/node";
import { memoryKeys, parsePseudonymConfig, startPseudonymService, type KeyFile, type RunningPseudonymService } from "@vi/pseudonym-service";
import { startSmtpSink } from "@vi/smtp-sink";
import { clockAt, DEV_ISSUER, freshNamespace, natsUrl as configuredNatsUrl, TODAY } from "./constants";
import { createDatabase, createTestDatabase } from "./database";
import { deleteNamespaceStreams, freePort } from "./processes";

export async function assertNatsReachable(url: string): Promise<void> {
  try {
    const nc = await connect({ servers: url, timeout: 3000 });
    await nc.close();
  } catch (e) {
    throw new Error(
      `No NATS server at ${url} for the federation tests (${(e as Error).message}). Start nats-server with JetStream or set NATS_URL (bash .ci/run does this).`,
    );
  }
}

export interface Federation {
  today: string;
  namespace: string;
  natsUrl: string;
  issuer: DevIssuer;
  brp: Awaited<ReturnType<typeof startFakeBrp>>;
  sink: Awaited<ReturnType<typeof startSmtpSink>>;
  database: Database;
  /** The URL of the region's database (a test's own connection, e.g. the fault tests' oracle). */
  databaseUrl: string;
  nodes: Map<string, RunningNode>;
  hub: RunningHub;
  hubConfig: ReturnType<typeof parseHubConfig>;
  /** The region's pseudonym service and its key versions (tests read them as the key holder would). */
  pseudonym: RunningPseudonymService;
  pseudonymKeys: KeyFile;
  /** Starts the pseudonym service again (after a test stopped it): the same port, key versions and signing keys. */
  restartPseudonym(): Promise<void>;
  /** The key store of a node's signing keys (tests sign as that node, e.g. with a clock in the past). */
  keyStores: Map<string, KeyStore>;
  node(code: string): RunningNode;
  call(code: string, email: string | undefined, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** fetch against the hub's API as the given account (a token for the hub's audience; undefined: no token). */
  hubCall(email: string | undefined, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

/** The audience of the hub's register API. */
export const HUB_AUDIENCE = "verwijsindex-hub";

export interface FederationNats {
  url: string;
  namespace: string;
  /** The environment a service needs to log in as its user (`hub` or a gemeente code). */
  env(user: string): Record<string, string>;
  /** Removes what the region left on the server (default: deletes its streams anonymously). */
  cleanup?(): Promise<void>;
}

/** `nats`: a NATS server of the test's own with a user per service (test/support/nats-server.ts); default the machine's, anonymous. */
export async function startFederation(
  opts: {
    gemeenten?: string[];
    nats?: FederationNats;
    /** A generated population in the fake BRP beside the demo persons. */
    population?: PopulationConfig;
    /** More node settings (e.g. limits); they override the defaults below. */
    nodeEnv?: Record<string, string>;
    /** More hub settings (e.g. BRUG_URL, REGIO_GEMEENTEN: test/support/national.ts); they override the defaults below. */
    hubEnv?: Record<string, string>;
    /** More pseudonym service settings (e.g. REGIO_GEMEENTEN of another region). */
    pseudonymEnv?: Record<string, string>;
    /**
     * Whose tokens nodes and hub accept: by default an in-memory dev issuer. The browser tests pass the dev issuer whose
     * key a real OpenID Connect provider signs with, and that provider's issuer URL (test/support/web.ts).
     */
    auth?: { issuer: DevIssuer; issuerUrl: string };
    /** The PostgreSQL server to create the region's database on, outside vitest (npm run screenshots). */
    adminDatabaseUrl?: string;
  } = {},
): Promise<Federation> {
  const natsUrl = opts.nats?.url ?? configuredNatsUrl();
  if (!opts.nats) await assertNatsReachable(natsUrl);

  const codes = opts.gemeenten ?? GEMEENTEN.map((g) => g.code);
  const namespace = opts.nats?.namespace ?? freshNamespace("t");
  // Outside vitest (npm run screenshots) the PostgreSQL server is named; in the tests the global setup found it.
  const testDb = opts.adminDatabaseUrl ? await createDatabase(opts.adminDatabaseUrl, "vi_fed") : await createTestDatabase("vi_fed");
  const database = await openDatabase({ url: testDb.url, max: 20 });
  const clock = fixedClock(clockAt(TODAY));
  const brp = await startFakeBrp({ port: 0, host: "127.0.0.1", today: TODAY, ...(opts.population ? { population: opts.population } : {}) });
  // Every mail of a fault test's load is kept (the sink drops the oldest past its maximum): the test counts them all.
  const sink = await startSmtpSink({ smtpPort: 0, httpPort: 0, maxMessages: 1_000_000 });
  const issuer = opts.auth?.issuer ?? (await loadOrCreateDevIssuer({ issuer: DEV_ISSUER, subjectOf: demoSubject }));
  const issuerUrl = opts.auth?.issuerUrl ?? issuer.issuer;
  const verifier = createTokenVerifier({ issuer: issuerUrl, audience: issuer.audience, keys: issuer.keys });
  // The nodes listen on port 0 and report theirs: ports picked ahead of time could be taken by a suite
  // starting in parallel before a node binds them. Only the hub's must be known first (the nodes' HUB_URL).
  const hubPort = await freePort();
  const ports = new Map<string, number>();

  const nodes = new Map<string, RunningNode>();
  const keyStores = new Map<string, KeyStore>();
  for (const code of codes) {
    const config = parseNodeConfig({
      GEMEENTE: code,
      PORT: "0",
      BRP_URL: `${brp.url}/haalcentraal/api/brp`,
      AUTH_ISSUER: issuerUrl,
      REGISTER_BESTAND: DEMO_REGISTER_FILE,
      RETENTIE_INTERVAL_MINUTEN: "0",
      LOG_LEVEL: "silent",
      NATS_URL: natsUrl,
      BUS_NAMESPACE: namespace,
      HUB_URL: `http://127.0.0.1:${hubPort}`,
      SMTP_HOST: "127.0.0.1",
      SMTP_PORT: String(sink.smtpPort),
      BRP_MUTATIES_INTERVAL_MS: "0",
      ADMIN_PORT: "0",
      // Rate limits are off here (a suite makes many requests from one address quickly); test/api/limits-and-headers.test.ts checks them.
      RATE_LIMIT_REGISTRATIES_PER_MINUUT: "0",
      RATE_LIMIT_PERSOONSGEGEVENS_PER_MINUUT: "0",
      RATE_LIMIT_PER_ADRES_PER_MINUUT: "0",
      RATE_LIMIT_MISLUKTE_AANMELDINGEN_PER_MINUUT: "0",
      // So is the bound on an unusual pattern (test/api/unusual-pattern.test.ts checks it).
      PATROON_MAX_JEUGDIGEN: "0",
      ...opts.nats?.env(code),
      ...opts.nodeEnv,
    });
    const store = memoryKeyStore();
    keyStores.set(code, store);
    const keys = await loadOrCreateServiceKeys({ iss: code, store });
    const node = await startNode({ config, database, clock, verifier, keys, log: createLogger(process.env.TEST_LOG_LEVEL ?? "silent", code) });
    nodes.set(code, node);
    ports.set(code, node.port);
  }
  // The pseudonym service: the key holder; nodes and hub reach it over the bus, its keys come to the hub's trust registry.
  const pseudonymKeys = memoryKeys();
  const pseudonymSigning = await loadOrCreateServiceKeys({ iss: "pseudoniem", store: memoryKeyStore() });
  const startPseudonym = (port: number) =>
    startPseudonymService({
      config: parsePseudonymConfig({
        PORT: String(port),
        NATS_URL: natsUrl,
        BUS_NAMESPACE: namespace,
        HUB_URL: `http://127.0.0.1:${hubPort}`,
        LOG_LEVEL: "silent",
        ...opts.nats?.env("pseudoniem"),
        ...opts.pseudonymEnv,
      }),
      keyFile: pseudonymKeys,
      keys: pseudonymSigning,
      log: createLogger(process.env.TEST_LOG_LEVEL ?? "silent", "pseudoniem"),
    });
  let pseudonym = await startPseudonym(0);
  const hubConfig = parseHubConfig({
    PORT: String(hubPort),
    PSEUDONIEM_URL: `http://127.0.0.1:${pseudonym.port}`,
    NATS_URL: natsUrl,
    BUS_NAMESPACE: namespace,
    NODES: codes.map((c) => `${c}=http://127.0.0.1:${ports.get(c)}`).join(","),
    NODES_REFRESH_SECONDS: "0",
    ADMIN_PORT: "0",
    LOG_LEVEL: "silent",
    ...opts.nats?.env("hub"),
    // The hub holds the region's register (loaded from the demo register) and accepts the issuer's tokens.
    AUTH_ISSUER: issuerUrl,
    AUTH_AUDIENCE: HUB_AUDIENCE,
    REGISTER_BESTAND: DEMO_REGISTER_FILE,
    ...opts.hubEnv,
  });
  const hubVerifier = createTokenVerifier({ issuer: issuerUrl, audience: HUB_AUDIENCE, keys: issuer.keys });
  const hub = await startHub({ config: hubConfig, database, verifier: hubVerifier, log: hubLogger(process.env.TEST_LOG_LEVEL ?? "silent") });
  await hub.refreshNodes();
  // The nodes started before the hub: each takes the hub's signed register now.
  for (const n of nodes.values()) await n.refreshRegister();

  const tokens = new Map<string, string>();
  const fed: Federation = {
    today: TODAY,
    namespace,
    natsUrl,
    issuer,
    brp,
    sink,
    database,
    databaseUrl: testDb.url,
    nodes,
    hub,
    hubConfig,
    get pseudonym() {
      return pseudonym;
    },
    pseudonymKeys,
    async restartPseudonym() {
      await pseudonym.stop();
      pseudonym = await startPseudonym(pseudonym.port);
    },
    keyStores,
    node(code) {
      const n = nodes.get(code);
      if (!n) throw new Error(`node ${code} not started`);
      return n;
    },
    async call(code, email, method, path, body) {
      const headers: Record<string, string> = {};
      if (email) {
        if (!tokens.has(email)) tokens.set(email, await issuer.sign(email, { issuer: issuerUrl }));
        headers.authorization = `Bearer ${tokens.get(email)}`;
      }
      if (body !== undefined) headers["content-type"] = "application/json";
      const res = await fetch(`${fed.node(code).url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
    async hubCall(email, method, path, body) {
      const headers: Record<string, string> = {};
      if (email) headers.authorization = `Bearer ${await issuer.sign(email, { audience: HUB_AUDIENCE, issuer: issuerUrl })}`;
      if (body !== undefined) headers["content-type"] = "application/json";
      const res = await fetch(`${hub.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
    async close() {
      await hub.stop();
      for (const n of nodes.values()) await n.stop();
      await pseudonym.stop();
      await sink.close();
      await brp.close();
      await database.close();
      await testDb.drop();
      if (opts.nats) await opts.nats.cleanup?.();
      else await deleteNamespaceStreams(natsUrl, namespace);
    },
  };
  return fed;
}

/** Polls until `check` returns a value (not undefined/false) or the time is up. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, what: string, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ""}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
