/**
 * A small region (municipal nodes and the hub) as real child processes, so a
 * fault test can `kill -9` one and start it again, with its own nats-server
 * (killed and restarted by the test, never the machine's) and a database of
 * its own on the PostgreSQL of DATABASE_URL (a schema per service).
 *
 * In the test process: the fake BRP (with a generated population), the dev
 * issuer (its JWKS over HTTP) and the SMTP sink.
 *
 * Every child's stdout and stderr (pino writes to stdout) is kept in a ring
 * buffer, printed by `dumpLogs()` when a test fails. `close()` ends everything
 * this module started, also after a failure.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { connectNatsBus, type Bus } from "@vi/bus";
import { loadOrCreateDevIssuer, startDevIssuerServer, type DevIssuer } from "@vi/auth";
import { generatePopulation, gemeenteByCode, todayInAmsterdam, type Population, type PopulationConfig } from "@vi/demo";
import { startFakeBrp, type RunningFakeBrp } from "@vi/fake-brp";
import { startSmtpSink, type SmtpSink } from "@vi/smtp-sink";
import { createTestDatabase } from "./database";

export const NATS_SERVER = "/usr/sbin/nats-server";
const REPO = resolve(import.meta.dirname, "../..");
const LOG_LINES = 3000;

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once("error", rej);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface ProcessSpec {
  command: string;
  args: string[];
  env: Record<string, string>;
  /** GET this URL until 200 (HTTP services). */
  readyUrl?: string;
  /** Or: until this TCP port accepts (nats-server). */
  readyPort?: number;
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
      stdio: ["ignore", "pipe", "pipe"],
    });
    const push = (stream: string) => (chunk: Buffer) => {
      for (const line of chunk.toString("utf8").split("\n")) {
        if (!line) continue;
        m.lines.push(`[${name}#${m.starts} ${stream}] ${line}`);
      }
      if (m.lines.length > LOG_LINES) m.lines.splice(0, m.lines.length - LOG_LINES);
    };
    child.stdout!.on("data", push("out"));
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

  /** SIGTERM to all (services first, given order), SIGKILL after a grace period. */
  async stopAll(order: string[] = []): Promise<void> {
    const names = [...order.filter((n) => this.procs.has(n)), ...[...this.procs.keys()].filter((n) => !order.includes(n))];
    for (const n of names) {
      const m = this.procs.get(n)!;
      if (!m.child || !this.running(n)) continue;
      m.expectingExit = true;
      m.child.kill("SIGTERM");
      const done = await Promise.race([m.exited!.then(() => true), sleep(5_000).then(() => false)]);
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
  const { connect } = await import("node:net");
  return new Promise((res) => {
    const s = connect({ port, host: "127.0.0.1" });
    s.once("connect", () => {
      s.destroy();
      res(true);
    });
    s.once("error", () => res(false));
  });
}

// ---------------------------------------------------------------------------------------------------------------

export interface ProcessRegionOptions {
  gemeenten?: string[];
  population?: Partial<PopulationConfig>;
}

export interface ProcessRegion {
  today: string;
  gemeenten: string[];
  namespace: string;
  natsUrl: string;
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

/** Names of the processes: `nats`, `hub`, and the gemeente codes. */
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
    await procs.stopAll(["hub", ...gemeenten, "nats"]);
    await sqlClient?.end({ timeout: 5 }).catch(() => undefined);
    for (const c of cleanups.reverse()) await c().catch((e: Error) => console.error(`cleanup failed: ${e.message}`));
  };

  try {
    const testDb = await createTestDatabase("vi_faults");
    cleanups.push(() => testDb.drop());
    sqlClient = postgres(testDb.url, { max: 4, onnotice: () => {}, connection: { application_name: "fault-test" } });

    // NATS: our own server, JetStream store kept across restarts.
    const natsPort = await freePort();
    const natsDir = join(tmp, "nats");
    const natsSpec: ProcessSpec = {
      command: NATS_SERVER,
      args: ["-a", "127.0.0.1", "-p", String(natsPort), "-js", "-sd", natsDir],
      env: {},
      readyPort: natsPort,
    };
    procs.start("nats", natsSpec);
    await procs.waitReady("nats", 15_000);
    const natsUrl = `nats://127.0.0.1:${natsPort}`;
    const namespace = `f${randomBytes(4).toString("hex")}`;

    const brp = await startFakeBrp({ port: 0, host: "127.0.0.1", today, population: popConfig });
    cleanups.push(() => brp.close());
    const sink = await startSmtpSink({ smtpPort: 0, httpPort: 0, maxMessages: 1_000_000 });
    cleanups.push(() => sink.close());
    const issuerPort = await freePort();
    const issuer = await loadOrCreateDevIssuer({ issuer: `http://127.0.0.1:${issuerPort}` });
    const issuerServer = await startDevIssuerServer(issuer, { port: issuerPort, host: "127.0.0.1" });
    cleanups.push(() => issuerServer.close());

    const keysDir = join(tmp, "keys");
    const regionKey = randomBytes(32).toString("hex");
    const hubPort = await freePort();
    const hubUrl = `http://127.0.0.1:${hubPort}`;
    const ports = new Map<string, number>();
    for (const c of gemeenten) ports.set(c, await freePort());
    const nodeUrl = (c: string) => {
      const p = ports.get(c);
      if (!p) throw new Error(`node ${c} not in this region`);
      return `http://127.0.0.1:${p}`;
    };
    const tsx = ["--import", "tsx"];

    procs.start("hub", {
      command: process.execPath,
      args: [...tsx, "services/hub/src/main.ts"],
      env: {
        PORT: String(hubPort),
        HOST: "127.0.0.1",
        DATABASE_URL: testDb.url,
        NATS_URL: natsUrl,
        BUS_NAMESPACE: namespace,
        NODES: gemeenten.map((c) => `${c}=${nodeUrl(c)}`).join(","),
        KEYS_DIR: keysDir,
        NODES_REFRESH_SECONDS: "2",
        LOG_LEVEL: "warn",
      },
      readyUrl: `${hubUrl}/ready`,
    });
    await procs.waitReady("hub");

    for (const code of gemeenten) {
      if (!gemeenteByCode(code)) throw new Error(`unknown gemeente ${code}`);
      procs.start(code, {
        command: process.execPath,
        args: [...tsx, "services/node/src/main.ts"],
        env: {
          GEMEENTE: code,
          PORT: String(ports.get(code)),
          HOST: "127.0.0.1",
          DATABASE_URL: testDb.url,
          NATS_URL: natsUrl,
          BUS_NAMESPACE: namespace,
          HUB_URL: hubUrl,
          BRP_URL: brp.baseUrl,
          AUTH_ISSUER: issuer.issuer,
          AUTH_JWKS_URL: `${issuer.issuer}/jwks.json`,
          REGIO_PSEUDONIEM_SLEUTEL: regionKey,
          KEYS_DIR: keysDir,
          SMTP_HOST: "127.0.0.1",
          SMTP_PORT: String(sink.smtpPort),
          DEMO_DATA: "true",
          RETENTIE_INTERVAL_MINUTEN: "0",
          BRP_MUTATIES_INTERVAL_MS: "0",
          LOG_LEVEL: "warn",
        },
        readyUrl: `${nodeUrl(code)}/ready`,
      });
    }
    // In sequence: the nodes migrate under an advisory lock anyway, and two cores are few.
    for (const code of gemeenten) await procs.waitReady(code);

    // The hub lists every node as ready (it has fetched their keys): the trust registry is complete.
    const until = Date.now() + 30_000;
    for (;;) {
      const nodes = await fetch(`${hubUrl}/api/v1/nodes`)
        .then((r) => r.json() as Promise<{ nodes: { code: string; status: string }[] }>)
        .catch(() => ({ nodes: [] }));
      if (gemeenten.every((c) => nodes.nodes.find((n) => n.code === c)?.status === "gereed")) break;
      if (Date.now() > until) throw new Error(`the hub does not see every node as gereed: ${JSON.stringify(nodes)}\n${procs.logs("hub", 40)}`);
      await sleep(250);
    }

    const tokens = new Map<string, string>();
    const region: ProcessRegion = {
      today,
      gemeenten,
      namespace,
      natsUrl,
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
        busClient ??= await connectNatsBus({ servers: natsUrl, name: "fault-test", namespace, log: { warn: () => {}, error: () => {} } });
        return busClient;
      },
      async restartNats(signal = "SIGTERM", downMs = 1000) {
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
