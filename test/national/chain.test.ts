/**
 * The national chain end to end (issue 10, docs/national-chain.md): two regions over real NATS (a namespace each)
 * and PostgreSQL, a bridge per region, the national pseudonym service and the national index.
 *
 * - Yusuf (Diemen, Regio Amsterdam) signalled by jgz@ggd.example and Mila (Haarlem, Zuid-Kennemerland) by
 *   jeugdteam@haarlem.example share a mother: both get a `gezin` match, neither learns the other youth, each is
 *   mailed once.
 * - Withdrawing one side removes the match on both sides and every trace at the national index.
 * - Nothing of the fixture's persons (BSN, name, date of birth, address) is in any table of the hubs, the bridges or
 *   the national index, on either region's bus, or in any HTTPS exchange between the bridges, the national pseudonym
 *   service and the national index (recorded at undici's diagnostics channels: headers and bodies, both ways).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { sql } from "drizzle-orm";
import { getTableConfig } from "drizzle-orm/pg-core";
import { rowsOf } from "@vi/db";
import { JGZ, MILA, TODAY, YUSUF } from "../support/constants";
import { eventually } from "../support/federation";
import { exchangeFields, findLeaks, fixtureNeedles, type HttpRecorder, type Needle, recordHttpExchanges } from "../support/leak-scan";
import { startNationalChain, type NationalChain } from "../support/national";

const JEUGDTEAM = "jeugdteam@haarlem.example";

let c: NationalChain;
/**
 * A wiretap on the whole NATS server, keeping every message of both regions: on their namespaces' subjects, on the
 * JetStream API and acks of their streams, and the replies and JetStream deliveries to the reply subjects those
 * messages named. The server is shared (other suites may run at the same time): their traffic is not kept.
 */
let tap: NatsConnection;
const tapped: { subject: string; data: string }[] = [];
/** Every HTTP exchange of this process from before the chain started (the chain's are picked out by origin). */
let recorder: HttpRecorder;
/** Every BSN, name, date of birth and address of the fixture's persons. */
let needles: Needle[];
beforeAll(async () => {
  recorder = recordHttpExchanges();
  c = await startNationalChain();
  needles = fixtureNeedles(TODAY, (bsn) => c.amsterdam.brp.store.get(bsn) ?? c.haarlem.brp.store.get(bsn));
  tap = await connect({ servers: c.amsterdam.natsUrl, name: "wiretap" });
  const sub = tap.subscribe(">");
  const namespaces = [c.amsterdam.namespace, c.haarlem.namespace].map((ns) => ns.toLowerCase());
  const ofRegion = (subject: string) =>
    subject.split(".").some((token) => namespaces.some((ns) => token.toLowerCase() === ns || token.toLowerCase().startsWith(`${ns}_`)));
  const replySubjects = new Set<string>();
  void (async () => {
    for await (const m of sub) {
      if (!ofRegion(m.subject) && !replySubjects.has(m.subject)) continue;
      if (m.reply) replySubjects.add(m.reply);
      tapped.push({ subject: m.subject, data: m.string() });
    }
  })();
  await tap.flush();
}, 180_000);
afterAll(async () => {
  recorder?.stop();
  await tap?.close();
  await c?.close();
}, 60_000);

type Db = NationalChain["amsterdam"]["database"]["db"];
const rowsIn = async <T>(db: Db, query: string) => rowsOf<T>(await db.execute(sql.raw(query)));

/**
 * Every row of every table (and view) in the schemas of each region's hub and bridge and of the national index,
 * all columns (row_to_json), read with what is only encoded decoded. Each region's database holds no other schema
 * than those, its nodes' (which hold BSNs by design) and an empty public schema, the national index's database only
 * its own and public: a new schema fails here.
 */
