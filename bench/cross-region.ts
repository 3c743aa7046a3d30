/**
 * The bench's cross-region figure (`npm run bench -- --alleen landelijk`, or the last section of `npm run bench`):
 * the latency of a family match across two regions, through the national chain, at a rate well below capacity.
 *
 * Both regions and the national chain run as separate processes on the machine's PostgreSQL (a database of their
 * own, a schema per service) and NATS (a namespace per region), with the production timing settings (no interval is
 * shortened): Regio Amsterdam (its 13 nodes, hub and pseudonym service) and Zuid-Kennemerland (Haarlem's node, its
 * hub and pseudonym service), a bridge per region, the national pseudonym service and the national index.
 *
 * The work: pairs of siblings (a shared parent) of the generated population. The fake BRP moves the second sibling
 * of each pair to Haarlem (its relocation route, `POST /beheer/verhuizingen`, a new address of its own), so the
 * pair lives in two regions and only the shared parent ties them. Phase 1 registers every first sibling at its
 * Amsterdam residence node and waits until the national index holds all of them. Phase 2 registers the second
 * siblings at Haarlem's node, open loop, on a fixed schedule (`BENCH_LANDELIJK_RATE` pairs per second) whatever the
 * answers. Per pair the latency runs from the acknowledgement (HTTP 201) of that second registration to the moment
 * the match notice is stored at the OTHER region's node: the `meldingen` row of the first sibling's professional at
 * the Amsterdam node (its `aangemaakt_op`, written by the node process on the same machine's clock, read from the
 * node's database afterwards). The stages between are read from the chain's own tables: the national index's
 * record of the second signal (`ontvangen_op`), its match (`aangemaakt_op`), and the Amsterdam bridge's receipt of
 * the match (`landelijke_matches.ontvangen_op`).
 */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { DEMO_REGISTER_FILES, demoSubject, GEMEENTEN, generatePopulation, type BrpRecord } from "@vi/demo";
import { ageOn, systemClock, todayIn } from "@vi/domain";
import { FscMetrics, fscClient, loadOrCreateDevCa, memoryNonceGuard } from "@vi/fsc";
import { createDatabase } from "../test/support/database";
import { registerWith } from "../test/support/register";
import {
  brpApiUrl,
  bridgeProcess,
  deleteNamespaceStreams,
  fakeBrpProcess,
  freePort,
  hubProcess,
  nationalIndexProcess,
  nationalPseudonymProcess,
  nodeProcess,
  ProcessGroup,
  pseudonymProcess,
  smtpSinkProcess,
  startIssuerServer,
  type ProcessSpec,
  type RegionWiring,
  type TlsFiles,
} from "../test/support/processes";
import { freshNamespace } from "../test/support/constants";

/** The demo chain's OINs (20 digits; the 0000000 prefix marks them as not real), as `npm start` uses them. */
const OIN = {
  landelijk: "00000001000000000200",
  pseudoniem: "00000001000000000201",
  amsterdam: "00000001000000000210",
  "zuid-kennemerland": "00000001000000000211",
} as const;
const HAARLEM = "GM0392";
const PRO_A = "bench-a@bench.example";
/**
 * Database pools: small, because the machine's PostgreSQL (max_connections 100) is shared with the test suites, and
 * at a few pairs per second a node needs no more (14 nodes x 2 + 2 hubs x 4 + 2 bridges and the national index x 3
 * + 4 for the bench = 49 connections).
 */
const POOL = { node: 2, hub: 4, chain: 3 };
const PRO_B = "bench-zk@bench.example";

