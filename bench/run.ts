/**
 * `npm run bench`: the federation (13 nodes and the hub as separate processes)
 * on the machine's PostgreSQL and NATS, measured against baselines taken in
 * the same run. Writes bench/results/latest.json. See bench/results/README.md.
 *
 * The order: baselines; the region started; a warm-up; VACUUM ANALYZE; a
 * closed-loop throughput run over a shuffled mix (client, family within a
 * gemeente, family across gemeenten, no match) with the CPU time of every
 * process group read from /proc; open-loop latency at 25, 50 and 80 % of the
 * measured capacity, each request timed from its scheduled send; the same
 * latency at 10 thousand, 100 thousand and 1 million stored signals at one
 * sub-capacity rate; peak memory.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { cpus, totalmem, tmpdir } from "node:os";
import { randomBytes } from "node:crypto";
import { join, resolve } from "node:path";
import postgres from "postgres";
import { connect } from "@nats-io/transport-node";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { GEMEENTEN, generatePopulation, type BrpRecord } from "@vi/demo";
import { ageOn, systemClock, todayIn } from "@vi/domain";
import { matchId } from "@vi/events";
import { keyOfVersion } from "@vi/pseudonym";
import { freshNamespace, natsUrl } from "../test/support/constants";
import { createDatabase } from "../test/support/database";
import { writeRegisterFile } from "../test/support/register";
import {
  brpApiUrl,
  deleteNamespaceStreams,
  fakeBrpProcess,
  freePort,
  hubProcess,
  nodeProcess,
  nodeWorkerProcess,
  pseudonymProcess,
  ProcessGroup,
  smtpSinkProcess,
  startIssuerServer,
  type ProcessSpec,
  type RegionWiring,
} from "../test/support/processes";
import { mergeResults, runCrossRegion } from "./cross-region";
import { bulkImport, type ImportProfessional } from "./import";

const DATABASE_URL = process.env.DATABASE_URL;
const NATS_URL = natsUrl();
if (!DATABASE_URL) {
  console.error("npm run bench needs PostgreSQL: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres) and NATS_URL.");
  process.exit(2);
}
// BENCH_RESULTS: another file (a smoke run at a small scale must not replace the real figures).
const RESULTS_FILE = process.env.BENCH_RESULTS ? resolve(process.env.BENCH_RESULTS) : join(resolve(import.meta.dirname, "results"), "latest.json");
/** `npm run bench -- --alleen landelijk` (or BENCH_ALLEEN=landelijk): only the cross-region section, merged into the results. */
const ONLY = (() => {
  const i = process.argv.indexOf("--alleen");
  const v = i >= 0 ? process.argv[i + 1] : process.env.BENCH_ALLEEN;
  if (v !== undefined && v !== "landelijk") {
    console.error(`--alleen ${v}: unknown section (known: landelijk)`);
    process.exit(2);
  }
  return v;
})();
/**
 * The services run in the form they ship in (docs/adr/0041): the bundle of `npm run build:services`, built here first,
 * started as `node --enable-source-maps dist/<service>/main.mjs`. BENCH_TSX=1 runs them from source through tsx instead
 * (about 40-60 MiB more per process). Set before any process is started: the harness reads VI_SERVICES_FROM_DIST.
 */
const SERVICE_FORM: "bundle" | "tsx" = process.env.BENCH_TSX === "1" ? "tsx" : "bundle";
if (SERVICE_FORM === "bundle") {
  execFileSync(process.execPath, [join(resolve(import.meta.dirname, ".."), "scripts/build-services.mjs")], { stdio: "inherit" });
  process.env.VI_SERVICES_FROM_DIST = "1";
} else {
  delete process.env.VI_SERVICES_FROM_DIST;
}
console.log(`services run as ${SERVICE_FORM === "bundle" ? "bundles (dist/, BENCH_TSX=1 for tsx)" : "TypeScript through tsx (BENCH_TSX=1)"}`);
const benchStarted = Date.now();
const crossRegionLog = (msg: string) => console.log(`[bench ${((Date.now() - benchStarted) / 1000).toFixed(0).padStart(3)}s] ${msg}`);
/** The cross-region section (bench/cross-region.ts): its keys merged into the results file, every other key kept. */
async function crossRegionSection(): Promise<void> {
  const r = await runCrossRegion({ adminDatabaseUrl: DATABASE_URL!, natsUrl: NATS_URL, log: crossRegionLog });
  crossRegionLog(
    `cross-region family match (ack of the second registration -> notice at the other region's node): p50 ${r.crossRegionP50Ms} ms, p99 ${r.crossRegionP99Ms} ms over ${r.crossRegionSamples} pairs at ${r.crossRegionRatePerS}/s sent (${r.crossRegion.missing} missing); stages ${JSON.stringify(r.crossRegion.stages)}`,
  );
  mkdirSync(resolve(RESULTS_FILE, ".."), { recursive: true });
  mergeResults(RESULTS_FILE, { ...r });
  crossRegionLog(`merged the cross-region figures into ${RESULTS_FILE}`);
}
if (ONLY === "landelijk") {
  try {
    await crossRegionSection();
    process.exit(0);
  } catch (e) {
    console.error(e);
    process.exit(1);
  }
}
const POPULATION = Number(process.env.BENCH_POPULATION ?? 2_600_000);
const LEVELS = (process.env.BENCH_LEVELS ?? "10000,100000,1000000").split(",").map(Number);
/** Seconds of steady closed-loop load, after the warm-up. */
const STEADY_S = Number(process.env.BENCH_STEADY_S ?? 60);
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 10);
/** Requests in flight in the closed loop: enough to keep both cores busy. */
const CLOSED_LOOP_WORKERS = Number(process.env.BENCH_WORKERS ?? 32);
/** Seconds of each open-loop latency run. */
const LATENCY_S = Number(process.env.BENCH_LATENCY_S ?? 15);
const LEVEL_LATENCY_S = Number(process.env.BENCH_LEVEL_LATENCY_S ?? 20);
/** The rate of the stored-signal levels, as a fraction of the measured capacity. */
const LEVEL_FRACTION = 0.5;
/** The sub-capacity fractions the latency is measured at. */
const FRACTIONS = [0.25, 0.5, 0.8];
/** Seconds between a unit's two registrations in the open loop (the second professional signals after the first). */
const PAIR_GAP_S = 0.5;
const NODE_POOL = 4;
/**
 * The processes the thirteen nodes run in (docs/adr/0045): by default 4 node workers, each serving three or four
 * gemeenten (dealt round-robin, so the larger gemeenten are spread), the one-machine shape; 13 runs a process per
 * gemeente, as a gemeente on a machine of its own would.
 */
