/**
 * The gemeente's AVG desk on the node API: only Amsterdam's privacy officer finds what the index holds on a BSN
 * (sent in the body), with the youth's audit trail; rectifies from the BRP and matches again; removes a signal with
 * a reason from a closed list, gone for every professional as on a withdrawal. Every step is logged; everyone else
 * is refused and changes nothing. And the organisation coordinator hands a leaving professional's signals to a
 * designated colleague: the colleague is told, the matches follow, logged.
 */
import { sql } from "drizzle-orm";
import { rowsOf } from "@vi/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADAM, COORDINATOR, DOCENT, IB, JGZ, LEERPLICHT, LIAM, PRIVACY, REGIE_AMSTERDAM } from "../support/constants";
import { startTestRegion, type TestRegion } from "../support/region";

/** A second designated professional of De Buurtschool, who takes over ib's signals. */
const COLLEGA = "ib2@buurtschool.example";

let r: TestRegion;
beforeAll(async () => {
  r = await startTestRegion({
    gemeenten: ["GM0363"],
    extraRegister: {
      organisaties: [],
      professionals: [
        {
          email: COLLEGA,
          naam: "Joris Bakker",
          functie: "Intern begeleider",
          telefoon: "020 555 0199",
          organisatieId: "buurtschool",
          rol: "professional",
          signaleringsbevoegd: true,
          medisch: false,
        },
      ],
    },
  });
});
afterAll(async () => r?.close());

const A = "GM0363";
const signal = async (who: string, bsn: string) => {
  const res = await r.call(A, who, "POST", "/api/v1/signalen", { bsn, geinformeerd: true });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.signaal.id as string;
};
const auditRows = async (actie: string) =>
  rowsOf<{ actor: string; jeugdige_id: string | null; signaal_id: string | null; details: Record<string, unknown> | null }>(
    await r.database.db.execute(sql`select actor, jeugdige_id, signaal_id, details from gm0363.audit_log where actie = ${actie} order by id`),
  );

