/**
 * The region's services (municipal nodes, the hub, the pseudonym service, the
 * fake BRP, the SMTP sink, nats-server) as real child processes: the harness of the fault tests
 * and of the benchmark (bench/run.ts).
 *
 * - `ProcessGroup` starts, kills and restarts named processes and keeps their
 *   output (stdout and stderr; pino writes to stdout) in a ring buffer.
 * - `nodeProcess`, `hubProcess`, `pseudonymProcess`, `fakeBrpProcess`,
 *   `smtpSinkProcess` and `natsServerProcess` say how each service is started: its entry point and
 *   the variables that wire it into the region.
 * - `startProcessRegion` is the small region of the fault tests: nodes, hub
 *   and pseudonym service as processes, so a test can `kill -9` one and start it again, with its own
 *   nats-server (the project's configuration: a user per service, streams and
 *   consumers provisioned as `beheer`; killed and restarted by the test, never
 *   the machine's) and a
 *   database of its own on the PostgreSQL of DATABASE_URL (a schema per
 *   service); in the test process the fake BRP (with a generated population),
 *   the dev issuer (its JWKS over HTTP) and the SMTP sink. `dumpLogs()` prints
 *   the output when a test fails; `close()` ends everything it started, also
 *   after a failure.
 *
 * No vitest here (the benchmark runs without it); `startProcessRegion` asks
 * vitest for the PostgreSQL server only when it is called.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { connect as tcpConnect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import postgres from "postgres";
import { nkeyAuthenticator } from "@nats-io/nats-core";
import { connect as natsConnect } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";
import { connectNatsBus, natsLogin, type Bus } from "@vi/bus";
import { BEHEER, federationConsumers } from "@vi/events";
import { writeNatsSetup, type NatsSetup } from "../../scripts/nats/setup";
import { loadOrCreateDevIssuer, startDevIssuerServer, type DevIssuer } from "@vi/auth";
import { generatePopulation, gemeenteByCode, todayInAmsterdam, type Population, type PopulationConfig, DEMO_REGISTER_FILE, demoSubject } from "@vi/demo";
import { startFakeBrp, type RunningFakeBrp } from "@vi/fake-brp";
import { OWN_SETTINGS } from "@vi/node";
import { startSmtpSink, type SmtpSink } from "@vi/smtp-sink";
import { freshNamespace, NATS_SERVER } from "./constants";
import { createTestDatabase } from "./database";
import { faultRegister, writeRegisterFile } from "./register";

const REPO = resolve(import.meta.dirname, "../..");
const LOG_LINES = 3000;

/**
 * A free port for a process that binds it later. Taken below Linux's ephemeral range (32768-60999): every server a
 * suite starts on port 0 gets an ephemeral port, so none of them can take this one between the pick and the bind,
 * as happened when this returned an ephemeral port itself. Random within 20000-32767, checked by binding it.
 */
/**
 * Ports below the kernel's ephemeral range (20000-32767), so that no outgoing connection takes one. Each vitest worker
 * (VITEST_POOL_ID) draws from a slice of its own, and a process never hands out a port twice: a port is free when it
 * is handed out but bound only later, by a child process, so two workers drawing from the same range could both get it
 * (a CI run failed that way on `npm start`'s EADDRINUSE).
 */
const PORT_LOW = 20_000;
const PORT_HIGH = 32_768;
const PORT_SLICES = 8;
const handedOut = new Set<number>();

function portSlice(): [number, number] {
  const size = Math.floor((PORT_HIGH - PORT_LOW) / PORT_SLICES);
  const id = Number(process.env.VITEST_POOL_ID ?? 0);
  const slice = Number.isInteger(id) && id > 0 ? (id - 1) % PORT_SLICES : PORT_SLICES - 1;
  return [PORT_LOW + slice * size, PORT_LOW + (slice + 1) * size];
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise<boolean>((res) => {
    const s = createServer();
    s.once("error", () => res(false));
    s.listen(port, "127.0.0.1", () => s.close(() => res(true)));
  });
}

/** A base port such that base + each offset is free and not handed out before (ports of `npm start`'s nodes). */
export async function freePortBase(offsets: number[]): Promise<number> {
  const [low, high] = portSlice();
  const span = Math.max(...offsets) - Math.min(...offsets);
  for (let attempt = 0; attempt < 200; attempt++) {
    const first = low + Math.floor(Math.random() * (high - low - span));
    const base = first - Math.min(...offsets);
    const ports = offsets.map((o) => base + o);
    if (ports.some((p) => handedOut.has(p))) continue;
    if (!(await Promise.all(ports.map(portIsFree))).every(Boolean)) continue;
    for (const p of ports) handedOut.add(p);
    return base;
  }
  throw new Error(`no free ports in this worker's slice ${low}-${high - 1}`);
}

