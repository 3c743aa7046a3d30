/**
 * A hub on real PostgreSQL (a fresh database per suite) with two simulated
 * nodes, GM0363 (Amsterdam) and GM0479 (Zaanstad): their own signing keys,
 * their own connection to the bus, fake HTTP endpoints (JWKS, readiness)
 * behind an injected fetch, and a consumer of their meldingen that verifies
 * them exactly as a node would.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import pino from "pino";
import type { Bus } from "@vi/bus";
import { openDatabase, rowsOf, type Database } from "@vi/db";
import {
  EventMetrics,
  loadOrCreateServiceKeys,
  memoryKeyStore,
  memoryReplayGuard,
  signEvent,
  staticTrustRegistry,
  openEvent,
  sealToken,
  type EventData,
  type KeyStore,
  type ServiceKeys,
  type TrustRegistry,
} from "@vi/events";
import { evaluatePseudonym, keyOfVersion } from "@vi/pseudonym";
import { parseHubConfig, startHub, type RunningHub } from "../src/index";
import { IB } from "../../../test/support/constants";
import { createTestDatabase } from "../../../test/support/database";

/** The pseudonym service's key (version 1 of a random seed): the simulated nodes' pseudonyms are its. */
export const PSEUDONYM_KEY = keyOfVersion(randomBytes(32), "regio", 1).secretKey;
/** Noor's professional at Zaanstad (see adamEnNoor; the hub knows no registry of accounts). */
export const JGZ_ZAANSTREEK = "jgz@ggd-zaanstreek.example";
export const ps = (kind: "jeugdige" | "ouder" | "adres", value: string) => evaluatePseudonym(PSEUDONYM_KEY, { kind, value });

export type IndexData = EventData<"signaal.index">;
export type Melding = EventData<"match.melding">;

export interface SimNode {
  code: string;
  url: string;
  store: KeyStore;
  keys: ServiceKeys;
  bus: Bus;
  /** Meldingen received and verified as the node would. */
  meldingen: Array<{ jti: string; iss: string; subject: string; data: Melding; token: string }>;
  /** `match.verwijderd` events received: the matches whose meldingen the node deletes. */
  verwijderd: Array<{ iss: string; data: EventData<"match.verwijderd"> }>;
  /** `match.regie` events received: which gemeente leads a cross-gemeente match (docs/adr/0039). */
  regie: Array<{ iss: string; data: EventData<"match.regie"> }>;
  /** What the node's JWKS endpoint serves (tests may add foreign keys). */
  jwks: () => { keys: Record<string, unknown>[] };
  ready: boolean;
  reachable: boolean;
}