export interface CrossRegionResult {
  crossRegionP50Ms: number;
  crossRegionP99Ms: number;
  crossRegionRatePerS: number;
  crossRegionSamples: number;
  crossRegion: {
    scheduledRatePerS: number;
    pairs: number;
    acknowledged: number;
    missing: number;
    /** Milliseconds per stage, p50 and p99, over the pairs whose every stage was seen. */
    stages: Record<string, { p50: number; p99: number }>;
    /** The second registration's own answer time (HTTP 201), p50 and p99. */
    ackMs: { p50: number; p99: number };
    measuredAt: string;
    loadAverage: { cores: number; before: number; after: number };
    /** Warnings and errors the services logged from the first registration on, by process and message. */
    warnings: Record<string, number>;
    settings: Record<string, string>;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

export async function runCrossRegion(o: { adminDatabaseUrl: string; natsUrl: string; log: (msg: string) => void }): Promise<CrossRegionResult> {
  const { log } = o;
  const RATE = Number(process.env.BENCH_LANDELIJK_RATE ?? 3);
  const PAIRS = Number(process.env.BENCH_LANDELIJK_PAIRS ?? 150);
  const POPULATION = Number(process.env.BENCH_LANDELIJK_POPULATION ?? 50_000);
  /** How long after the last send a missing match is still waited for. */
  const WAIT_S = Number(process.env.BENCH_LANDELIJK_WAIT_S ?? 120);
  const amsterdamCodes = (process.env.BENCH_LANDELIJK_GEMEENTEN ?? GEMEENTEN.map((g) => g.code).join(",")).split(",").filter(Boolean);

  const database = await createDatabase(o.adminDatabaseUrl, "vi_bench_lvi");
  const dbUrl = database.url;
  const nsA = freshNamespace("bl");
  const nsB = `${nsA}zk`;
  const tmp = mkdtempSync(join(tmpdir(), "vi-bench-lvi-"));
  const procs = new ProcessGroup();
  const onExit = () => procs.killAllNow();
  process.once("exit", onExit);
  const started: string[] = [];
  const start = (name: string, spec: ProcessSpec) => {
    started.push(name);
    const inherited = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
    // stdout kept (the services log at warn): the warnings of the run are counted in the result.
    procs.start(name, { ...spec, env: { ...inherited, ...spec.env }, stdout: "keep" });
  };
  let sql: postgres.Sql | undefined;
  const issuerServer = await startIssuerServer();
  try {
    const today = todayIn(systemClock);
    // ------------------------------------------------------------ pairs of siblings
    const pop = generatePopulation({ seed: 23, youths: POPULATION, today });
    const institutions = new Set(pop.institutionAddressIds());
    const usable = (y: BrpRecord) =>
      amsterdamCodes.includes(y.gemeenteCode) && !y.overlijdensdatum && ageOn(y.geboortedatum, today) < 22 && !institutions.has(y.adres.adresseerbaarObjectId);
    const pairs: [BrpRecord, BrpRecord][] = [];
    let prev: BrpRecord | undefined;
    for (let i = 0; i < pop.size.youths && pairs.length < PAIRS; i++) {
      const y = pop.byBsn(pop.youthBsn(i))!;
      // A family's youths are consecutive; a pair takes two of one family and the family is not used again.
      if (prev && prev.ouders[0] === y.ouders[0] && usable(prev) && usable(y)) {
        pairs.push([prev, y]);
        prev = undefined;
        continue;
      }
      if (!prev || prev.ouders[0] !== y.ouders[0]) prev = y;
    }
    if (pairs.length < PAIRS) throw new Error(`only ${pairs.length} sibling pairs in a population of ${POPULATION}: raise BENCH_LANDELIJK_POPULATION`);

    // ------------------------------------------------------------ certificates and registers
    const caDir = join(tmp, "ca");
    const ca = loadOrCreateDevCa(caDir);
    const tlsFiles = (name: string, oin: string): TlsFiles => {
      ca.issue({ name, oin });
      return { ca: join(caDir, "ca.crt"), cert: join(caDir, `${name}.crt`), key: join(caDir, `${name}.key`) };
    };
    const tls = {
      landelijk: tlsFiles("landelijke-index", OIN.landelijk),
      pseudoniem: tlsFiles("landelijke-pseudoniemendienst", OIN.pseudoniem),
      amsterdam: tlsFiles("brug-amsterdam", OIN.amsterdam),
      "zuid-kennemerland": tlsFiles("brug-zuid-kennemerland", OIN["zuid-kennemerland"]),
    };
    const benchPro = (email: string, organisatieId: string) => ({
      email,
      naam: `Bench ${email.split("@")[0]}`,
      functie: "jeugdhulpverlener",
      telefoon: "020 555 0199",
      organisatieId,
      rol: "professional" as const,
      signaleringsbevoegd: true,
      medisch: false,
    });
    mkdirSync(join(tmp, "amsterdam"), { recursive: true });
    mkdirSync(join(tmp, "zk"), { recursive: true });
    const registerA = join(tmp, "amsterdam", "register.json");
    writeFileSync(
      registerA,
      JSON.stringify(
        registerWith({
          organisaties: [{ id: "bench", naam: "Benchmark Jeugdhulp", domein: "jeugdhulp", aangeslotenBij: amsterdamCodes }],
          professionals: [benchPro(PRO_A, "bench")],
        }),
      ),
    );
    // Zuid-Kennemerland's own register (as npm start gives its hub) with the benchmark's organisation there.
    const zkDemo = JSON.parse(readFileSync(DEMO_REGISTER_FILES.kennemerland, "utf8")) as {
      organisaties: unknown[];
      professionals: unknown[];
    };
    const registerB = join(tmp, "zk", "register.json");
    writeFileSync(
      registerB,
      JSON.stringify({
        ...zkDemo,
        organisaties: [...zkDemo.organisaties, { id: "bench-zk", naam: "Benchmark Jeugdhulp Kennemerland", domein: "jeugdhulp", aangeslotenBij: [HAARLEM] }],
        professionals: [...zkDemo.professionals, { sub: demoSubject(PRO_B), ...benchPro(PRO_B, "bench-zk") }],
      }),
    );

    // ------------------------------------------------------------ shared services
    const brpPort = await freePort();
    start("fake-brp", fakeBrpProcess({ port: brpPort, youths: POPULATION, seed: 23, today }));
    const smtpPort = await freePort();
    start("smtp-sink", smtpSinkProcess({ smtpPort, httpPort: await freePort() }));
    const ports = {
      landelijk: await freePort(),
      landelijkAdmin: await freePort(),
      pseudoniem: await freePort(),
      pseudoniemAdmin: await freePort(),
      brug: { amsterdam: await freePort(), "zuid-kennemerland": await freePort() },
      brugHttps: { amsterdam: await freePort(), "zuid-kennemerland": await freePort() },
    };
    const nationalUrl = `https://localhost:${ports.landelijk}`;
    const nationalPseudonymUrl = `https://localhost:${ports.pseudoniem}`;
    start(
      "landelijke-pseudoniemendienst",
      nationalPseudonymProcess({
        port: ports.pseudoniem,
        adminPort: ports.pseudoniemAdmin,
        oin: OIN.pseudoniem,
        tls: tls.pseudoniem,
        bridgeOins: [OIN.amsterdam, OIN["zuid-kennemerland"]],
        keyFile: join(tmp, "landelijk-sleutels.json"),
      }),
    );
    start(
      "landelijke-index",
      nationalIndexProcess({
        port: ports.landelijk,
        adminPort: ports.landelijkAdmin,
        databaseUrl: dbUrl,
        oin: OIN.landelijk,
        tls: tls.landelijk,
        env: { DB_POOL_MAX: String(POOL.chain) },
        bridges: (["amsterdam", "zuid-kennemerland"] as const).map((r) => ({ regio: r, oin: OIN[r], url: `https://localhost:${ports.brugHttps[r]}` })),
      }),
    );
    for (const n of ["fake-brp", "smtp-sink", "landelijke-pseudoniemendienst", "landelijke-index"]) await procs.waitReady(n, 180_000);
    const brpUrl = `http://127.0.0.1:${brpPort}`;

    // ------------------------------------------------------------ the two regions
    type Plan = {
      id: "amsterdam" | "zuid-kennemerland";
      codes: string[];
      namespace: string;
      hubSchema: string;
      brugSchema: string;
      register: string;
      nodeEnv: Record<string, string>;
      pseudoniemEnv: Record<string, string>;
    };
    const plans: Plan[] = [
      { id: "amsterdam", codes: amsterdamCodes, namespace: nsA, hubSchema: "hub", brugSchema: "brug", register: registerA, nodeEnv: {}, pseudoniemEnv: {} },
      {
        id: "zuid-kennemerland",
        codes: [HAARLEM],
        namespace: nsB,
        hubSchema: "hub_zuid_kennemerland",
        brugSchema: "brug_zuid_kennemerland",
        register: registerB,
        nodeEnv: { REGIO_GEMEENTEN: `${HAARLEM}=Haarlem`, REGIO_EXTRA_DOMEINEN: "" },
        pseudoniemEnv: { REGIO_GEMEENTEN: HAARLEM },
      },
    ];
    const nodePorts = new Map<string, number>();
    const hubUrls: Record<string, string> = {};
    for (const plan of plans) {
      const wiring: RegionWiring = { databaseUrl: dbUrl, natsUrl: o.natsUrl, namespace: plan.namespace, keysDir: join(tmp, plan.id, "keys") };
      const hubPort = await freePort();
      const pseudonymPort = await freePort();
      const hubUrl = `http://127.0.0.1:${hubPort}`;
      hubUrls[plan.id] = hubUrl;
      start(
        `pseudoniem-${plan.id}`,
        pseudonymProcess({ ...wiring, port: pseudonymPort, hubUrl, keyFile: join(tmp, plan.id, "pseudoniem-sleutels.json"), env: plan.pseudoniemEnv }),
      );
      await procs.waitReady(`pseudoniem-${plan.id}`, 180_000);
      for (const code of plan.codes) {
        nodePorts.set(code, await freePort());
        start(
          `node-${code}`,
          nodeProcess({
            ...wiring,
            gemeente: code,
            port: nodePorts.get(code)!,
            hubUrl,
            brpUrl: brpApiUrl(brpUrl),
            issuer: issuerServer.issuer.issuer,
            jwksUrl: `${issuerServer.url}/jwks.json`,
            smtpPort,
            registerFile: plan.register,
            // The national link on, with its production repeat interval (LANDELIJK_HERHAAL_SECONDEN, 30).
            env: { LANDELIJK: "aan", DB_POOL_MAX: String(POOL.node), ...plan.nodeEnv },
          }),
        );
      }
      for (const code of plan.codes) await procs.waitReady(`node-${code}`, 180_000);
      start(
        `hub-${plan.id}`,
        hubProcess({
          ...wiring,
          port: hubPort,
          nodes: plan.codes.map((c) => [c, `http://127.0.0.1:${nodePorts.get(c)}`] as const),
          // The hub's default (NODES_REFRESH_SECONDS, 10).
          refreshSeconds: 10,
          pseudonymUrl: `http://127.0.0.1:${pseudonymPort}`,
          env: {
            DB_SCHEMA: plan.hubSchema,
            REGISTER_BESTAND: plan.register,
            BRUG_URL: `http://127.0.0.1:${ports.brug[plan.id]}`,
            DB_POOL_MAX: String(POOL.hub),
          },
        }),
      );
      await procs.waitReady(`hub-${plan.id}`, 180_000);
      start(
        `brug-${plan.id}`,
        bridgeProcess({
          ...wiring,
          regio: plan.id,
          gemeenten: plan.id === "amsterdam" ? plan.codes.join(",") : `${HAARLEM}=Haarlem`,
          port: ports.brug[plan.id],
          nationalPort: ports.brugHttps[plan.id],
          schema: plan.brugSchema,
          hubUrl,
          oin: OIN[plan.id],
          tls: tls[plan.id],
          nationalUrl,
          nationalOin: OIN.landelijk,
          pseudonymUrl: nationalPseudonymUrl,
          pseudonymOin: OIN.pseudoniem,
          env: { DB_POOL_MAX: String(POOL.chain) },
        }),
      );
      await procs.waitReady(`brug-${plan.id}`, 180_000);
    }
    // Each bridge announces itself to the national index (its certificate, for the directory the other bridge
    // encrypts contact details to) before anything is sent, as npm start has its bridges do: a GET of the directory
    // with the bridge's own certificate.
    for (const r of ["amsterdam", "zuid-kennemerland"] as const) {
      const material = { ca: readFileSync(tls[r].ca, "utf8"), identity: { cert: readFileSync(tls[r].cert, "utf8"), key: readFileSync(tls[r].key, "utf8") } };
      const client = fscClient({ baseUrl: nationalUrl, peerOin: OIN.landelijk, tls: material, nonces: memoryNonceGuard(), metrics: new FscMetrics() });
      const res = await client.call("GET", "/api/v1/bruggen");
      await client.close();
      if (res.status !== 200) throw new Error(`bridge ${r} not announced: ${res.status}`);
    }
    // Each hub's trust registry holds its bridge's keys (the nodes verify the bridge's notices with it).
    for (const plan of plans) {
      const until = Date.now() + 60_000;
      for (;;) {
        const jwks = (await fetch(`${hubUrls[plan.id]}/api/v1/vertrouwen/jwks.json`)
          .then((r) => r.json())
          .catch(() => ({ keys: [] }))) as { keys: { iss?: string }[] };
        if (jwks.keys.some((k) => k.iss === "brug")) break;
        if (Date.now() > until) throw new Error(`the hub of ${plan.id} does not know its bridge's keys`);
        await sleep(500);
      }
    }
    log(`cross-region: ${amsterdamCodes.length} Amsterdam nodes, Haarlem's node, two hubs, two bridges, the national index and pseudonym service are up`);

    // ------------------------------------------------------------ the second siblings live in Haarlem
    for (let i = 0; i < pairs.length; i++) {
      const b = pairs[i]![1];
      const serial = String(8_000_000_000 + i).padStart(10, "0");
      const adres = {
        straat: "Benchstraat",
        huisnummer: 1 + (i % 180),
        postcode: `20${String(11 + (i % 26)).padStart(2, "0")}AB`,
        woonplaats: "Haarlem",
        adresseerbaarObjectId: `039201${serial}`,
      };
      const res = await fetch(`${brpUrl}/beheer/verhuizingen`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ bsn: b.bsn, naarGemeente: HAARLEM, adres }),
      });
      if (!res.ok) throw new Error(`relocation in the fake BRP refused: ${res.status} ${await res.text()}`);
      await res.arrayBuffer().catch(() => undefined);
      pairs[i]![1] = { ...b, gemeenteCode: HAARLEM, adres };
    }

