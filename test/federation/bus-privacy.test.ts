/**
 * What the bus and the databases keep of a person (issue 8, "Done means"):
 *
 * (a) A wiretap on everything the region sends — every subject of the
 *     region's namespace, and the replies to its requests — while
 *     professionals register, get matched, work through another gemeente's
 *     node and a youth moves: no BSN, name, birth date, address, e-mail or
 *     phone of the fixture appears in any message in clear, nor in what the
 *     streams hold (read back through JetStream). Each message is also read
 *     with every dot-separated part base64url-decoded, so a signed but
 *     unencrypted JWS (whose payload is only base64url) would be caught.
 * (b) After a withdrawal and a removal at the 23rd birthday, no table of any
 *     schema (both nodes, the hub) and no stream message holds that youth's
 *     BSN or name, or the professional's e-mail — except the audit log (which
 *     names its actor by e-mail and the youth only by internal id) and the
 *     register (organisaties, professionals: the professional's own account).
 *
 * The wiretap connects with WIRETAP_OPTIONS: on a NATS with accounts, set
 * NATS_WIRETAP_CREDS to an operator (or system-wide) user's credentials file.
 */
import { readFileSync } from "node:fs";
import { jetstreamManager } from "@nats-io/jetstream";
import { type ConnectionOptions, connect, credsAuthenticator, type NatsConnection, type Subscription } from "@nats-io/transport-node";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "@vi/db";
import { addYears } from "@vi/domain";
import { runRetention } from "@vi/node";
import { ADAM, clockAt, IB, JGZ, LEERPLICHT, LIAM, NOOR, WIJKTEAM } from "../support/constants";
import { eventually, startFederation, type Federation } from "../support/federation";

/** How the wiretap connects: anonymous on the machine's NATS; with NATS_WIRETAP_CREDS, as that (operator) user. */
function wiretapOptions(servers: string): ConnectionOptions {
  const creds = process.env.NATS_WIRETAP_CREDS;
  return { servers, name: "wiretap", ...(creds ? { authenticator: credsAuthenticator(readFileSync(creds)) } : {}) };
}

let f: Federation;
beforeAll(async () => {
  f = await startFederation({ gemeenten: ["GM0363", "GM0479"] });
}, 120_000);
afterAll(async () => f?.close(), 60_000);

const q = async <T>(text: string) => rowsOf<T>(await f.database.db.execute(sql.raw(text)));
const matchesOf = async (code: string, email: string) => (await f.call(code, email, "GET", "/api/v1/matches")).body.matches as any[];

/** A message as text, and each of its dot-separated parts base64url-decoded (a JWS payload is only encoded, not hidden). */
function readable(data: string): string {
  const decoded = data.split(".").map((part) => {
    try {
      return Buffer.from(part, "base64url").toString("utf8");
    } catch {
      return "";
    }
  });
  return [data, ...decoded].join("\n");
}

/** Which of the needles occur in the text (case-insensitive). */
function found(text: string, needles: string[]): string[] {
  const lower = text.toLowerCase();
  return needles.filter((n) => lower.includes(n.toLowerCase()));
}

/** Every message the region's streams hold, read back through JetStream. */
async function streamMessages(nc: NatsConnection): Promise<{ stream: string; subject: string; data: string }[]> {
  const jsm = await jetstreamManager(nc);
  const out: { stream: string; subject: string; data: string }[] = [];
  for (const name of ["EVENTS", "DLQ"]) {
    const stream = `${f.namespace.toUpperCase()}_${name}`;
    const info = await jsm.streams.info(stream).catch(() => undefined);
    if (!info) continue;
    for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
      const m = await jsm.streams.getMessage(stream, { seq }).catch(() => undefined);
      if (m) out.push({ stream, subject: m.subject, data: new TextDecoder().decode(m.data) });
    }
  }
  return out;
}

/** Every row of every table of the region's schemas, as text, per schema.table. */
async function everyTable(): Promise<{ table: string; rows: Record<string, unknown>[] }[]> {
  const tables = await q<{ s: string; t: string }>(
    `select table_schema as s, table_name as t from information_schema.tables where table_schema in ('gm0363', 'gm0479', 'hub') and table_type = 'BASE TABLE' order by 1, 2`,
  );
  const out = [];
  for (const { s, t } of tables) out.push({ table: `${s}.${t}`, rows: await q<Record<string, unknown>>(`select * from "${s}"."${t}"`) });
  return out;
}

