/**
 * Starts what the API tests talk to, over real HTTP: the fake BRP, a dev
 * issuer (in memory) and one or more municipal nodes on real PostgreSQL
 * (a fresh database per suite), all on port 0, with a fixed clock.
 */
import { createTokenVerifier, loadOrCreateDevIssuer, type DevIssuer } from "@vi/auth";
import { startFakeBrp } from "@vi/fake-brp";
import { DEMO_REGISTER_FILE, demoSubject, type PopulationConfig } from "@vi/demo";
import { fixedClock } from "@vi/domain";
import { createLogger, type NationalLink, parseNodeConfig, startNode, type RunningNode } from "@vi/node";
import { openDatabase, type Database } from "@vi/db";
import { clockAt, DEV_ISSUER, TODAY } from "./constants";
import { createDatabase, createTestDatabase } from "./database";
import { type ExtraRegister, registerWith } from "./register";

export interface TestRegion {
  today: string;
  clock: ReturnType<typeof fixedClock>;
  issuer: DevIssuer;
  brp: Awaited<ReturnType<typeof startFakeBrp>>;
  nodes: Map<string, RunningNode>;
  database: Database;
  /** The suite's own database (for a CLI run against it). */
  databaseUrl: string;
  node(code: string): RunningNode;
  token(email: string): Promise<string>;
  /** fetch against a node as the given account (undefined: no Authorization header). */
  call(
    code: string,
    email: string | undefined,
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; headers: Headers; body: any }>;
  close(): Promise<void>;
}

export async function startTestRegion(opts: {
  gemeenten: string[];
  today?: string;
  logLines?: string[];
  population?: PopulationConfig;
  /** Organisations and professionals beyond the demo register. */
  extraRegister?: ExtraRegister;
  /** More node settings (e.g. rate limits, CORS_ORIGINS). */
  env?: Record<string, string>;
  /**
   * Whose tokens the nodes accept: by default an in-memory dev issuer. The web tests pass the dev issuer whose key a
   * real OpenID Connect provider signs with, and that provider's issuer URL.
   */
  auth?: { issuer: DevIssuer; issuerUrl: string };
  /** The nodes' link to the national index (youths without a BSN); default none. */
  nationalLink?: NationalLink;
  /** The PostgreSQL server to create the region's database on, outside vitest (npm run screenshots); default the tests' server. */
  adminDatabaseUrl?: string;
}): Promise<TestRegion> {
  const today = opts.today ?? TODAY;
  const clock = fixedClock(clockAt(today));
  const testDb = opts.adminDatabaseUrl ? await createDatabase(opts.adminDatabaseUrl, "vi_web") : await createTestDatabase();
  const database = await openDatabase({ url: testDb.url, max: 5 });
  const brp = await startFakeBrp({ port: 0, host: "127.0.0.1", today, ...(opts.population ? { population: opts.population } : {}) });
  const issuer = opts.auth?.issuer ?? (await loadOrCreateDevIssuer({ issuer: DEV_ISSUER, subjectOf: demoSubject }));
  const issuerUrl = opts.auth?.issuerUrl ?? issuer.issuer;
  const nodes = new Map<string, RunningNode>();
  for (const code of opts.gemeenten) {
    const config = parseNodeConfig({
      GEMEENTE: code,
      PORT: "0",
      DATABASE_URL: testDb.url,
      BRP_URL: `${brp.url}/haalcentraal/api/brp`,
      AUTH_ISSUER: issuerUrl,
      REGISTER_BESTAND: DEMO_REGISTER_FILE,
      RETENTIE_INTERVAL_MINUTEN: "0",
      // The tests read the BRP's mutation feed themselves (pollMutations), so nothing happens behind their backs.
      BRP_MUTATIES_INTERVAL_MS: "0",
      LOG_LEVEL: "silent",
      // Rate limits are off here (a suite makes many requests from one address quickly); test/api/limits-and-headers.test.ts checks them.
      RATE_LIMIT_REGISTRATIES_PER_MINUUT: "0",
      RATE_LIMIT_PERSOONSGEGEVENS_PER_MINUUT: "0",
      RATE_LIMIT_PER_ADRES_PER_MINUUT: "0",
      RATE_LIMIT_MISLUKTE_AANMELDINGEN_PER_MINUUT: "0",
      // So is the bound on an unusual pattern (test/api/unusual-pattern.test.ts checks it).
      PATROON_MAX_JEUGDIGEN: "0",
      ...opts.env,
    });
    // The real verifier, fed the issuer's public keys in-process; token expiry uses real time.
    const verifier = createTokenVerifier({ issuer: issuerUrl, audience: issuer.audience, keys: issuer.keys });
    nodes.set(
      code,
      await startNode({
        config,
        database,
        clock,
        verifier,
        ...(opts.extraRegister ? { register: registerWith(opts.extraRegister) } : {}),
        ...(opts.nationalLink ? { nationalLink: opts.nationalLink } : {}),
        log: opts.logLines ? createLogger("trace", code, { write: (line: string) => void opts.logLines!.push(line) }) : createLogger("silent", code),
      }),
    );
  }
  const tokens = new Map<string, string>();
  const region: TestRegion = {
    today,
    clock,
    issuer,
    brp,
    nodes,
    database,
    databaseUrl: testDb.url,
    node(code) {
      const n = nodes.get(code);
      if (!n) throw new Error(`node ${code} not started`);
      return n;
    },
    async token(email) {
      if (!tokens.has(email)) tokens.set(email, await issuer.sign(email));
      return tokens.get(email)!;
    },
    async call(code, email, method, path, body, headers = {}) {
      const h: Record<string, string> = { ...headers };
      if (email) h.authorization = `Bearer ${await region.token(email)}`;
      let payload: string | undefined;
      if (body !== undefined) {
        payload = typeof body === "string" ? body : JSON.stringify(body);
        h["content-type"] ??= "application/json";
      }
      const res = await fetch(`${region.node(code).url}${path}`, { method, headers: h, body: payload });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        /* keep text */
      }
      return { status: res.status, headers: res.headers, body: parsed };
    },
    async close() {
      for (const n of nodes.values()) await n.stop();
      await brp.close();
      await database.close();
      await testDb.drop();
    },
  };
  return region;
}
