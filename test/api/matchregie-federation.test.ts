/**
 * Matchregie across two nodes and the hub over real NATS and PostgreSQL: the match lives at the youth's residence
 * node (Zaanstad, for Noor), whose matchregisseur follows it up; a professional who registered through another node
 * (jgz through Amsterdam) sets its status there, forwarded over signed request/reply, and gets the reminder there;
 * a relocation tells the new gemeente's matchregisseur what arrived, and its matches join their matchregie.
 */
import type { fixedClock } from "@vi/domain";
import { runMatchReminders } from "@vi/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADAM, IB, JGZ, LEERPLICHT, NOOR, REGIE_AMSTERDAM, REGIE_ZAANSTAD, WIJKTEAM } from "../support/constants";
import { eventually, type Federation, startFederation } from "../support/federation";

let f: Federation;
beforeAll(async () => {
  f = await startFederation({ gemeenten: ["GM0363", "GM0479"] });
}, 120_000);
afterAll(async () => f?.close(), 60_000);

const regieOf = async (code: string, who: string) => {
  const res = await f.call(code, who, "GET", "/api/v1/matchregie/matches");
  expect(res.status).toBe(200);
  return res.body.matches as any[];
};

describe("matchregie in the region", () => {
  let matchId: string;

  it("a professional of another node sets the status at the residence node, where its matchregisseur sees it", async () => {
    // jgz (GGD, all 13) signals on Noor through Amsterdam: the signal lives at Zaanstad's node.
    expect((await f.call("GM0363", JGZ, "POST", "/api/v1/signalen", { bsn: NOOR, geinformeerd: true })).status).toBe(201);
    expect((await f.call("GM0479", WIJKTEAM, "POST", "/api/v1/signalen", { bsn: NOOR, geinformeerd: true })).status).toBe(201);
    const [match] = await regieOf("GM0479", REGIE_ZAANSTAD);
    expect(match.soort).toBe("client");
    expect(match.betrokkenen.map((b: any) => b.email).sort()).toEqual([JGZ, WIJKTEAM].sort());
    // jeugdhulp before jeugdgezondheidszorg
    expect(match.voorgesteldeRegievoerder).toBe(match.betrokkenen.find((b: any) => b.email === WIJKTEAM).signaalId);
    matchId = match.id;
    // Amsterdam's matchregisseur does not see Zaanstad's matches.
    expect(await regieOf("GM0363", REGIE_AMSTERDAM)).toEqual([]);

    await eventually(async () => (await f.call("GM0363", JGZ, "GET", "/api/v1/matches")).body.matches.find((m: any) => m.id === matchId), "jgz's match notice");
    const set = await f.call("GM0363", JGZ, "POST", `/api/v1/matches/${matchId}/status`, { status: "contact-gelegd" });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ status: "contact-gelegd", regievoerder: null });
    const seen = (await regieOf("GM0479", REGIE_ZAANSTAD)).find((m) => m.id === matchId);
    expect(seen).toMatchObject({ status: "contact-gelegd", statusGewijzigd: { door: JGZ } });

    // Someone without a signal in the match is refused at the residence node, through any node.
    const outsider = await f.call("GM0363", IB, "POST", `/api/v1/matches/${matchId}/status`, { status: "afgestemd" });
    expect(outsider.status).toBe(404);
    expect(outsider.body.code).toBe("MATCH_NIET_GEVONDEN");
  });

  it("a match without contact is reminded once, also to the professional who registered through another node", async () => {
    expect((await f.call("GM0479", REGIE_ZAANSTAD, "POST", `/api/v1/matchregie/matches/${matchId}/status`, { status: "geen-contact" })).status).toBe(200);
    const node = f.node("GM0479");
    (node.ctx.clock as ReturnType<typeof fixedClock>).advanceDays(14);
    expect(await runMatchReminders(node.ctx)).toMatchObject({ herinnerd: 1, meldingen: 1, mislukt: 0 });
    const remote = await eventually(
      async () => (await f.call("GM0363", JGZ, "GET", "/api/v1/meldingen")).body.meldingen.find((m: any) => m.soort === "herinnering"),
      "jgz's reminder at Amsterdam's node",
    );
    expect(remote.inhoud).toMatchObject({ matchId, dagen: 14, jeugdigeNaam: "Noor Visser" });
    const local = (await f.call("GM0479", WIJKTEAM, "GET", "/api/v1/meldingen")).body.meldingen.filter((m: any) => m.soort === "herinnering");
    expect(local).toHaveLength(1);
    await eventually(async () => f.sink.messages().find((m) => m.to.includes(JGZ) && m.subject.startsWith("Herinnering")), "jgz's reminder e-mail");
    await eventually(async () => f.sink.messages().find((m) => m.to.includes(WIJKTEAM) && m.subject.startsWith("Herinnering")), "wijkteam's reminder e-mail");
    expect((await regieOf("GM0479", REGIE_ZAANSTAD)).find((m) => m.id === matchId)).toMatchObject({ teLangZonderContact: true });
    // Once.
    expect((await runMatchReminders(node.ctx)).herinnerd).toBe(0);
  });

  it("a relocation tells the new gemeente's matchregisseur what arrived, and its matches join their matchregie", async () => {
    expect((await f.call("GM0363", IB, "POST", "/api/v1/signalen", { bsn: ADAM, geinformeerd: true })).status).toBe(201);
    expect((await f.call("GM0363", LEERPLICHT, "POST", "/api/v1/signalen", { bsn: ADAM, geinformeerd: true })).status).toBe(201);
    const [adamMatch] = (await regieOf("GM0363", REGIE_AMSTERDAM)).filter((m) => m.soort === "client");
    expect(adamMatch).toBeDefined();

    f.brp.store.relocate(ADAM, {
      gemeenteCode: "GM0479",
      adres: { straat: "Zuiddijk", huisnummer: 12, postcode: "1501CJ", woonplaats: "Zaandam", adresseerbaarObjectId: "0479010000012345" },
    });
    await f.node("GM0363").pollMutations();

    const notice = (await f.call("GM0479", REGIE_ZAANSTAD, "GET", "/api/v1/meldingen")).body.meldingen.find((m: any) => m.soort === "verhuizing");
    expect(notice.inhoud).toMatchObject({ aantalSignalen: 2, organisaties: ["De Buurtschool", "Leerplicht Amsterdam"], naarGemeente: "GM0479" });
    expect(notice.inhoud.matches).toContainEqual({ id: adamMatch.id, soort: "client" });
    expect(JSON.stringify(notice.inhoud)).not.toContain("Adam");
    const nowAtZaanstad = await regieOf("GM0479", REGIE_ZAANSTAD);
    for (const m of notice.inhoud.matches) expect(nowAtZaanstad.map((x) => x.id)).toContain(m.id);
    expect((await regieOf("GM0363", REGIE_AMSTERDAM)).map((m) => m.id)).not.toContain(adamMatch.id);
  });
});
