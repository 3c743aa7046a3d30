/**
 * `npm run bench`: the federation (13 nodes and the hub as separate processes)
 * on the machine's PostgreSQL and NATS, measured against baselines taken in
 * the same run. Writes bench/results/latest.json. See bench/results/README.md.
 */
import { mkdirSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
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
  pseudonymProcess,
  ProcessGroup,
  smtpSinkProcess,
  startIssuerServer,
  type ProcessSpec,
  type RegionWiring,
} from "../test/support/processes";
import { bulkImport, type ImportProfessional } from "./import";

const DATABASE_URL = process.env.DATABASE_URL;
const NATS_URL = natsUrl();
if (!DATABASE_URL) {
  console.error("npm run bench needs PostgreSQL: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres) and NATS_URL.");
  process.exit(2);
}
const POPULATION = Number(process.env.BENCH_POPULATION ?? 2_600_000);
const LEVELS = (process.env.BENCH_LEVELS ?? "10000,100000,1000000").split(",").map(Number);
const RATE = 200;
const NODE_POOL = 4;
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
// environment; BENCH_CPU_PROF=<service> profiles one of them. Never left running when the benchmark dies.
const procs = new ProcessGroup();
process.once("exit", () => procs.killAllNow());
const benchProcess = (name: string, spec: ProcessSpec): void => {
  const prof = process.env.BENCH_CPU_PROF === name ? ["--cpu-prof", "--cpu-prof-dir=/tmp/vi-prof"] : [];
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
  // Siblings in two gemeenten: their match is made by the hub, across nodes.
  const crossPairs: [BrpRecord, BrpRecord][] = [];
  const families: [BrpRecord, BrpRecord][] = [];
  for (const kids of byParent.values()) {
    if (kids.length < 2) continue;
    const ys = kids.map(youth);
    if (!ys.every(free)) continue;
    const a = ys[0]!;
    const b = ys.find((y) => y.gemeenteCode !== a.gemeenteCode);
    if (b && crossPairs.length < RATE * (10 + 5 * LEVELS.length)) {
      crossPairs.push([a, b]);
      ys.forEach(take);
    } else if (families.length < Number(process.env.BENCH_FAMILIES ?? 600)) {
      families.push([a, ys[1]!]);
      ys.forEach(take);
    }
  }
  log(`population of ${POPULATION} youths: ${crossPairs.length} sibling pairs across gemeenten, ${families.length} families for the mix`);

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
  const nodeNames = GEMEENTEN.map((g) => `node-${g.code}`);
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
  for (const g of GEMEENTEN) {
    benchProcess(
      `node-${g.code}`,
      nodeProcess({
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
      }),
    );
  }
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
  log("13 nodes and the hub are up");

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

  const runPool = async <T>(items: T[], concurrency: number, fn: (x: T) => Promise<void>) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < items.length) await fn(items[next++]!);
      }),
    );
  };

  // -------------------------------------------------------------- throughput
  // A realistic mix: two siblings signalled by two professionals (a family match), and for
  // a third of the families a second professional on the same youth (a client match).
  const work: [string, BrpRecord][] = [];
  families.forEach(([a, b], i) => {
    work.push(["bench-a@bench.example", a], ["bench-b@bench.example", b]);
    if (i % 3 === 0) work.push(["bench-c@bench.example", a]);
  });
  let acked = 0;
  const t0 = Date.now();
  // Where the time goes: what the database sessions wait on during the run.
  const waits = new Map<string, number>();
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const rows = await sql!.unsafe(
        `select application_name as app, state, coalesce(wait_event_type || ':' || wait_event, 'cpu') as w from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and state <> 'idle'`,
      );
      for (const r of rows)
        waits.set(
          `${String(r.app).replace(/node-GM\d+/, "node")} ${r.state} ${r.w}`,
          (waits.get(`${String(r.app).replace(/node-GM\d+/, "node")} ${r.state} ${r.w}`) ?? 0) + 1,
        );
      await sleep(200);
    }
  })();
  await runPool(work, 48, async ([email, y]) => {
    if (await register(email, y)) acked++;
  });
  const tAcked = Date.now();
  sampling = false;
  await sampler;
  log(`database sessions during the run (samples): ${JSON.stringify([...waits].sort((a, b) => b[1] - a[1]).slice(0, 8))}`);
  const tMatched = await settled();
  const throughputPerS = acked / ((tMatched - t0) / 1000);
  const ackPerS = acked / ((tAcked - t0) / 1000);
  log(`throughput: ${acked} registrations acknowledged at ${ackPerS.toFixed(0)}/s, fully matched at ${throughputPerS.toFixed(0)}/s`);

  // -------------------------------------------------------------- latency
  let pairCursor = 0;
  const latencyRun = async (seconds: number) => {
    const pairs = crossPairs.slice(pairCursor, pairCursor + RATE * seconds);
    pairCursor += pairs.length;
    // Sibling A of each pair is already known (loaded by the import path); then sibling B is
    // registered through the API at the offered rate, and the hub matches B with A across nodes.
    await bulkImport(sql!, { today, pseudonymKey, institutions, professionalFor: (g) => importProfs.get(g)!, youths: pairs.map(([a]) => a) });
    const seeds = new Map<number, string>();
    const seedRows = new Map<string, string>();
    for (const g of new Set(pairs.map(([a]) => a.gemeenteCode))) {
      const s = g.toLowerCase();
      const rows = await sql!.unsafe(
        `select j.bsn, s.id from "${s}".signalen s join "${s}".jeugdigen j on j.id = s.jeugdige_id where j.bsn = any($1::text[])`,
        [pairs.filter(([a]) => a.gemeenteCode === g).map(([a]) => a.bsn)] as never[],
      );
      for (const r of rows) seedRows.set(r.bsn as string, r.id as string);
    }
    for (const [i, [a]] of pairs.entries()) seeds.set(i, seedRows.get(a.bsn)!);
    const acks = new Map<number, { id: string; ackAt: number }>();
    const inflight: Promise<void>[] = [];
    const start = Date.now();
    for (let i = 0; i < pairs.length; i++) {
      const due = start + (i * 1000) / RATE;
      const wait = due - Date.now();
      if (wait > 0) await sleep(wait);
      inflight.push(
        register("bench-b@bench.example", pairs[i]![1]).then((r) => {
          if (r) acks.set(i, r);
        }),
      );
    }
    await Promise.all(inflight);
    const offeredPerS = pairs.length / ((Date.now() - start) / 1000);
    await settled();
    // The counterpart: the melding of A's professional at the node A was registered through (A's residence).
    const latencies: number[] = [];
    const byNode = new Map<string, { key: string; ackAt: number }[]>();
    for (const [i, r] of acks) {
      const seed = seeds.get(i);
      if (!seed) continue;
      const node = pairs[i]![0].gemeenteCode.toLowerCase();
      const list = byNode.get(node) ?? [];
      list.push({ key: matchId(seed, r.id), ackAt: r.ackAt });
      byNode.set(node, list);
    }
    let missing = 0;
    for (const [node, list] of byNode) {
      const rows = await sql!.unsafe(
        `select m.sleutel, m.aangemaakt_op from "${node}".meldingen m join "${node}".professionals p on p.id = m.professional_id
         where p.email = 'bench-import@bench.example' and m.sleutel = any($1::text[])`,
        [list.map((l) => l.key)] as never[],
      );
      const at = new Map(rows.map((r) => [r.sleutel as string, new Date(r.aangemaakt_op as string).getTime()]));
      for (const l of list) {
        const t = at.get(l.key);
        if (t === undefined) missing++;
        else latencies.push(Math.max(0, t - l.ackAt));
      }
    }
    return { n: latencies.length, missing, offeredPerS, p50: pct(latencies, 50), p99: pct(latencies, 99) };
  };
  const main = await latencyRun(Number(process.env.BENCH_LATENCY_S ?? 10));
  log(`answers so far: ${JSON.stringify([...statuses])}, network failures ${failures}`);
  log(`latency at ${main.offeredPerS.toFixed(0)}/s: p50 ${main.p50} ms, p99 ${main.p99} ms over ${main.n} cross-gemeente matches (${main.missing} missing)`);

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
  const levels: Record<string, { stored: number; p50: number; p99: number; n: number; missing: number; importS: number }> = {};
  for (const level of LEVELS) {
    const have = await stored();
    const need = Math.max(0, level - have);
    const slice = importPool.slice(importCursor, importCursor + need);
    importCursor += slice.length;
    const ti = Date.now();
    await bulkImport(sql, { today, pseudonymKey, institutions, professionalFor: (g) => importProfs.get(g)!, youths: slice });
    for (const g of GEMEENTEN) await sql.unsafe(`analyze "${g.code.toLowerCase()}".signalen; analyze "${g.code.toLowerCase()}".jeugdigen`);
    await sql.unsafe(`analyze hub.index_signalen`);
    const importS = (Date.now() - ti) / 1000;
    const count = await stored();
    const r = await latencyRun(Number(process.env.BENCH_LEVEL_LATENCY_S ?? 5));
    levels[String(level)] = { stored: count, p50: r.p50, p99: r.p99, n: r.n, missing: r.missing, importS: round(importS) };
    log(`at ${count} stored signals (imported ${slice.length} in ${importS.toFixed(0)} s): p50 ${r.p50} ms, p99 ${r.p99} ms (${r.missing} missing)`);
  }
  await jsmNc.close();

  // -------------------------------------------------------------- memory
  const rssMiB = Object.fromEntries(serviceNames.filter((n) => n.startsWith("node-") || n === "hub").map((n) => [n, peakRssMiB(procs.pid(n)!)]));
  const hubRssMiB = rssMiB.hub!;
  const nodeRss = Object.entries(rssMiB)
    .filter(([k]) => k.startsWith("node-"))
    .map(([, v]) => v);
  log(`peak RSS: hub ${hubRssMiB} MiB, nodes max ${Math.max(...nodeRss)} MiB`);

  const result = {
    generatedAt: new Date().toISOString(),
    durationS: round((Date.now() - started) / 1000),
    machine,
    throughputPerS: round(throughputPerS),
    acknowledgedPerS: round(ackPerS),
    registrations: acked,
    baselineInsertPerS: round(baselineInsertPerS),
    baselineNatsPublishPerS: round(baselineNatsPublishPerS),
    throughputVsInsertBaseline: round(throughputPerS / baselineInsertPerS, 3),
    throughputVsNatsBaseline: round(throughputPerS / baselineNatsPublishPerS, 3),
    offeredRatePerS: round(main.offeredPerS),
    p50Ms: main.p50,
    p99Ms: main.p99,
    latencySamples: main.n,
    latencyMissing: main.missing,
    p99MsAt10k: levels["10000"]?.p99 ?? null,
    p99MsAt100k: levels["100000"]?.p99 ?? null,
    p99MsAt1M: levels["1000000"]?.p99 ?? null,
    levels,
    hubRssMiB,
    rssMiB,
    connections,
    targets: {
      throughputAtLeast1000: throughputPerS >= 1000,
      throughputAtLeastHalfOfInsertBaseline: throughputPerS >= baselineInsertPerS / 2,
      p99Under100MsAt200PerS: main.p99 < 100,
      p99At1MWithin1_5xOf10k: levels["1000000"] && levels["10000"] ? levels["1000000"].p99 <= 1.5 * levels["10000"].p99 : null,
      hubRssUnder512MiB: hubRssMiB < 512,
    },
  };
  const out = resolve(import.meta.dirname, "results");
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "latest.json"), `${JSON.stringify(result, null, 2)}\n`);
  log(`wrote bench/results/latest.json in ${result.durationS} s`);
  console.log(JSON.stringify(result.targets, null, 2));
  await issuerServer.close();
} catch (e) {
  console.error(e);
  console.error(`--- service output\n${procs.logs(undefined, 20)}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
process.exit(process.exitCode ?? 0);