describe("the AVG desk", () => {
  it("finds what the index holds on Adam, with the audit trail and the lookup itself logged; a family match never names the other youth", async () => {
    const ib = await signal(IB, ADAM);
    const jgz = await signal(JGZ, ADAM);
    await signal(LEERPLICHT, LIAM);
    const res = await r.call(A, PRIVACY, "POST", "/api/v1/avg/zoeken", { bsn: ADAM, doel: "export-json" });
    expect(res.status).toBe(200);
    expect(res.body.bekend).toBe(true);
    expect(res.body.jeugdige.naam).toBe("Adam van Haarlem");
    expect(res.body.signalen.map((s: { id: string }) => s.id).sort()).toEqual([ib, jgz].sort());
    expect(res.body.signalen.find((s: { id: string }) => s.id === ib).professional.email).toBe(IB);
    const kinds = res.body.matches.map((m: { soort: string }) => m.soort).sort();
    expect(kinds).toEqual(["client", "gezin", "gezin"]);
    // Each match names only Adam's own signal.
    for (const m of res.body.matches) expect([ib, jgz]).toContain(m.signaalId);
    expect(JSON.stringify(res.body.matches)).not.toContain("Liam");
    const acties = res.body.logboek.map((l: { actie: string }) => l.actie);
    expect(acties).toContain("signaal.geregistreerd");
    expect(acties.at(-1)).toBe("avg.opgevraagd");
    const logged = await auditRows("avg.opgevraagd");
    expect(logged.at(-1)).toMatchObject({ actor: PRIVACY, details: { doel: "export-json", bekend: true } });
    expect(JSON.stringify(logged)).not.toContain(ADAM);
  });

  it("a BSN the index does not hold gives bekend false (logged without the BSN); an invalid BSN is refused", async () => {
    const unknown = await r.call(A, PRIVACY, "POST", "/api/v1/avg/zoeken", { bsn: "999900146" });
    expect(unknown.status).toBe(200);
    expect(unknown.body).toMatchObject({ bekend: false, jeugdige: null, signalen: [] });
    const last = (await auditRows("avg.opgevraagd")).at(-1)!;
    expect(last).toMatchObject({ jeugdige_id: null, details: { doel: "inzien", bekend: false } });
    const bad = await r.call(A, PRIVACY, "POST", "/api/v1/avg/zoeken", { bsn: "123456789" });
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe("BSN_ONGELDIG");
  });

  it("refuses everyone but the privacy officer, and a refused call leaves nothing behind", async () => {
    const before = (await auditRows("avg.opgevraagd")).length;
    const { body } = await r.call(A, PRIVACY, "POST", "/api/v1/avg/zoeken", { bsn: ADAM });
    const target = body.signalen[0].id as string;
    for (const who of [IB, JGZ, REGIE_AMSTERDAM, COORDINATOR, DOCENT]) {
      for (const [path, payload] of [
        ["/api/v1/avg/zoeken", { bsn: ADAM }],
        ["/api/v1/avg/rectificeren", { bsn: ADAM }],
        [`/api/v1/avg/signalen/${target}/verwijderen`, { reden: "geen-betrokkenheid" }],
      ] as const) {
        const res = await r.call(A, who, "POST", path, payload);
        expect(res.status, `${who} ${path}`).toBe(403);
        expect(res.body.code).toBe("GEEN_PRIVACYFUNCTIONARIS");
      }
    }
    expect(await r.call(A, undefined, "POST", "/api/v1/avg/zoeken", { bsn: ADAM })).toMatchObject({ status: 401 });
    expect((await auditRows("avg.opgevraagd")).length).toBe(before + 1);
    expect(await auditRows("avg.signaal-verwijderd")).toEqual([]);
    const still = await r.call(A, PRIVACY, "POST", "/api/v1/avg/zoeken", { bsn: ADAM });
    expect(still.body.signalen.map((s: { id: string }) => s.id)).toContain(target);
  });

  it("rectifies from the BRP: the changed parents are taken over and logged by field name, never by value", async () => {
    const brp = await fetch(`${r.brp.url}/beheer/wijzigingen`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ bsn: ADAM, ouders: ["999900031"] }),
    });
    expect(brp.status).toBe(201);
    const res = await r.call(A, PRIVACY, "POST", "/api/v1/avg/rectificeren", { bsn: ADAM });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ gewijzigd: ["ouders"], gezinGewijzigd: true, verhuisdNaar: null });
    const row = (await auditRows("avg.gerectificeerd")).at(-1)!;
    expect(row).toMatchObject({ actor: PRIVACY, details: { gewijzigd: ["ouders"], gezinGewijzigd: true } });
    expect(JSON.stringify(row)).not.toContain("999900031");
    // A youth the index does not hold: nothing to rectify.
    const none = await r.call(A, PRIVACY, "POST", "/api/v1/avg/rectificeren", { bsn: "999900146" });
    expect(none.status).toBe(404);
    expect(none.body.code).toBe("JEUGDIGE_NIET_GEVONDEN");
  });

  it("removes jgz's signal with a reason from the closed list: gone from jgz's list and from ib's matches, logged", async () => {
    const jgzSignals = (await r.call(A, JGZ, "GET", "/api/v1/signalen")).body.signalen as { id: string; jeugdige: { naam: string } }[];
    const target = jgzSignals.find((s) => s.jeugdige.naam === "Adam van Haarlem")!.id;
    const ibMatchesBefore = (await r.call(A, IB, "GET", "/api/v1/matches")).body.matches.length;

    const free = await r.call(A, PRIVACY, "POST", `/api/v1/avg/signalen/${target}/verwijderen`, { reden: "hij was het niet" });
    expect(free.status).toBe(400);
    expect((await r.call(A, JGZ, "GET", "/api/v1/signalen")).body.signalen.map((s: { id: string }) => s.id)).toContain(target);

    const res = await r.call(A, PRIVACY, "POST", `/api/v1/avg/signalen/${target}/verwijderen`, { reden: "geen-betrokkenheid" });
    expect(res.status).toBe(204);
    expect((await r.call(A, JGZ, "GET", "/api/v1/signalen")).body.signalen.map((s: { id: string }) => s.id)).not.toContain(target);
    expect((await r.call(A, IB, "GET", "/api/v1/matches")).body.matches.length).toBe(ibMatchesBefore - 1);
    expect((await auditRows("avg.signaal-verwijderd")).at(-1)).toMatchObject({ actor: PRIVACY, signaal_id: target, details: { reden: "geen-betrokkenheid" } });
    // Not archived: it leaves no trace in the table.
    const left = rowsOf(await r.database.db.execute(sql`select id from gm0363.signalen where id = ${target}`));
    expect(left).toEqual([]);
    const again = await r.call(A, PRIVACY, "POST", `/api/v1/avg/signalen/${target}/verwijderen`, { reden: "geen-betrokkenheid" });
    expect(again.status).toBe(404);
  });
});

