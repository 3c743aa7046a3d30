/**
 * A signal's life: extend, end (archive), withdraw (delete), the archive's
 * one match, the retention job (end date, death, 5-year archive, 23 years),
 * and the audit trail written with each change and read.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rowsOf } from "@vi/db";
import { addDays, addYears } from "@vi/domain";
import { runRetention } from "@vi/node";
import { ADAM, clockAt, FINN, HUISARTS, IB, JGZ, LEERPLICHT, LIAM, LOTTE } from "../support/constants";
import { startTestRegion, type TestRegion } from "../support/region";
import { stored } from "../support/rows";

let r: TestRegion;
beforeAll(async () => {
  r = await startTestRegion({ gemeenten: ["GM0363", "GM0439", "GM0451"] });
});
afterAll(async () => r?.close());

const register = async (gemeente: string, who: string, bsn: string, extra: object = {}) => {
  const res = await r.call(gemeente, who, "POST", "/api/v1/signalen", { bsn, geinformeerd: true, ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { signaal: { id: string; einddatum: string }; matches: { soort: string; viaArchief: boolean }[] };
};

async function auditRows(gemeente: string): Promise<{ actie: string; actor: string; jeugdige_id: string | null; details: unknown }[]> {
  return rowsOf(await r.database.db.execute(sql.raw(`select actie, actor, jeugdige_id, details from "${gemeente.toLowerCase()}".audit_log order by id`)));
}

describe("extending a signal", () => {
  it("moves the end date, within 2 years from today, and only later", async () => {
    const { signaal } = await register("GM0363", IB, ADAM, { einddatum: addDays(r.today, 30) });
    const later = addYears(r.today, 1);
    const ok = await r.call("GM0363", IB, "POST", `/api/v1/signalen/${signaal.id}/verlengen`, { einddatum: later });
    expect(ok.status).toBe(200);
    expect(ok.body.einddatum).toBe(later);
    const earlier = await r.call("GM0363", IB, "POST", `/api/v1/signalen/${signaal.id}/verlengen`, { einddatum: addDays(r.today, 60) });
    expect(earlier.body.code).toBe("EINDDATUM_NIET_LATER");
    const tooFar = await r.call("GM0363", IB, "POST", `/api/v1/signalen/${signaal.id}/verlengen`, { einddatum: addDays(addYears(r.today, 2), 1) });
    expect(tooFar.body.code).toBe("EINDDATUM_TE_VER");
    const notADate = await r.call("GM0363", IB, "POST", `/api/v1/signalen/${signaal.id}/verlengen`, { einddatum: "2027-02-30" });
    expect(notADate.status).toBe(400);
    expect((await r.call("GM0363", IB, "GET", `/api/v1/signalen/${signaal.id}`)).body.einddatum).toBe(later);
  });

  it("another professional cannot extend someone else's signal", async () => {
    const own = await r.call("GM0363", IB, "GET", "/api/v1/signalen?status=actief");
    const res = await r.call("GM0363", JGZ, "POST", `/api/v1/signalen/${own.body.signalen[0].id}/verlengen`, { einddatum: addYears(r.today, 1) });
    expect(res.status).toBe(404);
  });
});

describe("withdrawing a signal as unjustified", () => {
  it("deletes it without an archive trace, and the BSN leaves the index when nothing else holds it", async () => {
    const before = await stored(r.database.db, "GM0363");
    const { signaal } = await register("GM0363", LEERPLICHT, LIAM);
    const res = await r.call("GM0363", LEERPLICHT, "POST", `/api/v1/signalen/${signaal.id}/intrekken`);
    expect(res.status).toBe(204);
    const after = await stored(r.database.db, "GM0363");
    expect(after.signalen).toBe(before.signalen);
    expect(after.jeugdigen).toBe(before.jeugdigen);
    const bsns = rowsOf<{ bsn: string }>(await r.database.db.execute(sql`select bsn from gm0363.jeugdigen`)).map((x) => x.bsn);
    expect(bsns).not.toContain(LIAM);
    expect((await r.call("GM0363", LEERPLICHT, "GET", `/api/v1/signalen/${signaal.id}`)).status).toBe(404);
  });
});

describe("ending a signal: the archive", () => {
  it("archives it, shows the organisation as previously involved, and matches once with the next new signal", async () => {
    const ib = await register("GM0363", IB, LIAM);
    const ended = await r.call("GM0363", IB, "POST", `/api/v1/signalen/${ib.signaal.id}/beeindigen`);
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ status: "gearchiveerd", gearchiveerdOp: r.today });
    expect((await r.call("GM0363", IB, "POST", `/api/v1/signalen/${ib.signaal.id}/beeindigen`)).body.code).toBe("SIGNAAL_NIET_ACTIEF");
    expect((await r.call("GM0363", IB, "GET", `/api/v1/signalen/${ib.signaal.id}/clientkaart`)).body.code).toBe("SIGNAAL_NIET_ACTIEF");

    const first = await register("GM0363", LEERPLICHT, LIAM);
    const viaArchive = first.matches.filter((m) => m.viaArchief);
    expect(viaArchive).toEqual([{ id: expect.any(String), soort: "client", viaArchief: true }]);
    const leerplichtMatches = await r.call("GM0363", LEERPLICHT, "GET", "/api/v1/matches?soort=client");
    expect(leerplichtMatches.body.matches[0].betrokkenen[0]).toMatchObject({ email: IB, eerderBetrokken: true });

    const second = await register("GM0363", JGZ, LIAM);
    expect(second.matches.filter((m) => m.viaArchief)).toEqual([]);
    expect(second.matches.filter((m) => m.soort === "client")).toHaveLength(1);

    // The card says there is earlier involvement; the details open on request, and that is logged.
    const card = await r.call("GM0363", JGZ, "GET", `/api/v1/signalen/${second.signaal.id}/clientkaart`);
    expect(card.body.eerderBetrokkenheid).toEqual({ aanwezig: true });
    expect(card.body.eerderBetrokken).toEqual([]);
    expect(JSON.stringify(card.body)).not.toContain("De Buurtschool");
    expect(card.body.actiefBetrokken.map((b: any) => b.organisatie).sort()).toEqual(["GGD Amsterdam", "Leerplicht Amsterdam"]);
    const archief = await r.call("GM0363", JGZ, "GET", `/api/v1/signalen/${second.signaal.id}/clientkaart/archief`);
    expect(archief.status).toBe(200);
    expect(archief.body.eerderBetrokken).toEqual([
      { organisatie: "De Buurtschool", domein: "onderwijs", startdatum: r.today, einddatum: r.today, professional: null },
    ]);
    const opened = (await auditRows("GM0363")).filter((x) => x.actie === "archief.geopend" && x.actor === JGZ);
    expect(opened).toHaveLength(1);
    // Only through one's own active signal, like the card.
    expect((await r.call("GM0363", IB, "GET", `/api/v1/signalen/${second.signaal.id}/clientkaart/archief`)).status).toBe(404);
  });

  it("a card without earlier involvement says so", async () => {
    const { signaal } = await register("GM0363", LEERPLICHT, ADAM);
    const card = await r.call("GM0363", LEERPLICHT, "GET", `/api/v1/signalen/${signaal.id}/clientkaart`);
    expect(card.body.eerderBetrokkenheid).toEqual({ aanwezig: false });
    expect((await r.call("GM0363", LEERPLICHT, "GET", `/api/v1/signalen/${signaal.id}/clientkaart/archief`)).body.eerderBetrokken).toEqual([]);
    expect((await r.call("GM0363", LEERPLICHT, "POST", `/api/v1/signalen/${signaal.id}/intrekken`)).status).toBe(204);
  });
});

describe("the archive match tells only the new professional", () => {
  it("the earlier professional gets no melding, and the new one's card shows the earlier professional's contact details", async () => {
    const earlier = await register("GM0439", HUISARTS, LOTTE);
    expect((await r.call("GM0439", HUISARTS, "POST", `/api/v1/signalen/${earlier.signaal.id}/beeindigen`)).status).toBe(200);
    const anew = await register("GM0439", JGZ, LOTTE);
    expect(anew.matches).toEqual([{ id: expect.any(String), soort: "client", viaArchief: true }]);

    // The new professional is told who was involved before.
    const told = await r.call("GM0439", JGZ, "GET", "/api/v1/matches");
    expect(told.body.matches).toEqual([
      expect.objectContaining({ viaArchief: true, betrokkenen: [expect.objectContaining({ email: HUISARTS, eerderBetrokken: true })] }),
    ]);
    // The earlier professional, no longer involved, is not.
    expect((await r.call("GM0439", HUISARTS, "GET", "/api/v1/meldingen")).body.meldingen).toEqual([]);
    expect((await r.call("GM0439", HUISARTS, "GET", "/api/v1/matches")).body.matches).toEqual([]);
    const stored = rowsOf<{ n: number }>(
      await r.database.db.execute(
        sql`select count(*)::int as n from gm0439.meldingen m join gm0439.professionals p on p.id = m.professional_id where p.email = ${HUISARTS}`,
      ),
    );
    expect(stored[0]!.n).toBe(0);

    // The new professional's card shows the earlier professional's contact details for that match (in its archive part, opened on request).
    const card = await r.call("GM0439", JGZ, "GET", `/api/v1/signalen/${anew.signaal.id}/clientkaart/archief`);
    expect(card.status).toBe(200);
    expect(card.body.eerderBetrokken).toEqual([
      expect.objectContaining({
        organisatie: "Huisartsenpraktijk Purmerend",
        professional: expect.objectContaining({ email: HUISARTS, naam: "Dr. Sanne Hoekstra" }),
      }),
    ]);
    // Leave Lotte as the retention test below expects her: no signals.
    expect((await r.call("GM0439", JGZ, "POST", `/api/v1/signalen/${anew.signaal.id}/intrekken`)).status).toBe(204);
    expect((await r.call("GM0439", HUISARTS, "POST", `/api/v1/signalen/${earlier.signaal.id}/intrekken`)).status).toBe(204);
  });
});

describe("the audit trail", () => {
  it("logs registrations, matches and reads by internal id, never by BSN", async () => {
    const rows = await auditRows("GM0363");
    const acties = new Set(rows.map((x) => x.actie));
    for (const a of [
      "signaal.geregistreerd",
      "signaal.verlengd",
      "signaal.ingetrokken",
      "signaal.beeindigd",
      "match.gemaakt",
      "clientkaart.gelezen",
      "signaal.gelezen",
      "signalen.gelezen",
      "matches.gelezen",
    ]) {
      expect(acties, a).toContain(a);
    }
    expect(rows.find((x) => x.actie === "clientkaart.gelezen")).toMatchObject({ actor: JGZ, jeugdige_id: expect.any(String) });
    // A BSN on its own, not nine digits inside a row's trace id (hex).
    expect(JSON.stringify(rows)).not.toMatch(/(?<![0-9a-f])9999\d{5}(?![0-9a-f])/);
  });
});

describe("the retention job", () => {
  it("removes every signal of a youth who died, without archiving", async () => {
    await register("GM0439", HUISARTS, LOTTE);
    r.brp.store.markDeceased(LOTTE, addDays(r.today, -1));
    const report = await runRetention(r.node("GM0439").ctx, { brpMaxAgeMs: 0 });
    expect(report.verwijderd.overleden).toBe(1);
    expect(await stored(r.database.db, "GM0439")).toMatchObject({ signalen: 0, jeugdigen: 0 });
    expect((await auditRows("GM0439")).some((x) => x.actie === "signaal.verwijderd")).toBe(true);
  });

  it("archives a signal the day after its end date, and purges the archive after 5 years", async () => {
    const { signaal } = await register("GM0451", JGZ, FINN, { einddatum: addDays(r.today, 10) });
    const ctx = r.node("GM0451").ctx;
    r.clock.advanceDays(10);
    expect((await runRetention(ctx)).gearchiveerd).toBe(0);
    r.clock.advanceDays(1);
    const report = await runRetention(ctx);
    expect(report.gearchiveerd).toBe(1);
    const own = await r.call("GM0451", JGZ, "GET", `/api/v1/signalen/${signaal.id}`);
    expect(own.body).toMatchObject({ status: "gearchiveerd", gearchiveerdOp: addDays(r.today, 11) });
    r.clock.set(clockAt(addDays(addYears(addDays(r.today, 11), 5), -1)));
    expect((await runRetention(ctx)).verwijderd["archieftermijn-verstreken"]).toBe(0);
    r.clock.advanceDays(1);
    // Finn is 21 by now: the archive term, not the age, removes the signal.
    expect((await runRetention(ctx)).verwijderd["archieftermijn-verstreken"]).toBe(1);
    expect(await stored(r.database.db, "GM0451")).toMatchObject({ signalen: 0, jeugdigen: 0 });
  });

  it("removes every signal, also an archived one, on the 23rd birthday, and not a day before", async () => {
    r.clock.set(clockAt(r.today));
    const ctx = r.node("GM0451").ctx;
    const { signaal } = await register("GM0451", JGZ, FINN, { einddatum: addYears(r.today, 2) });
    const own = await r.call("GM0451", JGZ, "GET", `/api/v1/signalen/${signaal.id}`);
    const birthday23 = addYears(own.body.jeugdige.geboortedatum, 23);
    r.clock.set(clockAt(addDays(birthday23, -1)));
    let report = await runRetention(ctx);
    expect(report.verwijderd["23-jaar"]).toBe(0);
    // Its end date passed years ago: by now it sits in the archive.
    expect(await stored(r.database.db, "GM0451")).toMatchObject({ signalen: 1, jeugdigen: 1 });
    r.clock.set(clockAt(birthday23));
    report = await runRetention(ctx);
    expect(report.verwijderd["23-jaar"]).toBe(1);
    expect(await stored(r.database.db, "GM0451")).toMatchObject({ signalen: 0, jeugdigen: 0 });
  });
});
