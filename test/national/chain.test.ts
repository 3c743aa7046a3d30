/**
 * The national chain end to end (issue 10, docs/national-chain.md): two regions over real NATS (a namespace each)
 * and PostgreSQL, a bridge per region, the national pseudonym service and the national index.
 *
 * - Yusuf (Diemen, Regio Amsterdam) signalled by jgz@ggd.example and Mila (Haarlem, Zuid-Kennemerland) by
 *   jeugdteam@haarlem.example share a mother: both get a `gezin` match, neither learns the other youth, each is
 *   mailed once.
 * - Withdrawing one side removes the match on both sides and every trace at the national index.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { sql } from "drizzle-orm";
import { rowsOf } from "@vi/db";
import { JGZ, MILA, YUSUF } from "../support/constants";
import { eventually } from "../support/federation";
import { startNationalChain, type NationalChain } from "../support/national";

const JEUGDTEAM = "jeugdteam@haarlem.example";

let c: NationalChain;
/** A wiretap on the whole NATS server (both regions' namespaces): every message, JetStream deliveries and replies too. */
let tap: NatsConnection;
const tapped: { subject: string; data: string }[] = [];
beforeAll(async () => {
  c = await startNationalChain();
  tap = await connect({ servers: c.amsterdam.natsUrl, name: "wiretap" });
  const sub = tap.subscribe(">");
  void (async () => {
    for await (const m of sub) tapped.push({ subject: m.subject, data: m.string() });
  })();
  await tap.flush();
}, 180_000);
afterAll(async () => {
  await tap?.close();
  await c?.close();
}, 60_000);

/** A message as text, and each of its dot-separated parts base64url-decoded (a JWS payload is only encoded, not hidden). */
function readable(data: string): string {
  return [data, ...data.split(".").map((part) => Buffer.from(part, "base64url").toString("utf8"))].join("\n");
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

  it("no table of either hub, either bridge or the national index holds a BSN or a name of the youths or their mother", async () => {
    const needles = [YUSUF, MILA, "999900122", "Yusuf", "El Amrani", "Mila", "Jansen", "Fatima"];
    const scan = async (db: NationalChain["amsterdam"]["database"]["db"], schemas: string[]) => {
      const hits: string[] = [];
      for (const schema of schemas) {
        const tables = rowsOf<{ t: string }>(await db.execute(sql`select table_name as t from information_schema.tables where table_schema = ${schema}`));
        expect(tables.length).toBeGreaterThan(0);
        for (const { t } of tables) {
          const rows = rowsOf<{ r: string }>(await db.execute(sql.raw(`select row_to_json(x)::text as r from "${schema}"."${t}" x`)));
          for (const { r } of rows) for (const n of needles) if (r.toLowerCase().includes(n.toLowerCase())) hits.push(`${schema}.${t}: ${n}`);
        }
      }
      return hits;
    };
    expect(await scan(c.amsterdam.database.db, [c.amsterdam.hubConfig.DB_SCHEMA, "brug"])).toEqual([]);
    expect(await scan(c.haarlem.database.db, [c.haarlem.hubConfig.DB_SCHEMA, "brug"])).toEqual([]);
    expect(await scan(c.national.database.db, ["landelijk"])).toEqual([]);
  });

  it("no message on either region's bus carries a BSN, name, birth date or address of the youths or their mother", async () => {
    // The wiretap ran from before the first signal: it saw the signals, the hubs' and bridges' events and the matches.
    expect(tapped.length).toBeGreaterThan(0);
    expect(tapped.some((m) => m.subject.startsWith(`${c.amsterdam.namespace}.`))).toBe(true);
    expect(tapped.some((m) => m.subject.startsWith(`${c.haarlem.namespace}.`))).toBe(true);
    const needles = [YUSUF, MILA, "999900122", "Yusuf", "El Amrani", "Mila", "Jansen", "Fatima"];
    for (const bsn of [YUSUF, MILA, "999900122"]) {
      const p = c.amsterdam.brp.store.get(bsn) ?? c.haarlem.brp.store.get(bsn);
      expect(p, bsn).toBeDefined();
      needles.push(p!.geboortedatum, p!.geboortedatum.replaceAll("-", ""), p!.adres.straat, p!.adres.postcode, p!.adres.adresseerbaarObjectId);
    }
    // The events are JWE (compact, five parts) sealed to their receiver: the wiretap sees ciphertext there, so this
    // scan proves nothing reaches the wire in the clear; what the receivers decrypt is covered by the table scan above.
    const events = tapped.filter((m) => m.subject.includes(".evt."));
    expect(events.length).toBeGreaterThan(0);
    expect(events.filter((m) => m.data.split(".").length !== 5).map((m) => m.subject)).toEqual([]);
    const hits: string[] = [];
    for (const m of tapped) {
      const text = readable(m.data).toLowerCase();
      for (const n of needles) if (text.includes(n.toLowerCase())) hits.push(`${m.subject}: ${n}`);
    }
    expect(hits).toEqual([]);
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
});