export interface TestHub {
  hub: RunningHub;
  database: Database;
  nodes: Record<"GM0363" | "GM0479", SimNode>;
  hubKeys: ServiceKeys;
  trust: TrustRegistry;
  logLines: string[];
  /** Publishes a signed signaal.index event as `node`; returns the token and jti. */
  publishIndex(
    node: SimNode,
    data: IndexData,
    opts?: { aud?: string; keys?: ServiceKeys; subject?: string; jti?: string },
  ): Promise<{ token: string; jti: string }>;
  /** A signed, sealed signaal.index event as `node` would publish it, not published: the message and the jti. */
  sealIndex(node: SimNode, data: IndexData, opts?: { jti?: string }): Promise<{ subject: string; data: string; jti: string; token: string }>;
  /** Publishes a token as the node would: encrypted to the hub (unless `clear`), whatever it holds. */
  publishRaw(node: SimNode, token: string, msgId?: string, subject?: string, opts?: { clear?: boolean }): Promise<void>;
  /** Resolves when the hub has handled `n` more index events than at `since`. */
  handled(since: number, n?: number): Promise<void>;
  handledCount(): number;
  counts(): Promise<{ index: number; matches: number; outbox: number; ontvangen: number }>;
  matchIds(): Promise<string[]>;
  /** GET on the hub's API port, or its admin port (/metrics, /api/v1/nodes). */
  get(path: string, side?: "api" | "admin"): Promise<{ status: number; headers: Headers; text: string; json: any }>;
  close(): Promise<void>;
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

let seq = 0;
/** An index entry of a fresh signal; `versie` grows per call. */
export function entry(over: Partial<IndexData> & { node: string; jeugdige: string; email: string; naam?: string }): IndexData {
  const { email, naam, ...rest } = over;
  return {
    signaalId: randomUUID(),
    entryNode: over.node,
    status: "actief",
    versie: Date.now() * 10 + (seq++ % 10),
    ouders: [],
    adres: null,
    sleutelversie: 1,
    professional: {
      email,
      naam: naam ?? email.split("@")[0]!,
      functie: "Intern begeleider",
      telefoon: "020-5550000",
      organisatie: `Organisatie van ${email}`,
      domein: "onderwijs",
    },
    ...rest,
  };
}

export interface TestHubOptions {
  bus: (name: string) => Promise<Bus> | Bus;
  trust?: "static" | "registry";
  /** More nodes in the hub's registry (`NODES`), with no simulated node behind them (a test answers for them itself). */
  extraNodes?: string[];
}

export async function startTestHub(opts: TestHubOptions): Promise<TestHub> {
  const testDb = await createTestDatabase("vi_hub");
  const database = await openDatabase({ url: testDb.url, max: 5 });
  const opened: Bus[] = [];
  try {
    return await start(opts, testDb, database, opened);
  } catch (e) {
    for (const b of opened) await b.close().catch(() => {});
    await database.close();
    await testDb.drop();
    throw e;
  }
}

async function start(opts: TestHubOptions, testDb: { url: string; drop(): Promise<void> }, database: Database, opened: Bus[]): Promise<TestHub> {
  const connect = async (name: string) => {
    const b = await opts.bus(name);
    opened.push(b);
    return b;
  };
  const hubKeys = await loadOrCreateServiceKeys({ iss: "hub", store: memoryKeyStore() });

  const nodes = {} as Record<"GM0363" | "GM0479", SimNode>;
  for (const code of ["GM0363", "GM0479"] as const) {
    const store = memoryKeyStore();
    const keys = await loadOrCreateServiceKeys({ iss: code, store });
    const node: SimNode = {
      code,
      url: `http://${code.toLowerCase()}.test`,
      store,
      keys,
      bus: await connect(code),
      meldingen: [],
      verwijderd: [],
      regie: [],
      jwks: () => keys.jwks() as { keys: Record<string, unknown>[] },
      ready: true,
      reachable: true,
    };
    nodes[code] = node;
  }
  // Nodes trust the hub's key (as they would through the hub's trust registry).
  const nodeTrust = staticTrustRegistry([hubKeys.jwks()]);
  for (const node of Object.values(nodes)) {
    await node.bus.ensureStreams();
    const replay = memoryReplayGuard();
    await node.bus.consume({ durable: `node-${node.code}-melding`, filterSubjects: [`evt.melding.${node.code}.*`] }, async (m) => {
      const ev = await openEvent(m.data, {
        keys: node.keys,
        trust: nodeTrust,
        audience: node.code,
        replay,
        metrics: new EventMetrics(),
        expect: ["match.melding", "match.verwijderd", "match.regie"],
      });
      if (ev.type === "match.regie") node.regie.push({ iss: ev.iss, data: ev.data });
      else if (ev.type === "match.verwijderd") node.verwijderd.push({ iss: ev.iss, data: ev.data });
      else node.meldingen.push({ jti: ev.jti, iss: ev.iss, subject: m.subject, data: ev.data, token: m.data });
    });
  }

  const fakeFetch: typeof fetch = async (input) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    const node = Object.values(nodes).find((n) => new URL(n.url).host === url.host);
    if (!node?.reachable) throw new TypeError("fetch failed");
    if (url.pathname === "/.well-known/jwks.json") return Response.json(node.jwks());
    if (url.pathname === "/ready") return node.ready ? Response.json({ status: "ready" }) : Response.json({ code: "NIET_GEREED" }, { status: 503 });
    return new Response("not found", { status: 404 });
  };

