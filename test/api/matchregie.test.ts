/**
 * Matchregie (Jeugdwet 7.1.3.2) over HTTP against a node on PostgreSQL: only the gemeente's matchregisseur sees the
 * gemeente's matches, without a youth's name until they open one (logged); the region's rule proposes a regievoerder,
 * the matchregisseur confirms one; the professionals of a match set its status; a match without contact is reminded
 * once, by melding and e-mail, and flagged.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "@vi/db";
import { runMatchReminders } from "@vi/node";
import { type SmtpSink, startSmtpSink } from "@vi/smtp-sink";
import { ADAM, IB, JGZ, LEERPLICHT, PRIVACY, REGIE_AMSTERDAM, REGIE_ZAANSTAD } from "../support/constants";
import { startTestRegion, type TestRegion } from "../support/region";

const GM = "GM0363";
let r: TestRegion;
let sink: SmtpSink;
/** The signals on Adam, by professional. */
const signal: Record<string, string> = {};

beforeAll(async () => {
  sink = await startSmtpSink({ smtpPort: 0, httpPort: 0 });
  r = await startTestRegion({
    gemeenten: [GM],
    // The reminder job is run by the test itself, on the fixed clock.
    env: { MATCHREGIE_INTERVAL_MINUTEN: "0", MATCHREGIE_HERINNERING_DAGEN: "14", SMTP_HOST: "127.0.0.1", SMTP_PORT: String(sink.smtpPort) },
  });
  // ib signals on Adam, a day later jgz (a client match), a day later leerplicht (two more client matches).
  for (const who of [IB, JGZ, LEERPLICHT]) {
    const res = await r.call(GM, who, "POST", "/api/v1/signalen", { bsn: ADAM, geinformeerd: true });
    expect(res.status, who).toBe(201);
    signal[who] = res.body.signaal.id;
    r.clock.advanceDays(1);
  }
});
afterAll(async () => {
  await r?.close();
  await sink?.close();
});

const list = async () => {
  const res = await r.call(GM, REGIE_AMSTERDAM, "GET", "/api/v1/matchregie/matches");
  expect(res.status).toBe(200);
  return res.body as { matches: any[]; herinneringNaDagen: number };
};
const matchOf = async (a: string, b: string) => {
  const m = (await list()).matches.find((x) => x.betrokkenen.some((p: any) => p.email === a) && x.betrokkenen.some((p: any) => p.email === b));
  expect(m, `the match of ${a} and ${b}`).toBeDefined();
  return m;
};
const audited = async (actie: string) =>
  rowsOf<{ actor: string; jeugdige_id: string | null; signaal_id: string | null; details: Record<string, unknown> }>(
    await r.database.db.execute(sql`select actor, jeugdige_id::text, signaal_id::text, details from gm0363.audit_log where actie = ${actie} order by id`),
  );

describe("who may use matchregie", () => {
  it("refuses everyone but the gemeente's own matchregisseur, with a clear Problem, and changes nothing", async () => {
    const { id } = await matchOf(IB, JGZ);
    const routes: Array<[string, string, unknown?]> = [
      ["GET", "/api/v1/matchregie/matches"],
      ["GET", `/api/v1/matchregie/matches/${id}`],
      ["POST", `/api/v1/matchregie/matches/${id}/status`, { status: "afgestemd" }],
      ["POST", `/api/v1/matchregie/matches/${id}/regievoerder`, { signaalId: signal[IB] }],
    ];
    for (const [method, path, body] of routes) {
      const anonymous = await r.call(GM, undefined, method, path, body);
      expect(anonymous.status, `${method} ${path} without a token`).toBe(401);
      for (const who of [IB, JGZ, PRIVACY]) {
        const res = await r.call(GM, who, method, path, body);
        expect(res.status, `${method} ${path} as ${who}`).toBe(403);
        expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
        expect(res.body.code).toBe("ALLEEN_MATCHREGISSEUR");
        expect(res.body.detail).toContain("matchregisseur van de gemeente Amsterdam");
      }
      // Zaanstad's matchregisseur is not connected to Amsterdam's node at all.
      const other = await r.call(GM, REGIE_ZAANSTAD, method, path, body);
      expect(other.status).toBe(403);
      expect(other.body.code).toBe("NIET_AANGESLOTEN");
    }
    const after = await matchOf(IB, JGZ);
    expect(after.status).toBe("geen-contact");
    expect(after.regievoerder).toBeNull();
    expect((await audited("matchregie.geopend")).length).toBe(0);
  });
});