async function scanTables(): Promise<{ hits: string[]; rows: Record<string, number> }> {
  const hits: string[] = [];
  const rows: Record<string, number> = {};
  const scan = async (db: Db, schema: string) => {
    const tables = await rowsIn<{ t: string }>(
      db,
      `select c.relname as t from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = '${schema}' and c.relkind in ('r', 'p', 'v', 'm', 'f') order by 1`,
    );
    expect(tables.length, schema).toBeGreaterThan(0);
    for (const { t } of tables) {
      const all = await rowsIn<{ r: string }>(db, `select row_to_json(x)::text as r from "${schema}"."${t}" x`);
      rows[`${schema}.${t}`] = all.length;
      for (const { r } of all) hits.push(...findLeaks(`${schema}.${t}`, JSON.parse(r), needles));
    }
  };
  for (const [fed, bridge] of [
    [c.amsterdam, c.bridges.amsterdam],
    [c.haarlem, c.bridges["zuid-kennemerland"]],
  ] as const) {
    const own = [fed.hubConfig.DB_SCHEMA, bridge.ctx.config.DB_SCHEMA];
    const nodes = [...fed.nodes.values()].map((n) => getTableConfig(n.ctx.t.signalen).schema!);
    const present = await rowsIn<{ s: string }>(
      fed.database.db,
      `select nspname as s from pg_namespace where nspname not like 'pg\\_%' and nspname <> 'information_schema' order by 1`,
    );
    expect(present.map((x) => x.s).sort()).toEqual([...own, ...nodes, "public"].sort());
    expect(await rowsIn(fed.database.db, `select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public'`)).toEqual([]);
    for (const schema of own) await scan(fed.database.db, schema);
  }
  const national = await rowsIn<{ s: string }>(
    c.national.database.db,
    `select nspname as s from pg_namespace where nspname not like 'pg\\_%' and nspname <> 'information_schema' order by 1`,
  );
  expect(national.map((x) => x.s).sort()).toEqual([c.national.index.ctx.schema, "public"].sort());
  await scan(c.national.database.db, c.national.index.ctx.schema);
  return { hits, rows };
}

const matchesOf = async (fed: NationalChain["amsterdam"], code: string, email: string) =>
  (await fed.call(code, email, "GET", "/api/v1/matches")).body.matches as Array<Record<string, any>>;