describe("the coordinator's handover", () => {
  it("refuses anyone but the coordinator, a colleague of another organisation, and a colleague who may not signal", async () => {
    expect((await r.call(A, IB, "POST", "/api/v1/overdrachten", { van: IB, naar: COLLEGA })).body.code).toBe("GEEN_COORDINATOR");
    expect((await r.call(A, PRIVACY, "POST", "/api/v1/overdrachten", { van: IB, naar: COLLEGA })).body.code).toBe("GEEN_COORDINATOR");
    const other = await r.call(A, COORDINATOR, "POST", "/api/v1/overdrachten", { van: IB, naar: JGZ });
    expect([other.status, other.body.code]).toEqual([403, "ANDERE_ORGANISATIE"]);
    const docent = await r.call(A, COORDINATOR, "POST", "/api/v1/overdrachten", { van: IB, naar: DOCENT });
    expect([docent.status, docent.body.code]).toEqual([422, "OPVOLGER_NIET_BEVOEGD"]);
    const self = await r.call(A, COORDINATOR, "POST", "/api/v1/overdrachten", { van: IB, naar: IB });
    expect(self.body.code).toBe("ZELFDE_PROFESSIONAL");
    expect((await r.call(A, IB, "GET", "/api/v1/signalen?status=actief")).body.signalen.length).toBeGreaterThan(0);
    expect(await auditRows("signaal.overgedragen")).toEqual([]);
  });

  it("hands ib's active signals to a colleague: the colleague holds them and is told, the matches follow, logged", async () => {
    const ibActive = (await r.call(A, IB, "GET", "/api/v1/signalen?status=actief")).body.signalen.map((s: { id: string }) => s.id).sort();
    expect(ibActive.length).toBeGreaterThan(0);
    const ibMatches = (await r.call(A, IB, "GET", "/api/v1/matches")).body.matches.map((m: { id: string }) => m.id).sort();
    // Leerplicht's match with ib's signal (the family match on Adam and Liam) names ib before the handover.
    const leerplichtBefore = (await r.call(A, LEERPLICHT, "GET", "/api/v1/matches")).body.matches;
    expect(leerplichtBefore.some((m: { betrokkenen: { email: string }[] }) => m.betrokkenen[0]!.email === IB)).toBe(true);

    const res = await r.call(A, COORDINATOR, "POST", "/api/v1/overdrachten", { van: IB, naar: COLLEGA });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ overgedragen: ibActive.length, alBetrokken: 0, elders: 0 });

    expect((await r.call(A, IB, "GET", "/api/v1/signalen?status=actief")).body.signalen).toEqual([]);
    const theirs = (await r.call(A, COLLEGA, "GET", "/api/v1/signalen?status=actief")).body.signalen.map((s: { id: string }) => s.id).sort();
    expect(theirs).toEqual(ibActive);
    expect((await r.call(A, COLLEGA, "GET", "/api/v1/matches")).body.matches.map((m: { id: string }) => m.id).sort()).toEqual(ibMatches);
    const leerplichtAfter = (await r.call(A, LEERPLICHT, "GET", "/api/v1/matches")).body.matches;
    expect(leerplichtAfter.some((m: { betrokkenen: { email: string }[] }) => m.betrokkenen[0]!.email === IB)).toBe(false);
    expect(leerplichtAfter.some((m: { betrokkenen: { email: string; naam: string }[] }) => m.betrokkenen[0]!.naam === "Joris Bakker")).toBe(true);

    const meldingen = (await r.call(A, COLLEGA, "GET", "/api/v1/meldingen")).body.meldingen as { soort: string; inhoud: Record<string, any> }[];
    const told = meldingen.find((m) => m.soort === "overdracht");
    expect(told?.inhoud).toMatchObject({ van: { email: IB }, signalen: ibActive.length });
    const logged = await auditRows("signaal.overgedragen");
    expect(logged.map((l) => l.signaal_id).sort()).toEqual(ibActive);
    expect(logged[0]).toMatchObject({ actor: COORDINATOR, details: { van: IB, naar: COLLEGA } });
  });
});