const NODE_PROCESSES = Number(process.env.BENCH_NODE_PROCESSES ?? 4);
const HUB_POOL = 8;
const started = Date.now();
const log = (msg: string) => console.log(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(3)}s] ${msg}`);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

/** Clock ticks per second of /proc/<pid>/stat's utime and stime. */
const CLK_TCK = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;

/** CPU milliseconds (user + system) a process has used so far; 0 when it is gone. */
function cpuMsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
  } catch {
    return 0;
  }
}

/** CPU milliseconds of this process's children that have ended and been waited for (the rebuild CLI). */
function waitedChildrenCpuMs(): number {
  const stat = readFileSync("/proc/self/stat", "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / CLK_TCK;
}

/** The pids of every process whose command name is `comm` (PostgreSQL's backends, the NATS server). */
function pidsNamed(comm: string): number[] {
  const out: number[] = [];
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readFileSync(`/proc/${d}/comm`, "utf8").trim() === comm) out.push(Number(d));
    } catch {
      /* gone */
    }
  }
  return out;
}

/** A process's command line ("" when it is gone). */
function cmdlineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim();
  } catch {
    return "";
  }
}

/** Peak resident set size (VmHWM) of a process, in MiB. */
function peakRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return Math.round((kb / 1024) * 10) / 10;
}

// ---------------------------------------------------------------- setup
const database = await createDatabase(DATABASE_URL, "vi_bench");
const dbUrl = database.url;
const namespace = freshNamespace("b");
const today = todayIn(systemClock);
// The pseudonym service's key version 1: its seed made here, so the bulk import can write the hub's index with
// the same pseudonyms the service gives the nodes (bench/import.ts).
const pseudonymSeed = randomBytes(32);
const pseudonymKey = keyOfVersion(pseudonymSeed, "regio", 1).secretKey;
const BENCH_PROS = ["bench-a", "bench-b", "bench-c", "bench-import"].map((p) => `${p}@bench.example`);
const keysDir = mkdtempSync(join(tmpdir(), "vi-bench-keys-"));
// The services run as processes of the region harness (test/support/processes.ts), inheriting this process's
// environment; BENCH_CPU_PROF=<service>[,<service>…] profiles those. Never left running when the benchmark dies.
const procs = new ProcessGroup();
process.once("exit", () => procs.killAllNow());
const profiled = (name: string): boolean => (process.env.BENCH_CPU_PROF ?? "").split(",").includes(name);
const benchProcess = (name: string, spec: ProcessSpec): void => {
  const prof = profiled(name) ? ["--cpu-prof", "--cpu-prof-dir=/tmp/vi-prof"] : [];
  const inherited = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
  procs.start(name, { ...spec, args: [...prof, ...spec.args], env: { ...inherited, ...spec.env }, stdout: "ignore" });
};
const serviceNames: string[] = [];
let sql: postgres.Sql | undefined;

async function cleanup() {
  await procs.stopAll(serviceNames, 10_000).catch(() => {});
  await sql?.end({ timeout: 5 }).catch(() => {});
  if (process.env.BENCH_KEEP) console.log(`kept database ${database.name}`);
  else await database.drop().catch(() => {});
  await deleteNamespaceStreams(NATS_URL, namespace).catch(() => {
    /* best effort */
  });
  rmSync(keysDir, { recursive: true, force: true });
}

try {
  // -------------------------------------------------------------- machine
  const pgVersion = await (async () => {
    const v = postgres(dbUrl, { max: 1, onnotice: () => {} });
    const [row] = await v`select current_setting('server_version') as v`;
    await v.end();
    return row!.v as string;
  })();
  const ncInfo = await connect({ servers: NATS_URL });
  const natsVersion = ncInfo.info?.version ?? "unknown";
  await ncInfo.close();
  const machine = { cores: cpus().length, memoryGiB: round(totalmem() / 2 ** 30), node: process.version, postgres: pgVersion, nats: natsVersion };
  log(`machine ${JSON.stringify(machine)}`);

  // -------------------------------------------------------------- baselines
  const connections = GEMEENTEN.length * NODE_POOL + HUB_POOL;
  const baselineInsertPerS = await (async () => {
    const b = postgres(dbUrl, { max: connections, onnotice: () => {} });
    await b`create table bench_insert (id bigserial primary key, at timestamptz not null default now(), v text not null)`;
    let n = 0;
    const until = Date.now() + 8000;
    const t0 = Date.now();
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (Date.now() < until) {
          await b`insert into bench_insert (v) values (${"x"})`;
          n++;
        }
      }),
    );
    const rate = n / ((Date.now() - t0) / 1000);
    await b`drop table bench_insert`;
    await b.end();
    return rate;
  })();
  log(`baseline: ${baselineInsertPerS.toFixed(0)} single-row INSERT commits/s over ${connections} connections`);

  const baselineNatsPublishPerS = await (async () => {
    const nc = await connect({ servers: NATS_URL });
    const jsm = await jetstreamManager(nc);
    const stream = `${namespace.toUpperCase()}_BASELINE`;
    await jsm.streams.add({ name: stream, subjects: [`${namespace}.baseline.>`] });
    const js = jetstream(nc);
    let n = 0;
    const until = Date.now() + 5000;
    const t0 = Date.now();
    const payload = new TextEncoder().encode("x".repeat(700)); // about the size of a signed event
    await Promise.all(
      Array.from({ length: 64 }, async (_, w) => {
        while (Date.now() < until) {
          await js.publish(`${namespace}.baseline.x`, payload, { msgID: `${w}-${n}-${Math.random()}` });
          n++;
        }
      }),
    );
    const rate = n / ((Date.now() - t0) / 1000);
    await jsm.streams.delete(stream);
    await nc.close();
    return rate;
  })();
  log(`baseline: ${baselineNatsPublishPerS.toFixed(0)} JetStream publishes/s (64 in flight)`);

  // -------------------------------------------------------------- population
  const pop = generatePopulation({ seed: 11, youths: POPULATION, today });
  const region = new Set(GEMEENTEN.map((g) => g.code));
  const institutions = new Set(pop.institutionAddressIds());
  const usable = (y: BrpRecord) =>
    region.has(y.gemeenteCode) && !y.overlijdensdatum && ageOn(y.geboortedatum, today) < 22 && !institutions.has(y.adres.adresseerbaarObjectId);
  const byParent = new Map<string, number[]>();
  for (let i = 0; i < pop.size.youths; i++) {
    const y = pop.byBsn(pop.youthBsn(i))!;
    if (!usable(y)) continue;
    for (const p of y.ouders) {
      const list = byParent.get(p);
      if (list) list.push(i);
      else byParent.set(p, [i]);
    }
  }
  const youth = (i: number) => pop.byBsn(pop.youthBsn(i))!;
  const usedParents = new Set<string>();
  const usedAddresses = new Set<string>();
  const free = (y: BrpRecord) => !y.ouders.some((p) => usedParents.has(p)) && !usedAddresses.has(y.adres.adresseerbaarObjectId);
  const take = (y: BrpRecord) => {
    for (const p of y.ouders) usedParents.add(p);
    usedAddresses.add(y.adres.adresseerbaarObjectId);
  };
  /** The mix's families: siblings in one gemeente, and siblings in two (matched by the hub). */
  const families: [BrpRecord, BrpRecord][] = [];
  const acrossFamilies: [BrpRecord, BrpRecord][] = [];
  const MIX_UNITS = Number(process.env.BENCH_MIX_UNITS ?? 20_000);
  for (const kids of byParent.values()) {
    if (kids.length < 2) continue;
    const ys = kids.map(youth);
    if (!ys.every(free)) continue;
    const a = ys[0]!;
    const b = ys.find((y) => y.gemeenteCode !== a.gemeenteCode);
    if (b && acrossFamilies.length < MIX_UNITS) {
      acrossFamilies.push([a, b]);
      ys.forEach(take);
    } else if (!b && families.length < MIX_UNITS) {
      families.push([a, ys[1]!]);
      ys.forEach(take);
    }
  }
  // Single youths, no sibling in the work: a client match (two professionals) or no match at all.
  const singles: BrpRecord[] = [];
  for (let i = 0; i < pop.size.youths && singles.length < 2 * MIX_UNITS; i++) {
    const y = youth(i);
    if (!usable(y) || !free(y)) continue;
    take(y);
    singles.push(y);
  }
  log(
    `population of ${POPULATION} youths: for the mix ${families.length} families within a gemeente, ${acrossFamilies.length} across, ${singles.length} single youths`,
  );

  // -------------------------------------------------------------- services
  const issuerServer = await startIssuerServer();
  const issuer = issuerServer.issuer;
  // The fake BRP and the SMTP sink run as processes of their own, so the load generator does not slow them down.
  const brpPort = await freePort();
  benchProcess("fake-brp", fakeBrpProcess({ port: brpPort, youths: Math.min(POPULATION, 4_000_000), seed: 11, today }));
  const smtpPort = await freePort();
  benchProcess("smtp-sink", smtpSinkProcess({ smtpPort, httpPort: await freePort() }));
  await procs.waitReady("fake-brp", 120_000);
  await procs.waitReady("smtp-sink", 120_000);
  const brp = { baseUrl: brpApiUrl(`http://127.0.0.1:${brpPort}`) };
  const sink = { smtpPort };
  const hubPort = await freePort();
  const pseudonymPort = await freePort();
  const nodePorts = new Map<string, number>();
  for (const g of GEMEENTEN) nodePorts.set(g.code, await freePort());
  const wiring: RegionWiring = { databaseUrl: dbUrl, natsUrl: NATS_URL, namespace, keysDir };
  if (!(Number.isInteger(NODE_PROCESSES) && NODE_PROCESSES >= 1 && NODE_PROCESSES <= GEMEENTEN.length)) {
    throw new Error(`BENCH_NODE_PROCESSES must be a whole number from 1 to ${GEMEENTEN.length}`);
  }
  const nodeGroups: (typeof GEMEENTEN)[number][][] = Array.from({ length: NODE_PROCESSES }, () => []);
  for (const [i, g] of GEMEENTEN.entries()) nodeGroups[i % NODE_PROCESSES]!.push(g);
  const asWorkers = NODE_PROCESSES < GEMEENTEN.length;
  const nodeNames = asWorkers ? nodeGroups.map((_, i) => `node-werker-${i + 1}`) : GEMEENTEN.map((g) => `node-${g.code}`);
  // The benchmark's professionals are in the register (authorisation comes from it), connected to every node.
  const registerFile = writeRegisterFile(keysDir, {
    organisaties: [{ id: "bench", naam: "Benchmark Jeugdhulp", domein: "jeugdhulp", aangeslotenBij: GEMEENTEN.map((g) => g.code) }],
    professionals: BENCH_PROS.map((email) => ({
      email,
      naam: `Bench ${email.split("@")[0]}`,
      functie: "jeugdhulpverlener",
      telefoon: "020 555 0199",
      organisatieId: "bench",
      rol: "professional",
      signaleringsbevoegd: true,
      medisch: false,
    })),
  });
  const pseudonymKeyFile = join(keysDir, "pseudoniem-sleutels.json");
  writeFileSync(
    pseudonymKeyFile,
    JSON.stringify({ versies: [{ versie: 1, seed: pseudonymSeed.toString("base64url"), aangemaaktOp: new Date().toISOString() }] }),
    { mode: 0o600 },
  );
  benchProcess("pseudoniem", pseudonymProcess({ ...wiring, port: pseudonymPort, hubUrl: `http://127.0.0.1:${hubPort}`, keyFile: pseudonymKeyFile }));
  await procs.waitReady("pseudoniem", 120_000);
  serviceNames.push("pseudoniem");
  const nodeOptions = (g: (typeof GEMEENTEN)[number]) => ({
    ...wiring,
    gemeente: g.code,
    port: nodePorts.get(g.code)!,
    hubUrl: `http://127.0.0.1:${hubPort}`,
    brpUrl: brp.baseUrl,
    issuer: issuer.issuer,
    jwksUrl: `${issuerServer.url}/jwks.json`,
    smtpPort: sink.smtpPort,
    registerFile,
    env: { DB_POOL_MAX: String(NODE_POOL) },
  });
  if (asWorkers) for (const [i, group] of nodeGroups.entries()) benchProcess(nodeNames[i]!, nodeWorkerProcess(group.map(nodeOptions)));
  else for (const g of GEMEENTEN) benchProcess(`node-${g.code}`, nodeProcess(nodeOptions(g)));
  serviceNames.push("fake-brp", "smtp-sink", ...nodeNames);
  for (const n of nodeNames) await procs.waitReady(n, 120_000);
  benchProcess(
    "hub",
    hubProcess({
      ...wiring,
      port: hubPort,
      nodes: GEMEENTEN.map((g) => [g.code, `http://127.0.0.1:${nodePorts.get(g.code)}`] as const),
      refreshSeconds: 5,
      pseudonymUrl: `http://127.0.0.1:${pseudonymPort}`,
      env: { DB_POOL_MAX: String(HUB_POOL) },
    }),
  );
  serviceNames.push("hub");
  await procs.waitReady("hub", 120_000);
  log(`13 nodes${asWorkers ? ` in ${NODE_PROCESSES} worker processes` : ""} and the hub are up`);

  // Benchmark professionals, connected to every node.
  sql = postgres(dbUrl, { max: 8, onnotice: () => {} });
  const PROS = BENCH_PROS;
  const importProfs = new Map<string, ImportProfessional>();
  for (const g of GEMEENTEN) {
    const s = g.code.toLowerCase();
    await sql.unsafe(`insert into "${s}".organisaties (id, naam, domein) values ('bench', 'Benchmark Jeugdhulp', 'jeugdhulp') on conflict do nothing`);
    for (const email of PROS) {
      const [row] = await sql.unsafe(
        `insert into "${s}".professionals (email, naam, functie, telefoon, organisatie_id, rol, signaleringsbevoegd, medisch, lokaal)
         values ($1, $2, 'jeugdhulpverlener', '020 555 0199', 'bench', 'professional', true, false, true)
         on conflict (email) do update set naam = excluded.naam returning id`,
        [email, `Bench ${email.split("@")[0]}`],
      );
      if (email.startsWith("bench-import")) {
        importProfs.set(g.code, {
          id: row!.id as string,
          email,
          naam: `Bench ${email.split("@")[0]}`,
          functie: "jeugdhulpverlener",
          telefoon: "020 555 0199",
          organisatieId: "bench",
          organisatie: "Benchmark Jeugdhulp",
          domein: "jeugdhulp",
        });
      }
    }
    // The nodes must know the generated institution addresses to exclude them.
    await sql.unsafe(`insert into "${s}".instellingsadressen (adres_id) select unnest($1::text[]) on conflict do nothing`, [[...institutions]] as never[]);
  }
  const tokens = new Map<string, string>();
  for (const email of PROS) tokens.set(email, await issuer.sign(email, { expiresInSec: 3600 }));

  let failures = 0;
  const statuses = new Map<string, number>();
  const register = async (email: string, y: BrpRecord): Promise<{ id: string; ackAt: number } | undefined> => {
    try {
      return await registerOnce(email, y);
    } catch {
      failures++;
      return undefined;
    }
  };
  const registerOnce = async (email: string, y: BrpRecord): Promise<{ id: string; ackAt: number } | undefined> => {
    const res = await fetch(`http://127.0.0.1:${nodePorts.get(y.gemeenteCode)}/api/v1/signalen`, {
      method: "POST",
      headers: { authorization: `Bearer ${tokens.get(email)}`, "content-type": "application/json" },
      body: JSON.stringify({ bsn: y.bsn, geinformeerd: true }),
    });
    const ackAt = Date.now();
    const body = (await res.json()) as { signaal?: { id: string }; code?: string };
    statuses.set(`${res.status}${body.code ? ` ${body.code}` : ""}`, (statuses.get(`${res.status}${body.code ? ` ${body.code}` : ""}`) ?? 0) + 1);
    if (res.status !== 201) return undefined;
    return { id: body.signaal!.id, ackAt };
  };

  const jsmNc = await connect({ servers: NATS_URL });
  const jsm = await jetstreamManager(jsmNc);
  const settled = async (timeoutMs = 300_000) => {
    const until = Date.now() + timeoutMs;
    const schemas = [...GEMEENTEN.map((g) => g.code.toLowerCase()), "hub"];
    const durables = ["hub-index", ...GEMEENTEN.map((g) => `node-${g.code}-melding`)];
    while (Date.now() < until) {
      let pending = 0;
      for (const s of schemas) pending += Number((await sql!.unsafe(`select count(*)::int as n from "${s}".outbox where gepubliceerd_op is null`))[0]!.n);
      for (const d of durables) {
        const info = await jsm.consumers.info(`${namespace.toUpperCase()}_EVENTS`, d).catch(() => undefined);
        if (info) pending += info.num_pending + info.num_ack_pending;
      }
      if (pending === 0) return Date.now();
      await sleep(100);
    }
    throw new Error("the federation did not settle");
  };

  // -------------------------------------------------------------- work mix
  // Units of work, shuffled (no siblings adjacent in the list; a unit's registrations run one after the other):
  // the shares are an assumption after MULTIsignaal's 2023 figures (most signals find no match; of the matches,
  // client matches are the most common), documented in bench/results/README.md.
  type Unit = { kind: "geen" | "client" | "gezin" | "gezin-over-gemeenten"; steps: [string, BrpRecord][] };
  const units: Unit[] = [];
  let singleCursor = 0;
  const nextSingle = () => singles[singleCursor++];
  for (let i = 0; units.length < MIX_UNITS; i++) {
    const r = i % 20;
    if (r < 11) {
      const y = nextSingle();
      if (!y) break;
      units.push({ kind: "geen", steps: [["bench-a@bench.example", y]] });
    } else if (r < 16) {
      const y = nextSingle();
      if (!y) break;
      units.push({
        kind: "client",
        steps: [
          ["bench-a@bench.example", y],
          ["bench-c@bench.example", y],
        ],
      });
    } else if (r < 18) {
      const f = families.pop();
      if (!f) break;
      units.push({
        kind: "gezin",
        steps: [
          ["bench-a@bench.example", f[0]],
          ["bench-b@bench.example", f[1]],
        ],
      });
    } else {
      const f = acrossFamilies.pop();
      if (!f) break;
      units.push({
        kind: "gezin-over-gemeenten",
        steps: [
          ["bench-a@bench.example", f[0]],
          ["bench-b@bench.example", f[1]],
        ],
      });
    }
  }
  // A seeded Fisher-Yates shuffle: the same mix and order in every run.
  let seed = 0x9e3779b9;
  const rand = () => {
    seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return seed / 2 ** 32;
  };
  for (let i = units.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [units[i], units[j]] = [units[j]!, units[i]!];
  }
  let unitCursor = 0;

  /** Closed loop: `workers` loops, each taking the next unit, for `seconds`; the registrations acknowledged in it. */
  const closedLoop = async (seconds: number) => {
    let acked = 0;
    const until = Date.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: CLOSED_LOOP_WORKERS }, async () => {
        while (Date.now() < until) {
          const unit = units[unitCursor++];
          if (!unit) throw new Error("the work mix ran out: raise BENCH_MIX_UNITS");
          for (const [email, y] of unit.steps) if (await register(email, y)) acked++;
        }
      }),
    );
    return acked;
  };

  // -------------------------------------------------------------- CPU per process group
  // PostgreSQL's processes for this run: the backends of the benchmark's database and the server's own (WAL writer,
  // checkpointer, …), not the backends other work on the machine has open. NATS: the server the benchmark talks to.
  const natsPort = new URL(NATS_URL.split(",")[0]!.replace(/^nats:/, "http:")).port || "4222";
  const postgresOfRun = () =>
    pidsNamed("postgres").filter((pid) => {
      const cmd = cmdlineOf(pid);
      // A backend's title is "postgres: <cluster>: <user> <database> <client> <state>"; an auxiliary process names no client.
      return !/\(\d+\)|\[local\]/.test(cmd) || cmd.includes(` ${database.name} `);
    });
  const natsOfRun = () => {
    const all = pidsNamed("nats-server");
    const ours = all.filter((pid) => new RegExp(`(^|\\s)-(p|-port)[ =]${natsPort}(\\s|$)`).test(cmdlineOf(pid)));
    return ours.length ? ours : all;
  };
  const groups = (): Record<string, number[]> => ({
    nodes: nodeNames.map((n) => procs.pid(n)!).filter(Boolean),
    hub: [procs.pid("hub")!].filter(Boolean),
    pseudoniem: [procs.pid("pseudoniem")!].filter(Boolean),
    "fake-brp": [procs.pid("fake-brp")!].filter(Boolean),
    "smtp-sink": [procs.pid("smtp-sink")!].filter(Boolean),
    postgresql: postgresOfRun(),
    nats: natsOfRun(),
  });
  /** CPU ms per process group and pid (a pid's delta is taken against itself: a process that ends is not subtracted). */
  const cpuNow = () => {
    const out: Record<string, Map<number, number>> = {};
    for (const [g, pids] of Object.entries(groups())) out[g] = new Map(pids.map((pid) => [pid, cpuMsOf(pid)]));
    const own = process.cpuUsage();
    out["load generator"] = new Map([[process.pid, (own.user + own.system) / 1000]]);
    return out;
  };
  /** Per group: the CPU each process used between the snapshots (a process started between them counts whole). */
  const cpuUsed = (before: ReturnType<typeof cpuNow>, after: ReturnType<typeof cpuNow>) => {
    const out: Record<string, number> = {};
    for (const [g, pids] of Object.entries(after)) {
      let sum = 0;
      for (const [pid, ms] of pids) sum += ms - (before[g]?.get(pid) ?? 0);
      out[g] = sum;
    }
    return out;
  };

  /**
   * Every table of the run's database vacuumed and analysed, then a checkpoint: what a load left behind (dead outbox
   * rows, stale statistics; this machine's PostgreSQL runs without autovacuum) and what an import left to write (a
   * checkpoint started by an import's WAL fell inside the next level's latency run) are paid here, not inside a timed run. Every timed run starts from the same state.
   */
  const steadyState = async () => {
    await sql!.unsafe("vacuum analyze");
    try {
      await sql!.unsafe("checkpoint");
    } catch (e) {
      log(`no checkpoint before the run (${(e as Error).message}): the runs after an import may pay for its writes`);
    }
  };

  // -------------------------------------------------------------- warm-up
  // Connections, JIT, prepared plans and caches warm; then the tables analysed, so the run starts from a steady state.
  const warm = await closedLoop(WARMUP_S);
  await settled();
  await steadyState();
  log(`warm-up: ${warm} registrations in ${WARMUP_S} s, tables vacuumed and analysed, checkpoint`);

  // -------------------------------------------------------------- throughput (closed loop)
  // Where the time goes: what the database sessions wait on during the run.
  const waits = new Map<string, number>();
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const rows = await sql!.unsafe(
        `select application_name as app, state, coalesce(wait_event_type || ':' || wait_event, 'cpu') as w from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and state <> 'idle'`,
      );
      for (const r of rows) {
        const key = `${String(r.app).replace(/node-GM\d+/, "node")} ${r.state} ${r.w}`;
        waits.set(key, (waits.get(key) ?? 0) + 1);
      }
      await sleep(500);
    }
  })();
  const cpu0 = cpuNow();
  const t0 = Date.now();
  const acked = await closedLoop(STEADY_S);
  const tAcked = Date.now();
  sampling = false;
  await sampler;
  const tMatched = await settled();
  const cpu1 = cpuNow();
  log(`database sessions during the run (samples): ${JSON.stringify([...waits].sort((a, b) => b[1] - a[1]).slice(0, 8))}`);
  const ackPerS = acked / ((tAcked - t0) / 1000);
  // Fully matched: every registration of the window acknowledged and everything it caused (index, matches, notices) done.
  const throughputPerS = acked / ((tMatched - t0) / 1000);
  const cpuMsByGroup = Object.fromEntries(Object.entries(cpuUsed(cpu0, cpu1)).map(([g, ms]) => [g, round(ms / Math.max(1, acked), 2)]));
  const cpuMsPerRegistration = round(
    Object.entries(cpuMsByGroup)
      .filter(([g]) => g !== "load generator")
      .reduce((sum, [, v]) => sum + v, 0),
    2,
  );
  log(
    `throughput (closed loop, ${CLOSED_LOOP_WORKERS} in flight, ${STEADY_S} s): ${acked} acknowledged at ${ackPerS.toFixed(0)}/s, fully matched at ${throughputPerS.toFixed(0)}/s; CPU ms per registration ${cpuMsPerRegistration} without the load generator ${JSON.stringify(cpuMsByGroup)}`,
  );
  const capacityPerS = throughputPerS;

  // -------------------------------------------------------------- latency (open loop)
  type Timed = { n: number; p50: number; p99: number };
  const timed = (xs: number[]): Timed => ({ n: xs.length, p50: round(pct(xs, 50)), p99: round(pct(xs, 99)) });
  /**
   * Open loop at `rate` registrations/s for `seconds`, on the work mix the capacity was measured on (its next units,
   * docs/adr/0046). Each registration goes out at its slot whatever the answers; a unit's second registration (a
   * second professional on the same youth or a sibling) PAIR_GAP_S after its first, so a match is made when it lands.
   * Each match is timed from the second registration's *scheduled* send to the notice stored for the first
   * registration's professional at that professional's node (the counterpart's match; not before the second
   * registration was acknowledged), so a queue in front of the system counts; every acknowledgement is timed from its scheduled send too. The real send rate is reported beside it.
   */
  /**
   * What PostgreSQL wrote and read meanwhile: WAL records, full-page images (the first change to a page after a
   * checkpoint writes the whole page), WAL bytes, checkpoints, and blocks read from outside its buffers against those
   * found in them. A tail that grows with what is stored, and is not the index, shows here.
   */
  const storageCounters = async () => {
    const [w] = await sql!.unsafe(
      "select wal_records::bigint::text as records, wal_fpi::bigint::text as fpi, wal_bytes::bigint::text as bytes from pg_stat_wal",
    );
    const [c] = await sql!.unsafe("select (checkpoints_timed + checkpoints_req)::bigint::text as n from pg_stat_bgwriter");
    const [b] = await sql!.unsafe(
      "select blks_read::bigint::text as read, blks_hit::bigint::text as hit from pg_stat_database where datname = current_database()",
    );
    return {
      walRecords: Number(w!.records),
      walFpi: Number(w!.fpi),
      walBytes: Number(w!.bytes),
      checkpoints: Number(c!.n),
      blksRead: Number(b!.read),
      blksHit: Number(b!.hit),
    };
  };
  type StorageCounters = Awaited<ReturnType<typeof storageCounters>>;
  const storageUsed = (a: StorageCounters, b: StorageCounters, registrations: number) => ({
    walFpiPerRegistration: round((b.walFpi - a.walFpi) / Math.max(1, registrations), 2),
    walKiBPerRegistration: round((b.walBytes - a.walBytes) / 1024 / Math.max(1, registrations), 2),
    walRecordsPerRegistration: round((b.walRecords - a.walRecords) / Math.max(1, registrations), 2),
    checkpoints: b.checkpoints - a.checkpoints,
    blocksReadPerRegistration: round((b.blksRead - a.blksRead) / Math.max(1, registrations), 2),
    bufferHitPct: round((100 * (b.blksHit - a.blksHit)) / Math.max(1, b.blksHit - a.blksHit + b.blksRead - a.blksRead), 2),
  });

  const latencyRun = async (seconds: number, rate: number) => {
    const slotsN = Math.max(2, Math.round(rate * seconds));
    const gap = Math.max(1, Math.round(rate * PAIR_GAP_S));
    const taken: Unit[] = [];
    const slots: { unit: number; step: number }[] = new Array(slotsN);
    let free = 0;
    while (free < slotsN) {
      const unit = units[unitCursor++];
      if (!unit) throw new Error("the work mix ran out: raise BENCH_MIX_UNITS");
      let second = -1;
      if (unit.steps.length === 2) {
        second = free + gap;
        while (second < slotsN && slots[second]) second++;
        // No room for its second registration before the run ends: a unit that fits takes the slot.
        if (second >= slotsN) continue;
      }
      const u = taken.push(unit) - 1;
      slots[free] = { unit: u, step: 0 };
      if (second >= 0) slots[second] = { unit: u, step: 1 };
      while (free < slotsN && slots[free]) free++;
    }
    const acks: ({ id: string; due: number; ackAt: number } | undefined)[][] = taken.map((u) => u.steps.map(() => undefined));
    const ackMs: number[] = [];
    const inflight: Promise<void>[] = [];
    const storage0 = await storageCounters();
    const start = Date.now();
    let lastSend = start;
    for (const [i, slot] of slots.entries()) {
      const due = start + (i * 1000) / rate;
      const wait = due - Date.now();
      if (wait > 0) await sleep(wait);
      lastSend = Date.now();
      const [email, y] = taken[slot.unit]!.steps[slot.step]!;
      inflight.push(
        register(email, y).then((r) => {
          if (!r) return;
          acks[slot.unit]![slot.step] = { id: r.id, due, ackAt: r.ackAt };
          ackMs.push(r.ackAt - due);
        }),
      );
    }
    const sendRatePerS = slotsN > 1 ? (slotsN - 1) / ((lastSend - start) / 1000) : 0;
    await Promise.all(inflight);
    await settled();
    const storage = storageUsed(storage0, await storageCounters(), slotsN);
    // The counterpart of each match: the first registration's professional, at the node of the first youth.
    const byNode = new Map<string, { key: string; due: number; ackAt: number; kind: Unit["kind"]; email: string }[]>();
    let missing = 0;
    for (const [u, unit] of taken.entries()) {
      if (unit.kind === "geen") continue;
      const [a, b] = acks[u]!;
      if (!a || !b) {
        missing++;
        continue;
      }
      const [email, y] = unit.steps[0]!;
      const node = y.gemeenteCode.toLowerCase();
      const list = byNode.get(node) ?? [];
      list.push({ key: matchId(a.id, b.id), due: b.due, ackAt: b.ackAt, kind: unit.kind, email });
      byNode.set(node, list);
    }
    const latencies: number[] = [];
    const byKind: Record<string, number[]> = { client: [], gezin: [], "gezin-over-gemeenten": [] };
    for (const [node, list] of byNode) {
      const rows = await sql!.unsafe(
        `select m.sleutel, p.email, m.aangemaakt_op from "${node}".meldingen m join "${node}".professionals p on p.id = m.professional_id
         where m.sleutel = any($1::text[])`,
        [list.map((l) => l.key)] as never[],
      );
      const at = new Map(rows.map((r) => [`${r.sleutel} ${r.email}`, new Date(r.aangemaakt_op as string).getTime()]));
      for (const l of list) {
        const t = at.get(`${l.key} ${l.email}`);
        if (t === undefined) {
          missing++;
          continue;
        }
        // A match within a node is stored in the second registration's transaction, with the time it began: it is
        // there for the counterpart once that commits, which is before its acknowledgement.
        const ms = Math.max(t, l.ackAt) - l.due;
        latencies.push(ms);
        byKind[l.kind]!.push(ms);
      }
    }
    const all = timed(latencies);
    return {
      rate: round(rate),
      sendRatePerS: round(sendRatePerS),
      registrations: slotsN,
      ...all,
      missing,
      ack: timed(ackMs),
      byKind: Object.fromEntries(Object.entries(byKind).map(([k, xs]) => [k, timed(xs)])),
      storage,
    };
  };
  const describeRun = (r: Awaited<ReturnType<typeof latencyRun>>) =>
    `p50 ${r.p50} ms, p99 ${r.p99} ms over ${r.n} matches (${r.missing} missing; ${Object.entries(r.byKind)
      .map(([k, v]) => `${k} p99 ${v.p99} ms of ${v.n}`)
      .join(
        ", ",
      )}); acknowledgements p50 ${r.ack.p50} ms, p99 ${r.ack.p99} ms of ${r.registrations}; PostgreSQL per registration ${r.storage.walFpiPerRegistration} full-page images, ${r.storage.walKiBPerRegistration} KiB WAL, ${r.storage.blocksReadPerRegistration} blocks read (${r.storage.bufferHitPct} % from its buffers), ${r.storage.checkpoints} checkpoint(s)`;
  const atFraction: Record<string, Awaited<ReturnType<typeof latencyRun>>> = {};
  for (const f of FRACTIONS) {
    const r = await latencyRun(LATENCY_S, Math.max(1, capacityPerS * f));
    atFraction[`${Math.round(f * 100)}pct`] = r;
    log(`latency at ${Math.round(f * 100)} % of capacity (${r.rate}/s scheduled, ${r.sendRatePerS}/s sent): ${describeRun(r)}`);
  }
  log(`answers so far: ${JSON.stringify([...statuses])}, network failures ${failures}`);

  // -------------------------------------------------------------- scale
  const stored = async () => {
    let n = 0;
    for (const g of GEMEENTEN) n += Number((await sql!.unsafe(`select count(*)::int as n from "${g.code.toLowerCase()}".signalen`))[0]!.n);
    return n;
  };
  const importPool: BrpRecord[] = [];
  const wantedImport = Math.max(...LEVELS);
  for (let i = 0; i < pop.size.youths && importPool.length < wantedImport; i++) {
    const y = youth(i);
    if (!usable(y) || !free(y)) continue;
    take(y);
    importPool.push(y);
  }
  let importCursor = 0;
  let imported = 0;
  let importMs = 0;
  // One sub-capacity rate for every level, so the levels differ only in what is stored: half the mix's capacity, with
  // the mix itself (until 2026-12-07 the levels sent cross-gemeente pairs only, heavier than the mix, and queued).
  const levelRate = Math.max(1, capacityPerS * LEVEL_FRACTION);
  const levels: Record<string, { stored: number; importS: number } & Awaited<ReturnType<typeof latencyRun>>> = {};
  for (const level of LEVELS) {
    const have = await stored();
    const need = Math.max(0, level - have);
    const slice = importPool.slice(importCursor, importCursor + need);
    importCursor += slice.length;
    const ti = Date.now();
    await bulkImport(sql, { today, pseudonymKey, institutions, professionalFor: (g) => importProfs.get(g)!, youths: slice });
    const importS = (Date.now() - ti) / 1000;
    imported += slice.length;
    importMs += Date.now() - ti;
    await steadyState();
    const count = await stored();
    const r = await latencyRun(LEVEL_LATENCY_S, levelRate);
    levels[String(level)] = { stored: count, importS: round(importS), ...r };
    log(`at ${count} stored signals (imported ${slice.length} in ${importS.toFixed(0)} s), ${r.sendRatePerS}/s sent: ${describeRun(r)}`);
  }
  const importPerS = importMs > 0 ? imported / (importMs / 1000) : null;
  await jsmNc.close();

  // -------------------------------------------------------------- hub rebuild at the largest level
  // The hub's index and matches, as an order-free digest: the rebuild must yield them identically (the issue's
  // "identical matches"; the index too, since every signal's entry is derived from the node's data).
  const hubDigest = async () => {
    const [index] = await sql!.unsafe(
      `select count(*)::int as n, coalesce(sum(('x' || left(md5(concat_ws('|', signaal_id, node, entry_node, status, versie, jeugdige,
         array_to_string(ouders, ','), adres, sleutelversie, professional::text)), 15))::bit(60)::bigint), 0)::text as h from hub.index_signalen`,
    );
    const [matches] = await sql!.unsafe(
      `select count(*)::int as n, coalesce(sum(('x' || left(md5(id::text), 15))::bit(60)::bigint), 0)::text as h from hub.hub_matches`,
    );
    return { index: { n: Number(index!.n), h: String(index!.h) }, matches: { n: Number(matches!.n), h: String(matches!.h) } };
  };
  const beforeRebuild = await hubDigest();
  // `npm run hub:rebuild` as an operator runs it: a second hub process that asks every node for its index.
  const rebuild = await (async () => {
    const spec = hubProcess({
      ...wiring,
      port: await freePort(),
      nodes: GEMEENTEN.map((g) => [g.code, `http://127.0.0.1:${nodePorts.get(g.code)}`] as const),
      refreshSeconds: 0,
      pseudonymUrl: `http://127.0.0.1:${pseudonymPort}`,
      env: { DB_POOL_MAX: String(HUB_POOL) },
    });
    const inherited = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
    const t = Date.now();
    const cpuBefore = cpuNow();
    const cliBefore = waitedChildrenCpuMs();
    /** CPU per process group during the rebuild, the CLI (the hub's side, tsx's start included) apart. */
    const cpuDuring = () => {
      const used = cpuUsed(cpuBefore, cpuNow());
      delete used["load generator"];
      return Object.fromEntries(Object.entries({ ...used, "rebuild CLI": waitedChildrenCpuMs() - cliBefore }).map(([g, ms]) => [g, Math.round(ms)]));
    };
    try {
      // The CLI runs from source through tsx, as `npm run hub:rebuild` does, whichever form the services run in.
      // BENCH_CPU_PROF=rebuild profiles the CLI (the hub's side of the rebuild) into /tmp/vi-prof.
      const prof = profiled("rebuild") ? ["--cpu-prof", "--cpu-prof-dir=/tmp/vi-prof"] : [];
      const out = execFileSync(process.execPath, [...prof, "--import", "tsx", "services/hub/src/rebuild-cli.ts"], {
        env: { ...inherited, ...spec.env },
        timeout: Number(process.env.BENCH_REBUILD_TIMEOUT_S ?? 300) * 1000,
        stdio: ["ignore", "pipe", "pipe"],
        maxBuffer: 256 * 1024 * 1024,
      });
      // The report's phases (the pages, the final transaction), without its list of every match.
      const report = JSON.parse(out.toString()) as { duurMs?: { paginas: number; opslaan?: number; afronding: number }; paginas?: Record<string, number> };
      return {
        seconds: round((Date.now() - t) / 1000),
        error: null as string | null,
        phasesMs: report.duurMs ?? null,
        pages: report.paginas ?? null,
        cpuMs: cpuDuring() as Record<string, number> | null,
      };
    } catch (e) {
      const err = e as { stderr?: Buffer; message: string };
      return {
        seconds: null,
        error: `${err.message.split("\n")[0]} ${err.stderr?.toString().trim().split("\n").slice(-3).join(" ") ?? ""}`.trim(),
        phasesMs: null,
        pages: null,
        cpuMs: null,
      };
    }
  })();
  const afterRebuild = await hubDigest();
  const rebuildIdentical =
    rebuild.error === null &&
    afterRebuild.index.n === beforeRebuild.index.n &&
    afterRebuild.index.h === beforeRebuild.index.h &&
    afterRebuild.matches.n === beforeRebuild.matches.n &&
    afterRebuild.matches.h === beforeRebuild.matches.h;
  // The rebuild counts for the target only when it ran at the million level (a smoke run stops lower).
  const rebuildSignals = await stored();
  const rebuildAt1M = Math.max(...LEVELS) >= 1_000_000;
  log(
    rebuild.error
      ? `hub rebuild at ${rebuildSignals} stored signals failed: ${rebuild.error}`
      : `hub rebuild at ${rebuildSignals} stored signals: ${rebuild.seconds} s (pages ${rebuild.phasesMs?.paginas} ms, of which storing ${rebuild.phasesMs?.opslaan} ms, final transaction ${rebuild.phasesMs?.afronding} ms; CPU ms ${JSON.stringify(rebuild.cpuMs)}); index and matches ${rebuildIdentical ? "identical" : `NOT identical: before ${JSON.stringify(beforeRebuild)}, after ${JSON.stringify(afterRebuild)}`}`,
  );

  // -------------------------------------------------------------- memory
  const rssMiB = Object.fromEntries(serviceNames.filter((n) => n.startsWith("node-") || n === "hub").map((n) => [n, peakRssMiB(procs.pid(n)!)]));
  const hubRssMiB = rssMiB.hub!;
  const maxNodeRssMiB = Math.max(
    ...Object.entries(rssMiB)
      .filter(([k]) => k.startsWith("node-"))
      .map(([, v]) => v),
  );
  log(`peak RSS (services as ${SERVICE_FORM}): hub ${hubRssMiB} MiB, nodes max ${maxNodeRssMiB} MiB`);

  const at80 = atFraction["80pct"];
  const result = {
    generatedAt: new Date().toISOString(),
    durationS: round((Date.now() - started) / 1000),
    machine,
    throughputPerS: round(throughputPerS),
    acknowledgedPerS: round(ackPerS),
    capacityPerS: round(capacityPerS),
    registrations: acked,
    closedLoop: { workers: CLOSED_LOOP_WORKERS, steadyS: STEADY_S, warmupS: WARMUP_S },
    cpuMsPerRegistration,
    cpuMsPerRegistrationByGroup: cpuMsByGroup,
    // A yardstick across machines and hours, whose speed drifts: every process's CPU against PostgreSQL's, whose work
    // per registration a change to our code rarely touches (docs/performance.md).
    cpuVsPostgres: cpuMsByGroup.postgresql ? round(cpuMsPerRegistration / cpuMsByGroup.postgresql, 2) : null,
    baselineInsertPerS: round(baselineInsertPerS),
    baselineNatsPublishPerS: round(baselineNatsPublishPerS),
    throughputVsInsertBaseline: round(throughputPerS / baselineInsertPerS, 3),
    throughputVsNatsBaseline: round(throughputPerS / baselineNatsPublishPerS, 3),
    latency: atFraction,
    p99MsAt80pct: at80?.p99 ?? null,
    sendRateAt80pct: at80?.sendRatePerS ?? null,
    p99MsAt10k: levels["10000"]?.p99 ?? null,
    p99MsAt100k: levels["100000"]?.p99 ?? null,
    p99MsAt1M: levels["1000000"]?.p99 ?? null,
    levelRatePerS: round(levelRate),
    levels,
    importPerS: importPerS === null ? null : round(importPerS),
    rebuildSAt1M: rebuildAt1M ? rebuild.seconds : null,
    rebuildS: rebuild.seconds,
    rebuildSignals,
    rebuildError: rebuild.error,
    rebuildIdentical,
    rebuildPhasesMs: rebuild.phasesMs,
    rebuildPages: rebuild.pages,
    rebuildCpuMs: rebuild.cpuMs,
    rebuildIndexEntries: afterRebuild.index.n,
    rebuildMatches: afterRebuild.matches.n,
    serviceForm: SERVICE_FORM,
    nodeProcesses: NODE_PROCESSES,
    hubRssMiB,
    maxNodeRssMiB,
    rssMiB,
    connections,
    targets: {
      throughputAtLeast1000: throughputPerS >= 1000,
      cpuMsPerRegistrationAtMost2: cpuMsPerRegistration <= 2,
      p99Under100MsAt80pct: at80 ? at80.p99 < 100 : null,
      p99At1MWithin1_5xOf10k: levels["1000000"] && levels["10000"] ? levels["1000000"].p99 <= 1.5 * levels["10000"].p99 : null,
      importAtLeast20000PerS: importPerS === null ? null : importPerS >= 20_000,
      rebuildAt1MWithin60S: !rebuildAt1M ? null : rebuild.seconds === null ? false : rebuild.seconds <= 60 && rebuildIdentical,
      hubRssUnder512MiB: hubRssMiB < 512,
      nodeRssUnder256MiB: maxNodeRssMiB < 256,
    },
  };
  const file = RESULTS_FILE;
  mkdirSync(resolve(file, ".."), { recursive: true });
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  log(`wrote ${file} in ${result.durationS} s`);
  console.log(JSON.stringify(result.targets, null, 2));
  await issuerServer.close();
} catch (e) {
  console.error(e);
  console.error(`--- service output\n${procs.logs(undefined, 20)}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
// The cross-region section last, once the region above is stopped (it starts both regions and the chain itself).
if (!process.exitCode && process.env.BENCH_LANDELIJK !== "uit") {
  try {
    await crossRegionSection();
  } catch (e) {
    console.error(e);
    process.exitCode = 1;
  }
}
process.exit(process.exitCode ?? 0);