describe("a family match across regions", () => {
  let yusufSignal: string;
  let milaSignal: string;

  it("Yusuf at Diemen and Mila at Haarlem: both get a gezin match, neither learns the other youth, each mailed once", async () => {
    const y = await c.amsterdam.call("GM0384", JGZ, "POST", "/api/v1/signalen", { bsn: YUSUF, geinformeerd: true });
    expect(y.status).toBe(201);
    yusufSignal = y.body.signaal.id;
    const m = await c.haarlem.call("GM0392", JEUGDTEAM, "POST", "/api/v1/signalen", { bsn: MILA, geinformeerd: true });
    expect(m.status).toBe(201);
    milaSignal = m.body.signaal.id;

    const atDiemen = await eventually(
      async () => (await matchesOf(c.amsterdam, "GM0384", JGZ)).find((x) => x.soort === "gezin"),
      "Diemen's gezin match",
      30_000,
    );
    const atHaarlem = await eventually(
      async () => (await matchesOf(c.haarlem, "GM0392", JEUGDTEAM)).find((x) => x.soort === "gezin"),
      "Haarlem's gezin match",
      30_000,
    );
    expect(atDiemen.matchId ?? atDiemen.id).toBe(atHaarlem.matchId ?? atHaarlem.id);
    expect(JSON.stringify(atDiemen)).toContain(JEUGDTEAM);
    expect(JSON.stringify(atHaarlem)).toContain(JGZ);
    // Neither side learns who the other youth is.
    expect(JSON.stringify(atDiemen)).not.toMatch(/Mila|Jansen|999900109/);
    expect(JSON.stringify(atHaarlem)).not.toMatch(/Yusuf|El Amrani|999900134/);

    // Each mailed once (a match melding per professional, in each region's mail sink).
    const mailsTo = (fed: NationalChain["amsterdam"], to: string) => fed.sink.messages().filter((x) => x.to.includes(to));
    await eventually(async () => mailsTo(c.amsterdam, JGZ).length >= 1 && mailsTo(c.haarlem, JEUGDTEAM).length >= 1, "the mails", 30_000);
    // Deliveries settle: nothing left to send or deliver, then no second mail.
    await c.national.index.deliver();
    await c.bridges.amsterdam.send();
    await c.bridges["zuid-kennemerland"].send();
    for (const f of [c.amsterdam, c.haarlem]) await f.hub.ctx.relay.flush();
    expect(mailsTo(c.amsterdam, JGZ)).toHaveLength(1);
    expect(mailsTo(c.haarlem, JEUGDTEAM)).toHaveLength(1);
    const nat = c.national.database.db;
    expect(rowsOf<{ n: number }>(await nat.execute(sql.raw(`select count(*)::int as n from landelijk.matches`)))[0]!.n).toBe(1);
  });

  it("no table of either hub, either bridge or the national index holds a BSN, name, birth date or address of the fixture", async () => {
    const { hits, rows } = await scanTables();
    // The scan read what the chain made: the regions' index, the national records and match, the bridges' matches.
    for (const [fed, bridge] of [
      [c.amsterdam, c.bridges.amsterdam],
      [c.haarlem, c.bridges["zuid-kennemerland"]],
    ] as const) {
      expect(rows[`${fed.hubConfig.DB_SCHEMA}.index_signalen`]).toBeGreaterThan(0);
      expect(rows[`${bridge.ctx.config.DB_SCHEMA}.landelijke_matches`]).toBeGreaterThan(0);
    }
    expect(rows[`${c.national.index.ctx.schema}.records`]).toBe(2);
    expect(rows[`${c.national.index.ctx.schema}.matches`]).toBe(1);
    expect(hits).toEqual([]);
  });

  it("no message on either region's bus carries a BSN, name, birth date or address of the fixture", async () => {
    // The wiretap ran from before the first signal: it saw the signals, the hubs' and bridges' events and the matches.
    expect(tapped.length).toBeGreaterThan(0);
    expect(tapped.some((m) => m.subject.startsWith(`${c.amsterdam.namespace}.`))).toBe(true);
    expect(tapped.some((m) => m.subject.startsWith(`${c.haarlem.namespace}.`))).toBe(true);
    // The events are JWE (compact, five parts) sealed to their receiver: the wiretap sees ciphertext there, so this
    // scan proves nothing reaches the wire in the clear; what the receivers decrypt is covered by the table scan above.
    const events = tapped.filter((m) => m.subject.startsWith(`${c.amsterdam.namespace}.evt.`) || m.subject.startsWith(`${c.haarlem.namespace}.evt.`));
    expect(events.length).toBeGreaterThan(0);
    expect(events.filter((m) => m.data.split(".").length !== 5).map((m) => m.subject)).toEqual([]);
    expect(tapped.flatMap((m) => findLeaks(m.subject, m.data, needles))).toEqual([]);
  });

  it("withdrawing Mila's signal removes the match on both sides and every trace at the national index", async () => {
    const w = await c.haarlem.call("GM0392", JEUGDTEAM, "POST", `/api/v1/signalen/${milaSignal}/intrekken`);
    expect(w.status, JSON.stringify(w.body)).toBe(204);
    await eventually(async () => (await matchesOf(c.amsterdam, "GM0384", JGZ)).every((x) => x.soort !== "gezin"), "Diemen's match gone", 30_000);
    const nat = c.national.database.db;
    await eventually(
      async () =>
        rowsOf<{ n: number }>(await nat.execute(sql.raw(`select count(*)::int as n from landelijk.records where signaal_id = '${milaSignal}'`)))[0]!.n === 0,
      "Mila's record gone at the national index",
    );
    expect(rowsOf<{ n: number }>(await nat.execute(sql.raw(`select count(*)::int as n from landelijk.matches`)))[0]!.n).toBe(0);
    await eventually(
      async () => rowsOf<{ n: number }>(await nat.execute(sql.raw(`select count(*)::int as n from landelijk.afleveringen`)))[0]!.n === 0,
      "deliveries done",
    );
    // Yusuf's own record stays (his signal is active).
    expect(
      rowsOf<{ n: number }>(await nat.execute(sql.raw(`select count(*)::int as n from landelijk.records where signaal_id = '${yusufSignal}'`)))[0]!.n,
    ).toBe(1);
  });

  it("after the withdrawal still nothing of the fixture in any table or on either bus", async () => {
    expect((await scanTables()).hits).toEqual([]);
    expect(tapped.flatMap((m) => findLeaks(m.subject, m.data, needles))).toEqual([]);
  });

  it("no HTTPS exchange between the bridges, the national pseudonym service and the national index carries a BSN, name, birth date or address", async () => {
    await c.national.index.deliver();
    for (const b of Object.values(c.bridges)) await b.send();
    const bridges = [c.bridges.amsterdam, c.bridges["zuid-kennemerland"]] as const;
    const cn = (b: (typeof bridges)[number]) => `brug-${b.ctx.config.REGIO}`;
    const origin = (url: string) => new URL(url).origin;
    const NATIONAL = origin(c.national.index.url);
    const PSEUDONYMS = origin(c.pseudonyms.url);
    const chainOrigins = new Set([NATIONAL, PSEUDONYMS, ...bridges.map((b) => origin(b.nationalUrl))]);
    const chain = () => recorder.exchanges.filter((x) => chainOrigins.has(x.origin));
    const done = () => chain().filter((x) => x.complete);

    // The recording is complete: each party counted, on its own, as many signed requests or answers as the
    // recording holds exchanges it took part in (every one accepted; nothing refused).
    await eventually(async () => {
      const xs = done();
      const of = (name: string, url: string) => xs.filter((x) => x.from === name || x.origin === origin(url)).length;
      return (
        c.pseudonyms.metrics.accepted === xs.filter((x) => x.origin === PSEUDONYMS).length &&
        c.national.index.ctx.metrics.accepted === of("landelijke-index", c.national.index.url) &&
        bridges.every((b) => b.ctx.fsc.accepted === of(cn(b), b.nationalUrl)) &&
        xs.length === chain().length
      );
    }, "the recording to hold every exchange the parties counted");
    for (const m of [c.pseudonyms.metrics, c.national.index.ctx.metrics, ...bridges.map((b) => b.ctx.fsc)]) {
      expect(Object.values(m.refused).every((n) => n === 0)).toBe(true);
    }
    const xs = done();
    // Every exchange over mutual TLS between two parties of the chain, answered 2xx, nothing compressed (so read as sent).
    for (const x of xs) {
      expect(x.error, `${x.method} ${x.path}`).toBeUndefined();
      expect(x.status, `${x.method} ${x.path}`).toBeGreaterThanOrEqual(200);
      expect(x.status, `${x.method} ${x.path}`).toBeLessThan(300);
      expect(x.from && x.to, `${x.method} ${x.path}: mutual TLS`).toBeTruthy();
      expect(x.responseHeaders.filter(([k, v]) => k.toLowerCase() === "content-encoding" && v !== "identity")).toEqual([]);
      expect(x.requestHead.toLowerCase()).toContain("handtekening:");
    }
    const body = (text: string) => (text ? (JSON.parse(text) as Record<string, any>) : {});
    const sent = (from: string, method: string, path: string) => xs.filter((x) => x.from === from && x.method === method && x.path === path);

    for (const b of bridges) {
      // Pseudonyms asked: blinded elements to the national pseudonym service, evaluated elements back.
      const asked = sent(cn(b), "POST", "/api/v1/evaluaties");
      expect(asked.length, `${cn(b)} asked for national pseudonyms`).toBeGreaterThan(0);
      for (const x of asked) {
        expect(x.to).toBe("landelijke-pseudoniemendienst");
        expect(body(x.requestBody).elementen.length).toBeGreaterThan(0);
        expect(body(x.responseBody).elementen).toHaveLength(body(x.requestBody).elementen.length);
      }
      // Index changes sent: every change the bridge counted as acknowledged is in a recorded request.
      const changes = sent(cn(b), "POST", "/api/v1/signalen");
      expect(changes.every((x) => x.to === "landelijke-index")).toBe(true);
      const records = changes.flatMap((x) => body(x.requestBody).signalen as Array<Record<string, any>>);
      expect(records.length, `${cn(b)}'s changes`).toBe(b.ctx.figures.sent);
      expect(records.some((r) => r.status === "actief" && typeof r.contact === "string")).toBe(true);
      // The national index's directory of bridges (the recipients of contact details).
      expect(sent(cn(b), "GET", "/api/v1/bruggen").some((x) => body(x.responseBody).bruggen.length === 2)).toBe(true);
      // Matches delivered: the national index's notices to this bridge, the gezin match among them.
      const delivered = xs.filter((x) => x.from === "landelijke-index" && x.to === cn(b) && x.path === "/api/v1/landelijke-berichten");
      const berichten = delivered.flatMap((x) => body(x.requestBody).berichten as Array<Record<string, any>>);
      expect(
        berichten.some((m) => m.soort === "melding" && m.matchSoort === "gezin"),
        `a match delivered to ${cn(b)}`,
      ).toBe(true);
      expect(delivered.every((x) => typeof body(x.responseBody).meldingen === "number")).toBe(true);
    }
    // Mila's withdrawal reached the national index, and the match's end reached Diemen's side.
    expect(
      sent("brug-zuid-kennemerland", "POST", "/api/v1/signalen").some((x) =>
        body(x.requestBody).signalen.some((r: Record<string, any>) => r.status === "verwijderd"),
      ),
    ).toBe(true);
    const notices = xs.filter((x) => x.from === "landelijke-index").flatMap((x) => body(x.requestBody).berichten as Array<Record<string, any>>);
    expect(notices.some((m) => m.soort === "verwijderd")).toBe(true);
    expect(notices.length).toBe(c.national.index.ctx.figures.delivered);

    // And nothing of the fixture in any of it: URL, header values (the Handtekening JWS decoded), bodies (JWS and
    // JSON decoded; the contact details are JWE ciphertext, of which only the protected header is readable).
    expect(xs.flatMap((x) => findLeaks(`${x.from} -> ${x.to} ${x.method} ${x.path}`, exchangeFields(x), needles))).toEqual([]);
  });
});