    // ------------------------------------------------------------ registering
    const tokens = new Map<string, string>();
    for (const email of [PRO_A, PRO_B]) tokens.set(email, await issuerServer.issuer.sign(email, { expiresInSec: 3600 }));
    const statuses = new Map<string, number>();
    const register = async (email: string, y: BrpRecord): Promise<{ id: string; sentAt: number; ackAt: number } | undefined> => {
      const sentAt = Date.now();
      try {
        const res = await fetch(`http://127.0.0.1:${nodePorts.get(y.gemeenteCode)}/api/v1/signalen`, {
          method: "POST",
          headers: { authorization: `Bearer ${tokens.get(email)}`, "content-type": "application/json" },
          body: JSON.stringify({ bsn: y.bsn, geinformeerd: true }),
        });
        const ackAt = Date.now();
        const body = (await res.json()) as { signaal?: { id: string }; code?: string };
        const key = `${res.status}${body.code ? ` ${body.code}` : ""}`;
        statuses.set(key, (statuses.get(key) ?? 0) + 1);
        return res.status === 201 ? { id: body.signaal!.id, sentAt, ackAt } : undefined;
      } catch (e) {
        const key = `network ${(e as Error).message}`;
        statuses.set(key, (statuses.get(key) ?? 0) + 1);
        return undefined;
      }
    };