export async function freePort(): Promise<number> {
  return freePortBase([0]);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface ProcessSpec {
  command: string;
  args: string[];
  /** The whole environment but PATH and HOME (nothing else is inherited). */
  env: Record<string, string>;
  /** GET this URL until 200 (HTTP services). */
  readyUrl?: string;
  /** Or: until this TCP port accepts (nats-server). */
  readyPort?: number;
  /** Discard stdout, keep stderr only (default: keep both). */
  stdout?: "keep" | "ignore";
}

interface Managed {
  name: string;
  spec: ProcessSpec;
  child?: ChildProcess;
  exited?: Promise<void>;
  lines: string[];
  starts: number;
  /** Exits not caused by the test (kill/stop): a crash. */
  unexpectedExits: string[];
  expectingExit: boolean;
}

/** Starts, kills and restarts named child processes; keeps their output. */
export class ProcessGroup {
  private readonly procs = new Map<string, Managed>();

  /** Starts a process (not waiting for readiness). */
  start(name: string, spec: ProcessSpec): void {
    const existing = this.procs.get(name);
    if (existing?.child && existing.child.exitCode === null && existing.child.signalCode === null) throw new Error(`${name} is already running`);
    const m: Managed = existing ?? { name, spec, lines: [], starts: 0, unexpectedExits: [], expectingExit: false };
    m.spec = spec;
    m.starts++;
    m.expectingExit = false;
    const child = spawn(spec.command, spec.args, {
      cwd: REPO,
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", ...spec.env },
      stdio: ["ignore", spec.stdout === "ignore" ? "ignore" : "pipe", "pipe"],
    });
    const push = (stream: string) => (chunk: Buffer) => {
      for (const line of chunk.toString("utf8").split("\n")) {
        if (!line) continue;
        m.lines.push(`[${name}#${m.starts} ${stream}] ${line}`);
      }
      if (m.lines.length > LOG_LINES) m.lines.splice(0, m.lines.length - LOG_LINES);
    };
    child.stdout?.on("data", push("out"));
    child.stderr!.on("data", push("err"));
    m.exited = new Promise<void>((res) => {
      child.once("exit", (code, signal) => {
        m.lines.push(`[${name}#${m.starts}] exited code=${code} signal=${signal}`);
        if (!m.expectingExit) m.unexpectedExits.push(`${name}#${m.starts}: code=${code} signal=${signal}`);
        res();
      });
      child.once("error", (err) => {
        m.lines.push(`[${name}#${m.starts}] spawn error ${err.message}`);
        res();
      });
    });
    m.child = child;
    this.procs.set(name, m);
  }

  private get(name: string): Managed {
    const m = this.procs.get(name);
    if (!m) throw new Error(`no process named ${name}`);
    return m;
  }

  running(name: string): boolean {
    const c = this.procs.get(name)?.child;
    return Boolean(c && c.exitCode === null && c.signalCode === null);
  }

  pid(name: string): number | undefined {
    return this.get(name).child?.pid;
  }

  /** Waits until the process answers (readyUrl 200 or readyPort open); fails early when it exits. */
  async waitReady(name: string, timeoutMs = 60_000): Promise<void> {
    const m = this.get(name);
    const until = Date.now() + timeoutMs;
    for (;;) {
      if (!this.running(name)) throw new Error(`${name} exited before it was ready:\n${this.logs(name, 40)}`);
      if (m.spec.readyUrl ? await httpOk(m.spec.readyUrl) : await tcpOpen(m.spec.readyPort!)) return;
      if (Date.now() > until) throw new Error(`${name} not ready after ${timeoutMs} ms:\n${this.logs(name, 40)}`);
      await sleep(150);
    }
  }

  /** Sends a signal and waits for the process to be gone. */
  async kill(name: string, signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
    const m = this.get(name);
    if (!m.child || !this.running(name)) return;
    m.expectingExit = true;
    m.lines.push(`[${name}#${m.starts}] test sends ${signal}`);
    m.child.kill(signal);
    const done = await Promise.race([m.exited!.then(() => true), sleep(15_000).then(() => false)]);
    if (!done) {
      m.child.kill("SIGKILL");
      await m.exited;
    }
  }

  /** Starts the process again with the same command and environment, and waits until it is ready. */
  async restart(name: string, timeoutMs = 60_000): Promise<void> {
    const m = this.get(name);
    if (this.running(name)) await this.kill(name, "SIGKILL");
    this.start(name, m.spec);
    await this.waitReady(name, timeoutMs);
  }

  /** Processes that exited without the test asking. */
  unexpectedExits(): string[] {
    return [...this.procs.values()].flatMap((m) => m.unexpectedExits);
  }

  logs(name?: string, tail = 200): string {
    const ms = name ? [this.get(name)] : [...this.procs.values()];
    return ms.map((m) => m.lines.slice(-tail).join("\n")).join("\n");
  }

  /** Lines of all processes matching a pattern (e.g. /dead-lettered|error/). */
  grep(pattern: RegExp): string[] {
    return [...this.procs.values()].flatMap((m) => m.lines.filter((l) => pattern.test(l)));
  }

  /** SIGKILL to every process still running, at once (for a `process.on("exit")` hook: synchronous). */
  killAllNow(): void {
    for (const m of this.procs.values()) {
      if (!m.child || !this.running(m.name)) continue;
      m.expectingExit = true;
      m.child.kill("SIGKILL");
    }
  }

  /** SIGTERM to all (services first, given order), SIGKILL after a grace period. */
  async stopAll(order: string[] = [], graceMs = 5_000): Promise<void> {
    const names = [...order.filter((n) => this.procs.has(n)), ...[...this.procs.keys()].filter((n) => !order.includes(n))];
    for (const n of names) {
      const m = this.procs.get(n)!;
      if (!m.child || !this.running(n)) continue;
      m.expectingExit = true;
      m.child.kill("SIGTERM");
      const done = await Promise.race([m.exited!.then(() => true), sleep(graceMs).then(() => false)]);
      if (!done) {
        m.child.kill("SIGKILL");
        await m.exited;
      }
    }
  }
}

async function httpOk(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

async function tcpOpen(port: number): Promise<boolean> {
  return new Promise((res) => {
    const s = tcpConnect({ port, host: "127.0.0.1" });
    s.once("connect", () => {
      s.destroy();
      res(true);
    });
    s.once("error", () => res(false));
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The region's services: how each is started and wired

const TSX = ["--import", "tsx"];
const HOST = "127.0.0.1";

/**
 * How a service's entry point runs: through tsx from its TypeScript source, or with VI_SERVICES_FROM_DIST=1 as the
 * bundle `npm run build:services` made of it (services/<service>/src/<entry>.ts → dist/<service>/<entry>.mjs), the
 * form the image runs (docs/adr/0041). A missing bundle fails at once rather than running the source unnoticed.
 */
/**
 * V8 flags a service's process runs with, as in docker-compose.yml and the Helm chart: a node's old generation is
 * capped at 128 MiB, so that it collects its garbage before the process passes 256 MiB (docs/adr/0050).
 */
function serviceFlags(entry: string): string[] {
  return /^services\/node\/src\/(main|worker-main)\.ts$/.test(entry) ? [NODE_HEAP_FLAG] : [];
}
export const NODE_HEAP_FLAG = "--max-old-space-size=128";

function serviceCommand(entry: string): { command: string; args: string[] } {
  if (process.env.VI_SERVICES_FROM_DIST !== "1") return { command: process.execPath, args: [...serviceFlags(entry), ...TSX, entry] };
  const m = /^services\/([^/]+)\/src\/([^/]+)\.ts$/.exec(entry);
  if (!m) throw new Error(`VI_SERVICES_FROM_DIST=1: no bundle for ${entry} (only services/<service>/src/<entry>.ts are bundled)`);
  const bundle = `dist/${m[1]}/${m[2]}.mjs`;
  if (!existsSync(join(REPO, bundle))) {
    throw new Error(
      `VI_SERVICES_FROM_DIST=1 but ${bundle} is missing: run \`npm run build:services\` first (or unset VI_SERVICES_FROM_DIST to run ${entry} through tsx)`,
    );
  }
  return { command: process.execPath, args: ["--enable-source-maps", ...serviceFlags(entry), bundle] };
}

function serviceProcess(entry: string, env: Record<string, string>, readyUrl: string): ProcessSpec {
  return { ...serviceCommand(entry), env: { HOST, LOG_LEVEL: "warn", ...env }, readyUrl };
}

/** What every node and the hub share: the database (a schema per service), the bus and the signing keys' directory. */
export interface RegionWiring {
  databaseUrl: string;
  natsUrl: string;
  namespace: string;
  keysDir: string;
  /** The environment that logs a service in to NATS as its user (`hub`, a gemeente code); none: anonymous. */
  natsEnv?: (user: string) => Record<string, string>;
}

export interface NodeProcessOptions extends RegionWiring {
  gemeente: string;
  port: number;
  hubUrl: string;
  /** The BRP's base URL (…/haalcentraal/api/brp). */
  brpUrl: string;
  /** The token issuer and where its JWKS is served. */
  issuer: string;
  jwksUrl: string;
  smtpPort: number;
  /** REGISTER_BESTAND; default the demo register. */
  registerFile?: string;
  /** More variables (e.g. DB_POOL_MAX, LOG_LEVEL). */
  env?: Record<string, string>;
}

/** A municipal node with demo data, no retention job and no BRP mutation polling; ready at /ready. */
export function nodeProcess(o: NodeProcessOptions): ProcessSpec {
  return serviceProcess("services/node/src/main.ts", { GEMEENTE: o.gemeente, ...nodeEnv(o) }, `http://${HOST}:${o.port}/ready`);
}

/** A node's settings as nodeProcess gives them, without GEMEENTE. */
function nodeEnv(o: NodeProcessOptions): Record<string, string> {
  return {
    PORT: String(o.port),
    DATABASE_URL: o.databaseUrl,
    NATS_URL: o.natsUrl,
    BUS_NAMESPACE: o.namespace,
    HUB_URL: o.hubUrl,
    BRP_URL: o.brpUrl,
    AUTH_ISSUER: o.issuer,
    AUTH_JWKS_URL: o.jwksUrl,
    KEYS_DIR: o.keysDir,
    SMTP_HOST: HOST,
    SMTP_PORT: String(o.smtpPort),
    REGISTER_BESTAND: o.registerFile ?? DEMO_REGISTER_FILE,
    RETENTIE_INTERVAL_MINUTEN: "0",
    BRP_MUTATIES_INTERVAL_MS: "0",
    // Rate limits are off here (a suite makes many requests from one address quickly); test/api/limits-and-headers.test.ts checks them.
    RATE_LIMIT_REGISTRATIES_PER_MINUUT: "0",
    RATE_LIMIT_PERSOONSGEGEVENS_PER_MINUUT: "0",
    RATE_LIMIT_PER_ADRES_PER_MINUUT: "0",
    RATE_LIMIT_MISLUKTE_AANMELDINGEN_PER_MINUUT: "0",
    // So is the bound on an unusual pattern (test/api/unusual-pattern.test.ts checks it).
    PATROON_MAX_JEUGDIGEN: "0",
    ...o.natsEnv?.(o.gemeente),
    ...o.env,
  };
}

/**
 * One process serving several nodes (services/node/src/worker-main.ts, docs/adr/0045), each with the settings
 * nodeProcess would give it alone: a setting every node has alike is shared, any other is given per gemeente
 * (`GM0363_PORT`). Ready once the last node is (they start in order).
 */
export function nodeWorkerProcess(nodes: readonly NodeProcessOptions[]): ProcessSpec {
  if (nodes.length === 0) throw new Error("nodeWorkerProcess needs at least one node");
  const envs = nodes.map(nodeEnv);
  const keys = new Set(envs.flatMap((e) => Object.keys(e)));
  const env: Record<string, string> = { NODE_GEMEENTEN: nodes.map((n) => n.gemeente).join(",") };
  for (const key of keys) {
    const values = envs.map((e) => e[key]);
    const shared = values.every((v) => v === values[0]) && (nodes.length === 1 || !OWN_SETTINGS.includes(key as (typeof OWN_SETTINGS)[number]));
    if (shared) {
      if (values[0] !== undefined) env[key] = values[0];
    } else {
      nodes.forEach((n, i) => {
        if (values[i] !== undefined) env[`${n.gemeente}_${key}`] = values[i];
      });
    }
  }
  const last = nodes[nodes.length - 1]!;
  return serviceProcess("services/node/src/worker-main.ts", env, `http://${HOST}:${last.port}/ready`);
}

export interface HubProcessOptions extends RegionWiring {
  port: number;
  /** The hub's admin port (/metrics, /api/v1/nodes; docs/adr/0009). */
  adminPort?: number;
  /** The region's nodes: gemeente code and base URL. */
  nodes: ReadonlyArray<readonly [code: string, url: string]>;
  /** How often the hub refreshes the nodes' keys and readiness. */
  refreshSeconds: number;
  /** The pseudonym service's base URL (its keys join the trust registry). */
  pseudonymUrl: string;
  env?: Record<string, string>;
}

/** The regional hub; ready at /ready. */
export function hubProcess(o: HubProcessOptions): ProcessSpec {
  return serviceProcess(
    "services/hub/src/main.ts",
    {
      PORT: String(o.port),
      ...(o.adminPort !== undefined ? { ADMIN_PORT: String(o.adminPort) } : {}),
      DATABASE_URL: o.databaseUrl,
      NATS_URL: o.natsUrl,
      BUS_NAMESPACE: o.namespace,
      NODES: o.nodes.map(([code, url]) => `${code}=${url}`).join(","),
      KEYS_DIR: o.keysDir,
      NODES_REFRESH_SECONDS: String(o.refreshSeconds),
      PSEUDONIEM_URL: o.pseudonymUrl,
      ...o.natsEnv?.("hub"),
      ...o.env,
    },
    `http://${HOST}:${o.port}/ready`,
  );
}

export interface PseudonymProcessOptions extends RegionWiring {
  port: number;
  hubUrl: string;
  /** The file of its key versions (PSEUDONIEM_SLEUTELS_BESTAND; created with version 1 when missing). */
  keyFile: string;
  env?: Record<string, string>;
}

/** The region's pseudonym service (docs/adr/0024); ready at /ready. */
export function pseudonymProcess(o: PseudonymProcessOptions): ProcessSpec {
  return serviceProcess(
    "services/pseudonym/src/main.ts",
    {
      PORT: String(o.port),
      NATS_URL: o.natsUrl,
      BUS_NAMESPACE: o.namespace,
      HUB_URL: o.hubUrl,
      KEYS_DIR: o.keysDir,
      PSEUDONIEM_SLEUTELS_BESTAND: o.keyFile,
      ...o.natsEnv?.("pseudoniem"),
      ...o.env,
    },
    `http://${HOST}:${o.port}/ready`,
  );
}

/** TLS material as files (TLS_CA, TLS_CERT, TLS_KEY): issued beforehand, so no two processes write the dev CA at once. */
export interface TlsFiles {
  ca: string;
  cert: string;
  key: string;
}

const tlsEnv = (t: TlsFiles): Record<string, string> => ({ TLS_CA: t.ca, TLS_CERT: t.cert, TLS_KEY: t.key });

/**
 * The reference national index (docs/national-chain.md): HTTPS with mutual TLS on `port`, ready when its admin port
 * answers /health; `bridges` is BRUGGEN. Its own schema (`landelijk`) in `databaseUrl`. No interval is set here:
 * the production defaults apply unless `env` says otherwise.
 */
export function nationalIndexProcess(o: {
  port: number;
  adminPort: number;
  databaseUrl: string;
  oin: string;
  tls: TlsFiles;
  bridges: ReadonlyArray<{ regio: string; oin: string; url: string }>;
  env?: Record<string, string>;
}): ProcessSpec {
  return serviceProcess(
    "services/national-index/src/main.ts",
    {
      PORT: String(o.port),
      ADMIN_PORT: String(o.adminPort),
      DATABASE_URL: o.databaseUrl,
      OIN: o.oin,
      ...tlsEnv(o.tls),
      BRUGGEN: o.bridges.map((b) => `${b.regio}=${b.oin}=${b.url}`).join(","),
      ...o.env,
    },
    `http://${HOST}:${o.adminPort}/health`,
  );
}

/** The national pseudonym service: HTTPS with mutual TLS on `port`, ready when its admin port answers /health. */
export function nationalPseudonymProcess(o: {
  port: number;
  adminPort: number;
  oin: string;
  tls: TlsFiles;
  bridgeOins: readonly string[];
  keyFile: string;
  env?: Record<string, string>;
}): ProcessSpec {
  return serviceProcess(
    "services/pseudonym/src/national-main.ts",
    {
      PORT: String(o.port),
      ADMIN_PORT: String(o.adminPort),
      OIN: o.oin,
      ...tlsEnv(o.tls),
      BRUG_OINS: o.bridgeOins.join(","),
      PSEUDONIEM_SLEUTELS_BESTAND: o.keyFile,
      ...o.env,
    },
    `http://${HOST}:${o.adminPort}/health`,
  );
}

export interface BridgeProcessOptions extends RegionWiring {
  /** The region's id at the national index (`amsterdam`, `zuid-kennemerland`). */
  regio: string;
  /** REGIO_GEMEENTEN (the gemeenten whose nodes may ask it). */
  gemeenten: string;
  /** HTTP inside the region (the hub's BRUG_URL; ready at /ready) and HTTPS for the national index. */
  port: number;
  nationalPort: number;
  /** Its schema in `databaseUrl` (`brug`, `brug_zuid_kennemerland`). */
  schema: string;
  hubUrl: string;
  oin: string;
  tls: TlsFiles;
  nationalUrl: string;
  nationalOin: string;
  pseudonymUrl: string;
  pseudonymOin: string;
  env?: Record<string, string>;
}

/** A region's bridge to the national index; ready at /ready. No interval is set: the production defaults apply. */
export function bridgeProcess(o: BridgeProcessOptions): ProcessSpec {
  return serviceProcess(
    "services/lvi-bridge/src/main.ts",
    {
      PORT: String(o.port),
      LANDELIJK_PORT: String(o.nationalPort),
      REGIO: o.regio,
      REGIO_GEMEENTEN: o.gemeenten,
      DATABASE_URL: o.databaseUrl,
      DB_SCHEMA: o.schema,
      NATS_URL: o.natsUrl,
      BUS_NAMESPACE: o.namespace,
      HUB_URL: o.hubUrl,
      KEYS_DIR: o.keysDir,
      OIN: o.oin,
      ...tlsEnv(o.tls),
      LANDELIJK_URL: o.nationalUrl,
      LANDELIJK_OIN: o.nationalOin,
      PSEUDONIEM_LANDELIJK_URL: o.pseudonymUrl,
      PSEUDONIEM_LANDELIJK_OIN: o.pseudonymOin,
      ...o.natsEnv?.("brug"),
      ...o.env,
    },
    `http://${HOST}:${o.port}/ready`,
  );
}

/** The fake BRP with a generated population of `youths` (the fixture persons besides); ready at /health. */
export function fakeBrpProcess(o: { port: number; youths: number; seed: number; today: string; env?: Record<string, string> }): ProcessSpec {
  return serviceProcess(
    "services/fake-brp/src/main.ts",
    { PORT: String(o.port), BRP_POPULATION_YOUTHS: String(o.youths), BRP_SEED: String(o.seed), BRP_TODAY: o.today, ...o.env },
    `http://${HOST}:${o.port}/health`,
  );
}

/** The base URL of the BRP API of a fake BRP at `url`. */
export const brpApiUrl = (url: string): string => `${url}/haalcentraal/api/brp`;

/** The SMTP sink; ready at /health of its HTTP port. */
export function smtpSinkProcess(o: { smtpPort: number; httpPort: number; env?: Record<string, string> }): ProcessSpec {
  return serviceProcess(
    "services/smtp-sink/src/main.ts",
    { SMTP_PORT: String(o.smtpPort), HTTP_PORT: String(o.httpPort), ...o.env },
    `http://${HOST}:${o.httpPort}/health`,
  );
}

/**
 * A nats-server of its own with the project's configuration (a user per service, no anonymous access;
 * scripts/nats/setup.ts) written to `dir`, its JetStream store there too (kept across restarts); ready when the
 * port accepts.
 */
export function natsServerProcess(port: number, dir: string, namespace: string, gemeenten: readonly string[]): { spec: ProcessSpec; setup: NatsSetup } {
  const setup = writeNatsSetup({ dir, namespace, gemeenten, host: HOST, port, storeDir: join(dir, "store") });
  return { spec: { command: NATS_SERVER, args: ["-c", setup.configFile], env: {}, readyPort: port }, setup };
}

/**
 * A three-server (or `size`-server) JetStream cluster with the project's configuration (docs/adr/0033): one set of
 * users and keys in `dir`, a configuration per server (`nats-<i>.conf`, routes to the others with the generated
 * route login), a store per server. Processes `nats-1` … `nats-<size>`; `url` lists every server (NATS_URL).
 */
export function natsClusterProcesses(
  servers: ReadonlyArray<{ port: number; routePort: number }>,
  dir: string,
  namespace: string,
  gemeenten: readonly string[],
): { specs: Array<{ name: string; spec: ProcessSpec; serverName: string }>; setup: NatsSetup; url: string } {
  const routes = servers.map((s) => `${HOST}:${s.routePort}`);
  let setup: NatsSetup | undefined;
  const specs = servers.map((s, i) => {
    const serverName = `vi-nats-${i + 1}`;
    setup = writeNatsSetup({
      dir,
      namespace,
      gemeenten,
      host: HOST,
      port: s.port,
      storeDir: join(dir, `store-${i + 1}`),
      serverName,
      configName: `nats-${i + 1}.conf`,
      cluster: { name: "vi-test", listen: `${HOST}:${s.routePort}`, routes },
    });
    return { name: `nats-${i + 1}`, serverName, spec: { command: NATS_SERVER, args: ["-c", setup.configFile], env: {}, readyPort: s.port } };
  });
  return { specs, setup: setup!, url: servers.map((s) => `nats://${HOST}:${s.port}`).join(",") };
}

/** Streams (with `replicas` copies; NATS_REPLICAS) and every durable consumer of the region, as the provisioning user `beheer`. */
export async function provisionNats(url: string, namespace: string, gemeenten: readonly string[], setup: NatsSetup, replicas?: number): Promise<void> {
  const bus = await connectNatsBus({
    servers: url,
    name: "provisioning",
    namespace,
    log: { warn: () => undefined, error: () => undefined },
    ...(replicas !== undefined ? { replicas } : {}),
    ...natsLogin({ NATS_NKEY_SEED_FILE: setup.seedFile(BEHEER) }, BEHEER),
  });
  try {
    await bus.ensureStreams();
    for (const c of federationConsumers(gemeenten)) await bus.ensureConsumer(c);
  } finally {
    await bus.close();
  }
}

/** provisionNats, tried again until a newly formed cluster has elected its JetStream leader (at most `timeoutMs`). */
export async function provisionNatsWhenReady(
  url: string,
  namespace: string,
  gemeenten: readonly string[],
  setup: NatsSetup,
  replicas: number,
  timeoutMs = 30_000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      await provisionNats(url, namespace, gemeenten, setup, replicas);
      return;
    } catch (e) {
      if (Date.now() > until) throw new Error(`the NATS cluster at ${url} could not be provisioned: ${(e as Error).message}`, { cause: e });
      await sleep(500);
    }
  }
}

/** The dev issuer on a free port, its JWKS served over HTTP (nodes in processes fetch it). */
export async function startIssuerServer(): Promise<{ issuer: DevIssuer; url: string; close(): Promise<unknown> }> {
  const port = await freePort();
  const issuer = await loadOrCreateDevIssuer({ issuer: `http://${HOST}:${port}`, subjectOf: demoSubject });
  const server = await startDevIssuerServer(issuer, { port, host: HOST });
  return { issuer, url: server.url, close: () => server.close() };
}

/** Deletes the streams of a bus namespace (`<NS>_EVENTS`, `<NS>_DLQ`) from a shared NATS server. */
export async function deleteNamespaceStreams(natsUrl: string, namespace: string): Promise<void> {
  const nc = await natsConnect({ servers: natsUrl });
  try {
    const jsm = await jetstreamManager(nc);
    for (const s of ["EVENTS", "DLQ"]) await jsm.streams.delete(`${namespace.toUpperCase()}_${s}`).catch(() => false);
  } finally {
    await nc.close();
  }
}

// ---------------------------------------------------------------------------------------------------------------

export interface ProcessRegionOptions {
  gemeenten?: string[];
  population?: Partial<PopulationConfig>;
  /** A three-server JetStream cluster (processes nats-1 … nats-3, streams replicated three times) instead of one server. */
  natsCluster?: boolean;
  /** All nodes in one worker process named `nodes` (docs/adr/0045) instead of a process per gemeente. */
  nodeWorker?: boolean;
}

export interface ProcessRegion {
  today: string;
  gemeenten: string[];
  namespace: string;
  /** The server's URL, or every server's separated by commas (a cluster). */
  natsUrl: string;
  /** The NATS processes (`nats`, or `nats-1` … `nats-3`) and each one's server name (as JetStream names a stream's leader). */
  natsProcesses: Record<string, string>;
  /** Connection options of the operator user `beheer` (the test's own probes: the stream API is theirs only). */
  natsOperator: { authenticator: ReturnType<typeof nkeyAuthenticator> };
  databaseUrl: string;
  /** The test's own connection to the region's database (small pool). */
  sql: postgres.Sql;
  population: Population;
  brp: RunningFakeBrp;
  sink: SmtpSink;
  issuer: DevIssuer;
  procs: ProcessGroup;
  nodeUrl(code: string): string;
  hubUrl: string;
  /** A bearer token for an account (cached). */
  token(email: string): Promise<string>;
  /** A bus client on the region's namespace (for dead letters). */
  bus(): Promise<Bus>;
  /** Kills nats-server (SIGTERM: a restart; SIGKILL: a crash) and starts it again on the same port and store. */
  restartNats(signal?: NodeJS.Signals, downMs?: number): Promise<void>;
  dumpLogs(tail?: number): string;
  close(): Promise<void>;
}

/** Names of the processes: `nats`, `hub`, `pseudoniem`, and the gemeente codes (or `nodes`, one worker for all). */
export async function startProcessRegion(opts: ProcessRegionOptions = {}): Promise<ProcessRegion> {
  if (!existsSync(NATS_SERVER)) {
    throw new Error(
      `The fault tests run their own NATS server and need ${NATS_SERVER} (apt-get install nats-server; bash .ci/run installs it). It is missing.`,
    );
  }
  const gemeenten = opts.gemeenten ?? ["GM0363", "GM0479", "GM0384"];
  const today = todayInAmsterdam();
  const popConfig: PopulationConfig = { seed: 4711, youths: 20_000, today, ...opts.population };
  const population = generatePopulation(popConfig);
  const procs = new ProcessGroup();
  const cleanups: Array<() => Promise<unknown>> = [];
  const tmp = mkdtempSync(join(tmpdir(), "vi-faults-"));
  cleanups.push(async () => rmSync(tmp, { recursive: true, force: true }));
  let sqlClient: postgres.Sql | undefined;
  let busClient: Bus | undefined;

  const closeAll = async () => {
    await busClient?.close().catch(() => undefined);
    await procs.stopAll(["hub", ...gemeenten, "nodes", "pseudoniem", "nats", "nats-1", "nats-2", "nats-3"]);
    await sqlClient?.end({ timeout: 5 }).catch(() => undefined);
    for (const c of cleanups.reverse()) await c().catch((e: Error) => console.error(`cleanup failed: ${e.message}`));
  };

  try {
    const testDb = await createTestDatabase("vi_faults");
    cleanups.push(() => testDb.drop());
    sqlClient = postgres(testDb.url, { max: 4, onnotice: () => {}, connection: { application_name: "fault-test" } });

    // NATS: our own server (or cluster) with the project's users and permissions, JetStream store kept across restarts.
    const namespace = freshNamespace("f");
    let natsSpec: ProcessSpec | undefined;
    let natsSetup: NatsSetup;
    let natsUrl: string;
    const natsProcesses: Record<string, string> = {};
    if (opts.natsCluster) {
      const servers = [];
      for (let i = 0; i < 3; i++) servers.push({ port: await freePort(), routePort: await freePort() });
      const cluster = natsClusterProcesses(servers, join(tmp, "nats"), namespace, gemeenten);
      for (const c of cluster.specs) {
        procs.start(c.name, c.spec);
        natsProcesses[c.name] = c.serverName;
      }
      for (const c of cluster.specs) await procs.waitReady(c.name, 15_000);
      natsSetup = cluster.setup;
      natsUrl = cluster.url;
      await provisionNatsWhenReady(natsUrl, namespace, gemeenten, natsSetup, 3);
    } else {
      const natsPort = await freePort();
      const single = natsServerProcess(natsPort, join(tmp, "nats"), namespace, gemeenten);
      natsSpec = single.spec;
      natsSetup = single.setup;
      procs.start("nats", natsSpec);
      natsProcesses.nats = "verwijsindex-nats";
      await procs.waitReady("nats", 15_000);
      natsUrl = `nats://127.0.0.1:${natsPort}`;
      await provisionNats(natsUrl, namespace, gemeenten, natsSetup);
    }
    const natsEnv = (user: string) => ({ NATS_NKEY_SEED_FILE: natsSetup.seedFile(user) });

    const brp = await startFakeBrp({ port: 0, host: "127.0.0.1", today, population: popConfig });
    cleanups.push(() => brp.close());
    const sink = await startSmtpSink({ smtpPort: 0, httpPort: 0, maxMessages: 1_000_000 });
    cleanups.push(() => sink.close());
    const issuerServer = await startIssuerServer();
    const issuer = issuerServer.issuer;
    cleanups.push(() => issuerServer.close());

    const wiring: RegionWiring = { databaseUrl: testDb.url, natsUrl, namespace, keysDir: join(tmp, "keys"), natsEnv };
    const hubPort = await freePort();
    const hubUrl = `http://127.0.0.1:${hubPort}`;
    const hubAdminPort = await freePort();
    const pseudonymPort = await freePort();
    const ports = new Map<string, number>();
    for (const c of gemeenten) ports.set(c, await freePort());
    const nodeUrl = (c: string) => {
      const p = ports.get(c);
      if (!p) throw new Error(`node ${c} not in this region`);
      return `http://127.0.0.1:${p}`;
    };

    // The demo register plus the fault tests' professionals, connected to every node started here.
    const registerFile = writeRegisterFile(tmp, faultRegister(gemeenten));
    procs.start(
      "hub",
      hubProcess({
        ...wiring,
        port: hubPort,
        adminPort: hubAdminPort,
        nodes: gemeenten.map((c) => [c, nodeUrl(c)] as const),
        refreshSeconds: 2,
        pseudonymUrl: `http://127.0.0.1:${pseudonymPort}`,
      }),
    );
    // The pseudonym service starts beside the hub (it needs only NATS; the hub's trust registry comes lazily).
    procs.start("pseudoniem", pseudonymProcess({ ...wiring, port: pseudonymPort, hubUrl, keyFile: join(tmp, "pseudoniem-sleutels.json") }));
    await procs.waitReady("hub");
    await procs.waitReady("pseudoniem");

    const nodeOptions = (code: string): NodeProcessOptions => {
      if (!gemeenteByCode(code)) throw new Error(`unknown gemeente ${code}`);
      return {
        ...wiring,
        gemeente: code,
        port: ports.get(code)!,
        hubUrl,
        brpUrl: brp.baseUrl,
        issuer: issuer.issuer,
        jwksUrl: `${issuer.issuer}/jwks.json`,
        smtpPort: sink.smtpPort,
        registerFile,
      };
    };
    if (opts.nodeWorker) {
      procs.start("nodes", nodeWorkerProcess(gemeenten.map(nodeOptions)));
      await procs.waitReady("nodes");
    } else {
      for (const code of gemeenten) procs.start(code, nodeProcess(nodeOptions(code)));
      // In sequence: the nodes migrate under an advisory lock anyway, and two cores are few.
      for (const code of gemeenten) await procs.waitReady(code);
    }

    // The hub lists every node as ready (it has fetched their keys) and has the pseudonym service's keys: the trust registry is complete.
    const until = Date.now() + 30_000;
    for (;;) {
      const nodes = await fetch(`http://127.0.0.1:${hubAdminPort}/api/v1/nodes`)
        .then((r) => r.json() as Promise<{ nodes: { code: string; status: string }[] }>)
        .catch(() => ({ nodes: [] }));
      const trust = await fetch(`${hubUrl}/api/v1/vertrouwen/jwks.json`)
        .then((r) => r.json() as Promise<{ keys: { iss?: string }[] }>)
        .catch(() => ({ keys: [] }));
      const pseudonymKnown = trust.keys.some((k) => k.iss === "pseudoniem");
      if (pseudonymKnown && gemeenten.every((c) => nodes.nodes.find((n) => n.code === c)?.status === "gereed")) break;
      if (Date.now() > until) throw new Error(`the hub does not see every node as gereed: ${JSON.stringify(nodes)}\n${procs.logs("hub", 40)}`);
      await sleep(250);
    }

    const tokens = new Map<string, string>();
    const region: ProcessRegion = {
      today,
      gemeenten,
      namespace,
      natsUrl,
      natsProcesses,
      natsOperator: { authenticator: nkeyAuthenticator(new TextEncoder().encode(readFileSync(natsSetup.seedFile(BEHEER), "utf8").trim())) },
      databaseUrl: testDb.url,
      sql: sqlClient,
      population,
      brp,
      sink,
      issuer,
      procs,
      nodeUrl,
      hubUrl,
      async token(email) {
        if (!tokens.has(email)) tokens.set(email, await issuer.sign(email));
        return tokens.get(email)!;
      },
      async bus() {
        // as the operator: reading dead letters is the stream API, which no service may use
        busClient ??= await connectNatsBus({
          servers: natsUrl,
          name: "fault-test",
          namespace,
          log: { warn: () => {}, error: () => {} },
          ...natsLogin({ NATS_NKEY_SEED_FILE: natsSetup.seedFile(BEHEER) }, BEHEER),
        });
        return busClient;
      },
      async restartNats(signal = "SIGTERM", downMs = 1000) {
        if (!natsSpec) throw new Error("restartNats restarts the one server of a region without a cluster");
        await procs.kill("nats", signal);
        await sleep(downMs);
        procs.start("nats", natsSpec);
        await procs.waitReady("nats", 15_000);
      },
      dumpLogs(tail = 150) {
        return procs.logs(undefined, tail);
      },
      close: closeAll,
    };
    return region;
  } catch (e) {
    const logs = procs.logs(undefined, 60);
    await closeAll();
    throw new Error(`${(e as Error).message}\n--- process output ---\n${logs}`, { cause: e });
  }
}