describe("the matchregisseur's list", () => {
  it("shows the gemeente's matches newest first with kind, date, organisations, professionals and status, but no youth", async () => {
    const res = await r.call(GM, REGIE_AMSTERDAM, "GET", "/api/v1/matchregie/matches");
    expect(res.status).toBe(200);
    const { matches } = res.body;
    expect(matches).toHaveLength(3);
    const dates = matches.map((m: any) => m.aangemaaktOp);
    expect([...dates].sort().reverse()).toEqual(dates);
    expect(matches.every((m: any) => m.soort === "client" && m.status === "geen-contact" && m.betrokkenen.length === 2)).toBe(true);
    const ibJgz = matches.find((m: any) => m.betrokkenen.some((p: any) => p.email === IB) && m.betrokkenen.some((p: any) => p.email === JGZ));
    expect(ibJgz.betrokkenen.map((p: any) => p.organisatie).sort()).toEqual(["De Buurtschool", "GGD Amsterdam"]);
    // The rule of the region: jeugdgezondheidszorg comes before onderwijs.
    expect(ibJgz.voorgesteldeRegievoerder).toBe(signal[JGZ]);
    const text = JSON.stringify(res.body);
    expect(text).not.toContain("Adam");
    expect(text).not.toContain(ADAM);
    expect("jeugdigen" in ibJgz).toBe(false);
    // The read is logged, one row per match, without a youth.
    const rows = (await audited("matchregie.gelezen")).filter((x) => x.actor === REGIE_AMSTERDAM);
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(rows.every((x) => x.jeugdige_id === null)).toBe(true);
  });

  it("filters by status and kind, and refuses a status outside the list", async () => {
    expect((await r.call(GM, REGIE_AMSTERDAM, "GET", "/api/v1/matchregie/matches?status=afgestemd")).body.matches).toEqual([]);
    expect((await r.call(GM, REGIE_AMSTERDAM, "GET", "/api/v1/matchregie/matches?soort=gezin")).body.matches).toEqual([]);
    const bad = await r.call(GM, REGIE_AMSTERDAM, "GET", "/api/v1/matchregie/matches?status=klaar");
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe("VERZOEK_ONGELDIG");
  });
});