    sql = postgres(dbUrl, { max: 4, onnotice: () => {} });
    const registeringFrom = Date.now();
    // Phase 1: the first siblings, at their Amsterdam residence nodes (four in flight), until the national index has them.
    const first = new Array<{ id: string } | undefined>(pairs.length);
    let cursor = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (cursor < pairs.length) {
          const i = cursor++;
          first[i] = await register(PRO_A, pairs[i]![0]);
        }
      }),
    );
    const firstIds = first.filter((f): f is { id: string } => !!f).map((f) => f.id);
    {
      const until = Date.now() + 300_000;
      for (;;) {
        const [row] = await sql.unsafe(`select count(*)::int as n from landelijk.records where regio = 'amsterdam' and signaal_id = any($1::uuid[])`, [
          firstIds,
        ] as never[]);
        if (row!.n === firstIds.length) break;
        if (Date.now() > until) throw new Error(`the national index holds ${row!.n} of ${firstIds.length} first registrations after 300 s`);
        await sleep(250);
      }
    }
    log(
      `cross-region: ${firstIds.length} of ${pairs.length} first siblings registered in Amsterdam and at the national index; answers ${JSON.stringify([...statuses])}`,
    );

    const loadBefore = loadavg()[0]!;
    // Phase 2: the second siblings at Haarlem's node, open loop at RATE pairs per second.
    const second = new Array<{ id: string; sentAt: number; ackAt: number } | undefined>(pairs.length);
    const inflight: Promise<void>[] = [];
    const t0 = Date.now() + 200;
    let lastSend = t0;
    for (let i = 0; i < pairs.length; i++) {
      const due = t0 + (i * 1000) / RATE;
      const wait = due - Date.now();
      if (wait > 0) await sleep(wait);
      lastSend = Date.now();
      if (!first[i]) continue;
      inflight.push(
        register(PRO_B, pairs[i]![1]).then((r) => {
          second[i] = r;
        }),
      );
    }
    const loadAfter = loadavg()[0]!;
    const sendRatePerS = pairs.length > 1 ? (pairs.length - 1) / ((lastSend - t0) / 1000) : 0;
    await Promise.all(inflight);

    // Every pair's notice at the Amsterdam node (the first sibling's professional), waited for up to WAIT_S.
    const wanted = pairs.map((p, i) => ({ i, node: p[0].gemeenteCode.toLowerCase(), a: first[i]?.id, b: second[i] })).filter((w) => w.a && w.b);
    const seen = new Map<number, { melding: number }>();
    const until = Date.now() + WAIT_S * 1000;
    while (seen.size < wanted.length && Date.now() < until) {
      const byNode = new Map<string, typeof wanted>();
      for (const w of wanted) if (!seen.has(w.i)) byNode.set(w.node, [...(byNode.get(w.node) ?? []), w]);
      for (const [node, list] of byNode) {
        const rows = await sql.unsafe(
          `select m.signaal_id, m.aangemaakt_op from "${node}".meldingen m join "${node}".professionals p on p.id = m.professional_id
           where p.email = $1 and m.soort = 'match' and m.inhoud->>'soort' = 'gezin' and m.signaal_id = any($2::uuid[])`,
          [PRO_A, list.map((w) => w.a!)] as never[],
        );
        const at = new Map(rows.map((r) => [r.signaal_id as string, new Date(r.aangemaakt_op as string).getTime()]));
        for (const w of list) {
          const t = at.get(w.a!);
          if (t !== undefined) seen.set(w.i, { melding: t });
        }
      }
      if (seen.size < wanted.length) await sleep(250);
    }

    // The stages, from the chain's own tables.
    const nationalRecords = new Map(
      (
        await sql.unsafe(`select signaal_id, ontvangen_op from landelijk.records where regio = 'zuid-kennemerland' and signaal_id = any($1::uuid[])`, [
          wanted.map((w) => w.b!.id),
        ] as never[])
      ).map((r) => [r.signaal_id as string, new Date(r.ontvangen_op as string).getTime()]),
    );
    // The Zuid-Kennemerland hub's index row of each second signal (bijgewerkt_op: clock_timestamp() of its write).
    const hubRows = new Map(
      (
        await sql.unsafe(`select signaal_id, bijgewerkt_op from hub_zuid_kennemerland.index_signalen where signaal_id = any($1::uuid[])`, [
          wanted.map((w) => w.b!.id),
        ] as never[])
      ).map((r) => [r.signaal_id as string, new Date(r.bijgewerkt_op as string).getTime()]),
    );
    const secondIds = new Set(wanted.map((w) => w.b!.id));
    const nationalMatches = new Map<string, { id: string; at: number }>();
    for (const r of await sql.unsafe(
      `select id, signaal_a, signaal_b, aangemaakt_op from landelijk.matches where signaal_a = any($1::uuid[]) or signaal_b = any($1::uuid[])`,
      [[...secondIds]] as never[],
    )) {
      const key = secondIds.has(r.signaal_a as string) ? (r.signaal_a as string) : (r.signaal_b as string);
      nationalMatches.set(key, { id: r.id as string, at: new Date(r.aangemaakt_op as string).getTime() });
    }
    const bridgeReceipts = new Map(
      (
        await sql.unsafe(`select match_id, ontvangen_op from brug.landelijke_matches where match_id = any($1::uuid[])`, [
          [...nationalMatches.values()].map((m) => m.id),
        ] as never[])
      ).map((r) => [r.match_id as string, new Date(r.ontvangen_op as string).getTime()]),
    );

    const latencies: number[] = [];
    const ackMs: number[] = [];
    const stages: Record<string, number[]> = {
      "ack -> Zuid-Kennemerland hub index": [],
      "hub index -> national index record": [],
      "national record -> national match": [],
      "national match -> Amsterdam bridge": [],
      "Amsterdam bridge -> Amsterdam node": [],
    };
    for (const w of wanted) {
      ackMs.push(w.b!.ackAt - w.b!.sentAt);
      const s = seen.get(w.i);
      if (!s) continue;
      latencies.push(s.melding - w.b!.ackAt);
      const rec = nationalRecords.get(w.b!.id);
      const match = nationalMatches.get(w.b!.id);
      const bridge = match ? bridgeReceipts.get(match.id) : undefined;
      const hub = hubRows.get(w.b!.id);
      if (hub === undefined || rec === undefined || !match || bridge === undefined) continue;
      stages["ack -> Zuid-Kennemerland hub index"]!.push(hub - w.b!.ackAt);
      stages["hub index -> national index record"]!.push(rec - hub);
      stages["national record -> national match"]!.push(match.at - rec);
      stages["national match -> Amsterdam bridge"]!.push(bridge - match.at);
      stages["Amsterdam bridge -> Amsterdam node"]!.push(s.melding - bridge);
    }
    // What the services warned about from the first registration on (pino levels 40-60), by process and message.
    const warnings: Record<string, number> = {};
    for (const line of procs.grep(/"level":[456]0/)) {
      if (Number(/"time":(\d+)/.exec(line)?.[1] ?? 0) < registeringFrom) continue;
      const proc = /^\[([^#\]]+)/.exec(line)?.[1] ?? "?";
      const msg = /"msg":"([^"]*)"/.exec(line)?.[1] ?? "?";
      warnings[`${proc}: ${msg}`] = (warnings[`${proc}: ${msg}`] ?? 0) + 1;
    }
    if (Object.keys(warnings).length > 0) log(`cross-region: warnings ${JSON.stringify(warnings)}`);
    const missing = wanted.length - latencies.length;
    log(`cross-region: answers ${JSON.stringify([...statuses])}; ${latencies.length} matches seen at the Amsterdam nodes, ${missing} missing`);
    if (missing > 0) log(`--- chain output\n${procs.logs(undefined, 15)}`);
    const result: CrossRegionResult = {
      crossRegionP50Ms: round(pct(latencies, 50)),
      crossRegionP99Ms: round(pct(latencies, 99)),
      crossRegionRatePerS: round(sendRatePerS, 2),
      crossRegionSamples: latencies.length,
      crossRegion: {
        scheduledRatePerS: RATE,
        pairs: pairs.length,
        acknowledged: wanted.length,
        missing,
        stages: Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, { p50: round(pct(v, 50)), p99: round(pct(v, 99)) }])),
        ackMs: { p50: round(pct(ackMs, 50)), p99: round(pct(ackMs, 99)) },
        measuredAt: new Date().toISOString(),
        warnings,
        /** The machine's 1-minute load average before and after the open-loop phase (it is shared: context for the figures). */
        loadAverage: { cores: cpus().length, before: round(loadBefore, 2), after: round(loadAfter, 2) },
        settings: {
          VERZEND_INTERVAL_MS: "1000 (default)",
          AFLEVER_INTERVAL_MS: "1000 (default)",
          LANDELIJK_HERHAAL_SECONDEN: "30 (default)",
          NODES_REFRESH_SECONDS: "10 (default)",
          amsterdamNodes: String(amsterdamCodes.length),
        },
      },
    };
    return result;
  } finally {
    await procs.stopAll([...started].reverse(), 10_000).catch(() => {});
    process.removeListener("exit", onExit);
    await sql?.end({ timeout: 5 }).catch(() => {});
    await issuerServer.close().catch(() => {});
    if (process.env.BENCH_KEEP) console.log(`kept database ${database.name}`);
    else await database.drop().catch(() => {});
    for (const ns of [nsA, nsB]) await deleteNamespaceStreams(o.natsUrl, ns).catch(() => {});
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Merges `values` into the JSON object in `file` (created when missing), keeping every other key. */
export function mergeResults(file: string, values: Record<string, unknown>): void {
  let existing: Record<string, unknown> = {};
  try {
    existing = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  writeFileSync(file, `${JSON.stringify({ ...existing, ...values }, null, 2)}\n`);
}