describe("(a) a wiretap on the region's bus", () => {
  let nc: NatsConnection;
  let sub: Subscription;
  const seen: { subject: string; reply?: string; data: string }[] = [];
  let adamSignal: string;

  beforeAll(async () => {
    nc = await connect(wiretapOptions(f.natsUrl));
    // Everything: the region's subjects, and the inboxes its replies (and JetStream deliveries) go to.
    sub = nc.subscribe(">");
    void (async () => {
      for await (const m of sub) seen.push({ subject: m.subject, reply: m.reply, data: m.string() });
    })();
    await nc.flush();
  });
  afterAll(async () => {
    await nc?.close();
  });

  it("reads no BSN, name, birth date, address, e-mail or phone while the region registers, matches, routes and relocates", async () => {
    // ib signals on Adam at Amsterdam; wijkteam on Noor at Zaanstad: a family match across gemeenten, made by the hub.
    const adam = await f.call("GM0363", IB, "POST", "/api/v1/signalen", { bsn: ADAM, geinformeerd: true });
    expect(adam.status).toBe(201);
    adamSignal = adam.body.signaal.id;
    expect((await f.call("GM0479", WIJKTEAM, "POST", "/api/v1/signalen", { bsn: NOOR, geinformeerd: true })).status).toBe(201);
    // jgz signals on Noor through Amsterdam (request/reply to Zaanstad): a client match with wijkteam; jgz opens the card.
    const jgz = await f.call("GM0363", JGZ, "POST", "/api/v1/signalen", { bsn: NOOR, geinformeerd: true });
    expect(jgz.status).toBe(201);
    const card = await f.call("GM0363", JGZ, "GET", `/api/v1/signalen/${jgz.body.signaal.id}/clientkaart`);
    expect(card.status).toBe(200);
    // leerplicht on Liam at Amsterdam: a family match with Adam there.
    expect((await f.call("GM0363", LEERPLICHT, "POST", "/api/v1/signalen", { bsn: LIAM, geinformeerd: true })).status).toBe(201);
    await eventually(async () => (await matchesOf("GM0363", IB)).length >= 3, "ib's three matches (wijkteam, jgz, leerplicht)");
    await eventually(async () => (await matchesOf("GM0479", WIJKTEAM)).length >= 2, "wijkteam's two matches");

    // Adam moves to Zaanstad: his signal and its matches travel there.
    f.brp.store.relocate(ADAM, {
      gemeenteCode: "GM0479",
      adres: { straat: "Zuiddijk", huisnummer: 12, postcode: "1501CJ", woonplaats: "Zaandam", adresseerbaarObjectId: "0479010000012345" },
    });
    await f.node("GM0363").pollMutations();
    await eventually(
      async () => (await f.call("GM0363", IB, "GET", "/api/v1/meldingen")).body.meldingen.find((m: any) => m.soort === "verhuizing"),
      "ib's relocation notice",
    );
    expect(await q(`select id from gm0479.signalen where id = '${adamSignal}'`)).toHaveLength(1);
    await nc.flush();

    // What could have leaked: the youths' and parents' BSNs, names, birth dates and addresses, the professionals' contact details.
    const youths = await q<{ bsn: string; naam: string; geboortedatum: string }>(
      `select bsn, naam, geboortedatum::text from gm0479.jeugdigen union select bsn, naam, geboortedatum::text from gm0363.jeugdigen`,
    );
    expect(youths.map((y) => y.bsn).sort()).toEqual([ADAM, LIAM, NOOR].sort());
    const pros = await q<{ email: string; naam: string; telefoon: string }>(
      `select email, naam, telefoon from gm0363.professionals where email in ('${IB}', '${JGZ}', '${LEERPLICHT}') union select email, naam, telefoon from gm0479.professionals where email = '${WIJKTEAM}'`,
    );
    expect(pros).toHaveLength(4);
    const cardYouth = card.body.jeugdige as { naam: string; adres?: Record<string, unknown> | null };
    const needles = [
      ...youths.flatMap((y) => [y.bsn, y.naam, y.geboortedatum]),
      "999900031", // Sara, Adam's and Liam's mother
      "999900043", // Daan, their father and Noor's
      "999900067", // Emma, Noor's mother
      "Haarlemmerweg",
      "Zuiddijk",
      "1501CJ",
      ...Object.values(cardYouth.adres ?? {}).filter((v): v is string => typeof v === "string" && v.length >= 4),
      ...pros.flatMap((p) => [p.email, p.naam, p.telefoon]),
    ];

    const ours = seen.filter((m) => m.subject.startsWith(`${f.namespace}.`));
    const replySubjects = new Set(ours.map((m) => m.reply).filter((r): r is string => Boolean(r)));
    const replies = seen.filter((m) => replySubjects.has(m.subject));
    // The wiretap saw the traffic: index events, notices, requests and their replies.
    for (const kind of [".evt.index.GM0363", ".evt.index.GM0479", ".evt.melding.GM0363", ".rpc.GM0479"]) {
      expect(
        ours.some((m) => m.subject === `${f.namespace}${kind}` || m.subject.startsWith(`${f.namespace}${kind}.`)),
        kind,
      ).toBe(true);
    }
    expect(replies.length).toBeGreaterThanOrEqual(3);
    const leaks = [...ours, ...replies].flatMap((m) => found(readable(m.data), needles).map((n) => `${m.subject}: ${n}`));
    expect(leaks).toEqual([]);

    // What the streams hold, read back through JetStream.
    const stored = await streamMessages(nc);
    expect(stored.length).toBeGreaterThanOrEqual(5);
    expect(stored.flatMap((m) => found(readable(m.data), needles).map((n) => `${m.stream} ${m.subject}: ${n}`))).toEqual([]);
  });
});