describe("opening one match", () => {
  it("shows the youth's name only then, and logs the read with the youth", async () => {
    const { id } = await matchOf(IB, JGZ);
    const before = (await audited("matchregie.geopend")).length;
    const res = await r.call(GM, REGIE_AMSTERDAM, "GET", `/api/v1/matchregie/matches/${id}`);
    expect(res.status).toBe(200);
    expect(res.body.jeugdigen).toEqual([{ naam: "Adam van Haarlem" }]);
    const rows = await audited("matchregie.geopend");
    expect(rows.length).toBe(before + 1);
    expect(rows.at(-1)).toMatchObject({ actor: REGIE_AMSTERDAM, details: expect.objectContaining({ matchId: id }) });
    expect(rows.at(-1)!.jeugdige_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("answers 404 for a match that does not exist, and 400 for an id that is not one", async () => {
    const missing = await r.call(GM, REGIE_AMSTERDAM, "GET", "/api/v1/matchregie/matches/00000000-0000-4000-8000-000000000000");
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe("MATCH_NIET_GEVONDEN");
    expect((await r.call(GM, REGIE_AMSTERDAM, "GET", "/api/v1/matchregie/matches/abc")).status).toBe(400);
  });
});

describe("the regievoerder", () => {
  it("is one of the match's own professionals, confirmed by the matchregisseur", async () => {
    const { id } = await matchOf(IB, JGZ);
    const stranger = await r.call(GM, REGIE_AMSTERDAM, "POST", `/api/v1/matchregie/matches/${id}/regievoerder`, { signaalId: signal[LEERPLICHT] });
    expect(stranger.status).toBe(422);
    expect(stranger.body.code).toBe("REGIEVOERDER_ONGELDIG");
    expect((await matchOf(IB, JGZ)).regievoerder).toBeNull();
    const bad = await r.call(GM, REGIE_AMSTERDAM, "POST", `/api/v1/matchregie/matches/${id}/regievoerder`, { signaalId: "jgz" });
    expect(bad.status).toBe(400);

    const ok = await r.call(GM, REGIE_AMSTERDAM, "POST", `/api/v1/matchregie/matches/${id}/regievoerder`, { signaalId: signal[JGZ] });
    expect(ok.status).toBe(200);
    expect(ok.body.regievoerder).toMatchObject({ signaalId: signal[JGZ], bevestigdDoor: REGIE_AMSTERDAM });
    expect((await matchOf(IB, JGZ)).regievoerder.signaalId).toBe(signal[JGZ]);
    expect((await audited("matchregie.regievoerder")).at(-1)).toMatchObject({ actor: REGIE_AMSTERDAM, signaal_id: signal[JGZ] });
  });
});

describe("the status, set by a professional of the match", () => {
  it("is recorded for the match, seen by the matchregisseur and by the professionals in their own list", async () => {
    const { id } = await matchOf(IB, JGZ);
    const res = await r.call(GM, JGZ, "POST", `/api/v1/matches/${id}/status`, { status: "contact-gelegd" });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "contact-gelegd", regievoerder: { naam: "Anouk Vermeulen", organisatie: "GGD Amsterdam" } });
    const seen = await matchOf(IB, JGZ);
    expect(seen.status).toBe("contact-gelegd");
    expect(seen.statusGewijzigd).toMatchObject({ door: JGZ });
    const ibList = await r.call(GM, IB, "GET", "/api/v1/matches");
    expect(ibList.body.matches.find((m: any) => m.id === id).regie).toEqual(res.body);
    expect((await audited("matchregie.status")).at(-1)).toMatchObject({
      actor: JGZ,
      signaal_id: signal[JGZ],
      details: expect.objectContaining({ matchId: id, als: "professional" }),
    });
  });

  it("is refused to a professional who is not part of the match, and to a status outside the list", async () => {
    const { id } = await matchOf(IB, JGZ);
    const outsider = await r.call(GM, LEERPLICHT, "POST", `/api/v1/matches/${id}/status`, { status: "afgestemd" });
    expect(outsider.status).toBe(404);
    expect(outsider.body.code).toBe("MATCH_NIET_GEVONDEN");
    const bad = await r.call(GM, JGZ, "POST", `/api/v1/matches/${id}/status`, { status: "klaar" });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe("VERZOEK_ONGELDIG");
    expect((await matchOf(IB, JGZ)).status).toBe("contact-gelegd");
  });

  it("can also be set by the matchregisseur", async () => {
    const { id } = await matchOf(IB, LEERPLICHT);
    const res = await r.call(GM, REGIE_AMSTERDAM, "POST", `/api/v1/matchregie/matches/${id}/status`, { status: "afgestemd" });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("afgestemd");
    expect(res.body.statusGewijzigd.door).toBe(REGIE_AMSTERDAM);
  });
});

describe("the first contact, for the follow-up rate", () => {
  const contactOp = async (id: string) =>
    rowsOf<{ contact_op: string | null }>(await r.database.db.execute(sql`select contact_op::text from gm0363.matchregie where match_id = ${id}`))[0]
      ?.contact_op ?? null;

  it("is recorded when the status first leaves geen-contact, and is never moved or reset by a later change", async () => {
    const { id } = await matchOf(JGZ, LEERPLICHT);
    expect(await contactOp(id)).toBeNull();
    // Setting geen-contact records no contact.
    expect((await r.call(GM, REGIE_AMSTERDAM, "POST", `/api/v1/matchregie/matches/${id}/status`, { status: "geen-contact" })).status).toBe(200);
    expect(await contactOp(id)).toBeNull();
    expect((await r.call(GM, LEERPLICHT, "POST", `/api/v1/matches/${id}/status`, { status: "contact-gelegd" })).status).toBe(200);
    const first = await contactOp(id);
    expect(first).not.toBeNull();
    const before = r.clock.now();
    r.clock.advanceDays(1);
    try {
      for (const status of ["afgestemd", "geen-contact", "regie-belegd", "geen-contact"]) {
        expect((await r.call(GM, REGIE_AMSTERDAM, "POST", `/api/v1/matchregie/matches/${id}/status`, { status })).status).toBe(200);
        expect(await contactOp(id), status).toBe(first);
      }
    } finally {
      // The reminders below count from the clock and this match's status as they were (geen-contact).
      r.clock.set(before);
    }
  });
});

describe("reminders for a match without contact", () => {
  it("go out once, after the region's number of days, by melding and e-mail, and flag the match for the matchregisseur", async () => {
    const node = r.node(GM);
    const reminders = () => sink.messages().filter((m) => m.subject.startsWith("Herinnering"));
    // Made two days ago: not due yet.
    expect((await runMatchReminders(node.ctx)).herinnerd).toBe(0);
    const open = await matchOf(JGZ, LEERPLICHT);
    expect(open.teLangZonderContact).toBe(false);

    r.clock.advanceDays(14);
    // Only the match still without contact (ib–jgz has contact, ib–leerplicht is afgestemd).
    expect(await runMatchReminders(node.ctx)).toMatchObject({ herinnerd: 1, meldingen: 2, mislukt: 0 });
    await node.ctx.notifier.flushMail();
    expect(
      reminders()
        .flatMap((m) => m.to)
        .sort(),
    ).toEqual([JGZ, LEERPLICHT]);
    expect(reminders().every((m) => !m.text.includes("Adam") && !m.text.includes(ADAM))).toBe(true);

    const flagged = await matchOf(JGZ, LEERPLICHT);
    expect(flagged.teLangZonderContact).toBe(true);
    expect(flagged.herinneringVerstuurdOp).not.toBeNull();
    expect((await matchOf(IB, JGZ)).herinneringVerstuurdOp).toBeNull();

    const meldingen = (await r.call(GM, LEERPLICHT, "GET", "/api/v1/meldingen")).body.meldingen.filter((m: any) => m.soort === "herinnering");
    expect(meldingen).toHaveLength(1);
    expect(meldingen[0].inhoud).toMatchObject({ matchId: flagged.id, dagen: 14, jeugdigeNaam: "Adam van Haarlem" });

    // Once: a later run sends nothing more.
    r.clock.advanceDays(7);
    expect((await runMatchReminders(node.ctx)).herinnerd).toBe(0);
    await node.ctx.notifier.flushMail();
    expect(reminders()).toHaveLength(2);
  });
});

describe("a withdrawn signal", () => {
  it("takes its matches' follow-up along: no status, regievoerder or reminder is left", async () => {
    const { id } = await matchOf(IB, LEERPLICHT);
    const before = rowsOf(await r.database.db.execute(sql`select match_id from gm0363.matchregie where match_id = ${id}`));
    expect(before).toHaveLength(1);
    expect((await r.call(GM, LEERPLICHT, "POST", `/api/v1/signalen/${signal[LEERPLICHT]}/intrekken`)).status).toBeLessThan(300);
    expect((await list()).matches.some((m) => m.betrokkenen.some((p: any) => p.email === LEERPLICHT))).toBe(false);
    expect(rowsOf(await r.database.db.execute(sql`select match_id from gm0363.matchregie where match_id = ${id}`))).toHaveLength(0);
    const missing = await r.call(GM, REGIE_AMSTERDAM, "GET", `/api/v1/matchregie/matches/${id}`);
    expect(missing.status).toBe(404);
  });
});
