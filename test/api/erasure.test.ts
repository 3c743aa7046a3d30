/**
 * A withdrawn signal, and every signal removed at 23 or death, leaves no
 * trace: its matches and meldingen disappear for everyone at the node, and
 * open live streams are told (event `melding-verwijderd`). The federation's
 * side (other entry nodes, the hub) is in test/federation/erasure.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rowsOf } from "@vi/db";
import { addDays, addYears } from "@vi/domain";
import { runRetention } from "@vi/node";
import { ADAM, clockAt, HUISARTS, IB, JGZ, LEERPLICHT, LIAM, LOTTE, YUSUF } from "../support/constants";
import { startTestRegion, type TestRegion } from "../support/region";
import { openStream } from "../support/sse";

let r: TestRegion;
beforeAll(async () => {
  r = await startTestRegion({
    gemeenten: ["GM0363", "GM0384", "GM0439"],
    extraRegister: {
      organisaties: [{ id: "school-diemen", naam: "School Diemen", domein: "onderwijs", aangeslotenBij: ["GM0384"] }],
      professionals: [
        {
          email: "mentor@diemen.example",
          naam: "Mira Mentor",
          functie: "mentor",
          telefoon: "020 555 0199",
          organisatieId: "school-diemen",
          rol: "professional",
          signaleringsbevoegd: true,
          medisch: false,
        },
      ],
    },
  });
});
afterAll(async () => r?.close());

const register = async (gemeente: string, who: string, bsn: string) => {
  const res = await r.call(gemeente, who, "POST", "/api/v1/signalen", { bsn, geinformeerd: true });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { signaal: { id: string }; matches: { id: string; soort: string }[] };
};
const meldingen = async (gemeente: string, who: string) => (await r.call(gemeente, who, "GET", "/api/v1/meldingen")).body.meldingen as any[];
const matches = async (gemeente: string, who: string) => (await r.call(gemeente, who, "GET", "/api/v1/matches")).body.matches as any[];
const storedText = async (schema: string) => JSON.stringify(rowsOf(await r.database.db.execute(sql.raw(`select * from "${schema}".meldingen`))));

/** What the demo register holds of ib (docs/demo-data.md): none of it may stay with anyone. */
const IB_TRACES = [IB, "Marieke de Graaf", "020 555 0101"];

describe("withdrawing a signal (intrekken) leaves no trace", () => {
  it("removes its client and family matches and every melding about them, for everyone, and tells open streams", async () => {
    const ib = await register("GM0363", IB, ADAM);
    const jgz = await register("GM0363", JGZ, ADAM);
    expect(jgz.matches.map((m) => m.soort)).toEqual(["client"]);
    const leerplicht = await register("GM0363", LEERPLICHT, LIAM);
    expect(leerplicht.matches.map((m) => m.soort)).toEqual(["gezin", "gezin"]);

    const aboutIb = (list: any[]) => list.filter((m) => m.soort === "match" && m.inhoud.betrokkene.email === IB);
    const [jgzAboutIb] = aboutIb(await meldingen("GM0363", JGZ));
    const [leerplichtAboutIb] = aboutIb(await meldingen("GM0363", LEERPLICHT));
    expect(jgzAboutIb).toBeTruthy();
    expect(leerplichtAboutIb).toBeTruthy();

    const jgzStream = await openStream(`${r.node("GM0363").url}/api/v1/meldingen/stream`, await r.token(JGZ));
    const leerplichtStream = await openStream(`${r.node("GM0363").url}/api/v1/meldingen/stream`, await r.token(LEERPLICHT));
    try {
      await jgzStream.next((e) => e.event === "verbonden");
      await leerplichtStream.next((e) => e.event === "verbonden");

      expect((await r.call("GM0363", IB, "POST", `/api/v1/signalen/${ib.signaal.id}/intrekken`)).status).toBe(204);

      // The other professionals keep only what does not concern ib.
      expect((await matches("GM0363", JGZ)).map((m) => m.betrokkenen[0].email)).toEqual([LEERPLICHT]);
      expect((await matches("GM0363", LEERPLICHT)).map((m) => m.betrokkenen[0].email)).toEqual([JGZ]);
      for (const who of [JGZ, LEERPLICHT]) {
        const text = JSON.stringify(await meldingen("GM0363", who));
        for (const trace of IB_TRACES) expect(text, `${who} still sees ${trace}`).not.toContain(trace);
      }
      // ib's own meldingen about the withdrawn signal are gone too.
      expect(await meldingen("GM0363", IB)).toEqual([]);
      expect(await matches("GM0363", IB)).toEqual([]);
      const stored = await storedText("gm0363");
      for (const trace of IB_TRACES) expect(stored).not.toContain(trace);
      expect(
        rowsOf(await r.database.db.execute(sql`select id from gm0363.matches where signaal_a = ${ib.signaal.id} or signaal_b = ${ib.signaal.id}`)),
      ).toEqual([]);

      // Open streams are told which melding went.
      expect((await jgzStream.next((e) => e.event === "melding-verwijderd")).data).toEqual({ id: jgzAboutIb.id });
      expect((await leerplichtStream.next((e) => e.event === "melding-verwijderd")).data).toEqual({ id: leerplichtAboutIb.id });
      // The removal is logged.
      const logged = rowsOf<{ n: number }>(
        await r.database.db.execute(sql`select count(*)::int as n from gm0363.audit_log where actie = 'melding.verwijderd'`),
      );
      expect(logged[0]!.n).toBeGreaterThanOrEqual(4);
    } finally {
      jgzStream.close();
      leerplichtStream.close();
    }
  });
});

describe("removal by retention leaves no trace", () => {
  it("on death: the matched professional's match and melding go with the removed signals", async () => {
    await register("GM0439", HUISARTS, LOTTE);
    const jgz = await register("GM0439", JGZ, LOTTE);
    expect(jgz.matches).toHaveLength(1);
    expect(await matches("GM0439", JGZ)).toHaveLength(1);
    r.brp.store.markDeceased(LOTTE, addDays(r.today, -1));
    const report = await runRetention(r.node("GM0439").ctx, { brpMaxAgeMs: 0 });
    expect(report.verwijderd.overleden).toBe(2);
    expect(await matches("GM0439", JGZ)).toEqual([]);
    expect(await meldingen("GM0439", JGZ)).toEqual([]);
    expect(await meldingen("GM0439", HUISARTS)).toEqual([]);
    expect(await storedText("gm0439")).toBe("[]");
  });

  it("on the 23rd birthday: the same", async () => {
    const first = await register("GM0384", JGZ, YUSUF);
    const own = await r.call("GM0384", JGZ, "GET", `/api/v1/signalen/${first.signaal.id}`);
    // A second professional at Diemen (the GGD's is the only demo signaller there): in the register, see beforeAll.
    const second = await register("GM0384", "mentor@diemen.example", YUSUF);
    expect(second.matches).toHaveLength(1);
    expect(await matches("GM0384", JGZ)).toHaveLength(1);
    try {
      r.clock.set(clockAt(addYears(own.body.jeugdige.geboortedatum, 23)));
      const report = await runRetention(r.node("GM0384").ctx);
      expect(report.verwijderd["23-jaar"]).toBe(2);
      expect(await storedText("gm0384")).toBe("[]");
    } finally {
      r.clock.set(clockAt(r.today));
    }
  });
});