describe("(b) after a withdrawal and a removal at the 23rd birthday", () => {
  it("no table of any schema and no stream message holds the youth's BSN or name or the professional's e-mail, except audit rows", async () => {
    // Adam (now at Zaanstad, ib's only signal on him) is withdrawn by ib through Amsterdam: by signal id, at the residence node.
    const ibSignals = (await f.call("GM0363", IB, "GET", "/api/v1/signalen")).body.signalen as { id: string }[];
    expect(ibSignals).toHaveLength(1);
    expect((await f.call("GM0363", IB, "POST", `/api/v1/signalen/${ibSignals[0]!.id}/intrekken`)).status).toBe(204);

    // Noor turns 23: Zaanstad's retention removes wijkteam's and jgz's signals on her.
    const [noor] = await q<{ geboortedatum: string }>(`select geboortedatum::text from gm0479.jeugdigen where bsn = '${NOOR}'`);
    const clock = f.node("GM0479").ctx.clock as unknown as { set(at: string): void };
    clock.set(clockAt(addYears(noor!.geboortedatum, 23)));
    try {
      const report = await runRetention(f.node("GM0479").ctx, { brpMaxAgeMs: 0 });
      expect(report.verwijderd["23-jaar"]).toBe(2);
    } finally {
      clock.set(clockAt(f.today));
    }

    // Every copy follows: pointers and meldingen at Amsterdam, the hub's index rows and matches.
    await eventually(async () => (await q(`select * from gm0363.signaal_refs`)).length === 0, "Amsterdam's pointers to go");
    await eventually(async () => (await q(`select * from hub.index_signalen where node = 'GM0479'`)).length === 0, "the hub's index rows of Zaanstad to go");
    await eventually(
      async () => (await matchesOf("GM0363", LEERPLICHT)).length === 0 && (await matchesOf("GM0363", JGZ)).length === 0,
      "the matches with Adam and Noor to go at Amsterdam",
    );
    await f.node("GM0363").ctx.fed!.relay.flush();
    await f.node("GM0479").ctx.fed!.relay.flush();
    await f.hub.ctx.relay.flush();

    const [adamName, noorName] = ["Adam van Haarlem", "Noor Visser"];
    const youthNeedles = [ADAM, adamName, NOOR, noorName];
    const emailNeedles = [IB, WIJKTEAM, JGZ];
    // The register's own tables (a node's copy, the hub's register) hold the professional's account.
    const register = new Set(["organisaties", "professionals", "register_personen", "register_wijzigingen"]);
    const findings: string[] = [];
    for (const { table, rows } of await everyTable()) {
      const name = table.split(".")[1]!;
      for (const row of rows) {
        if (name === "audit_log") {
          // The audit log names the youth only by internal id (and its actor by e-mail, as BIO2 requires).
          findings.push(...found(JSON.stringify({ ...row, actor: undefined }), [...youthNeedles, ...emailNeedles]).map((n) => `${table}: ${n}`));
          continue;
        }
        const needles = register.has(name) ? youthNeedles : [...youthNeedles, ...emailNeedles];
        findings.push(...found(readable(JSON.stringify(row)), needles).map((n) => `${table}: ${n}`));
      }
    }
    expect(findings).toEqual([]);

    const nc = await connect(wiretapOptions(f.natsUrl));
    try {
      const stored = await streamMessages(nc);
      expect(stored.length).toBeGreaterThanOrEqual(5);
      expect(stored.flatMap((m) => found(readable(m.data), [...youthNeedles, ...emailNeedles]).map((n) => `${m.stream} ${m.subject}: ${n}`))).toEqual([]);
    } finally {
      await nc.close();
    }
  });
});