  const trust = staticTrustRegistry([nodes.GM0363.keys.jwks(), nodes.GM0479.keys.jwks(), hubKeys.jwks()]);
  const logLines: string[] = [];
  const config = parseHubConfig({
    PORT: "0",
    ADMIN_PORT: "0",
    DATABASE_URL: testDb.url,
    NODES: [`GM0363=${nodes.GM0363.url}`, `GM0479=${nodes.GM0479.url}`, ...(opts.extraNodes ?? []).map((c) => `${c}=http://${c.toLowerCase()}.test`)].join(","),
    NODES_REFRESH_SECONDS: "0",
    REBUILD_TIMEOUT_MS: "2000",
    // A retried page waits milliseconds, not seconds (a node that is gone stays gone in these tests).
    REBUILD_RETRY_MS: "10",
    LOG_LEVEL: "debug",
  });
  const hubBus = await connect("hub");
  const hub = await startHub({
    config,
    database,
    bus: hubBus,
    keys: hubKeys,
    ...(opts.trust === "registry" ? {} : { trust }),
    fetch: fakeFetch,
    log: pino({ level: "debug" }, { write: (line: string) => void logLines.push(line) }),
  });

  const count = async (table: string) => rowsOf<{ n: number }>(await database.db.execute(sql.raw(`select count(*)::int as n from "hub"."${table}"`)))[0]!.n;
  const handledCount = () => hub.ctx.metrics.accepted + Object.values(hub.ctx.metrics.rejected).reduce((a, b) => a + b, 0);

  const t: TestHub = {
    hub,
    database,
    nodes,
    hubKeys,
    trust,
    logLines,
    async publishIndex(node, data, o = {}) {
      const signed = await signEvent(o.keys ?? node.keys, { type: "signaal.index", aud: o.aud ?? "hub", data, ...(o.jti ? { jti: o.jti } : {}) });
      await node.bus.publish(o.subject ?? `evt.index.${node.code}`, await sealToken(signed.token, "hub", nodeTrust), signed.jti);
      return signed;
    },
    async sealIndex(node, data, o = {}) {
      const signed = await signEvent(node.keys, { type: "signaal.index", aud: "hub", data, ...(o.jti ? { jti: o.jti } : {}) });
      return { subject: `evt.index.${node.code}`, data: await sealToken(signed.token, "hub", nodeTrust), jti: signed.jti, token: signed.token };
    },
    async publishRaw(node, token, msgId = randomUUID(), subject = `evt.index.${node.code}`, o = {}) {
      await node.bus.publish(subject, o.clear ? token : await sealToken(token, "hub", nodeTrust), msgId);
    },
    handledCount,
    async handled(since, n = 1) {
      await waitFor(`${n} index event(s) handled`, () => handledCount() >= since + n);
    },
    async counts() {
      return {
        index: await count("index_signalen"),
        matches: await count("hub_matches"),
        outbox: await count("outbox"),
        ontvangen: await count("ontvangen_events"),
      };
    },
    async matchIds() {
      return rowsOf<{ id: string }>(await database.db.execute(sql.raw(`select id::text from "hub"."hub_matches" order by id`))).map((r) => r.id);
    },
    async get(path, side = "api") {
      const res = await fetch(`${side === "admin" ? hub.adminUrl : hub.url}${path}`);
      const text = await res.text();
      let json: unknown = null;
      try {
        json = JSON.parse(text);
      } catch {
        /* text */
      }
      return { status: res.status, headers: res.headers, text, json };
    },
    async close() {
      await hub.stop();
      for (const n of Object.values(nodes)) await n.bus.close();
      await hubBus.close();
      await database.close();
      await testDb.drop();
    },
  };
  return t;
}

/** Adam (Amsterdam, parents P1 and P2) and Noor (Zaanstad, parents P2 and P3), signalled by different professionals. */
export function adamEnNoor() {
  const adam = entry({
    node: "GM0363",
    jeugdige: ps("jeugdige", "adam"),
    ouders: [ps("ouder", "P1"), ps("ouder", "P2")],
    adres: ps("adres", "damrak-1"),
    email: IB,
    naam: "Ilse Bakker",
  });
  const noor = entry({
    node: "GM0479",
    jeugdige: ps("jeugdige", "noor"),
    ouders: [ps("ouder", "P2"), ps("ouder", "P3")],
    adres: ps("adres", "zaandam-7"),
    email: JGZ_ZAANSTREEK,
    naam: "Jamal Ghazi",
  });
  return { adam, noor, pseudonyms: [adam.jeugdige, noor.jeugdige, ...adam.ouders, ...noor.ouders, adam.adres!, noor.adres!] };
}
