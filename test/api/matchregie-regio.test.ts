/**
 * Family matches across gemeenten in matchregie (docs/adr/0039), over real NATS and PostgreSQL with the hub: the hub
 * makes the match between Adam (Amsterdam) and Noor (Zaanstad); each residence gemeente's matchregisseur sees it for
 * its own youth (never the other youth), confirms a regievoerder, and follows up its own side; a professional sets the
 * status of their own side from their match list, also when their signal lives at another node than the one they
 * use; a side without contact is reminded; a withdrawn signal takes the match out of both gemeenten's matchregie.
 */
import type { fixedClock } from "@vi/domain";
import { runMatchReminders } from "@vi/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADAM, IB, JGZ, NOOR, REGIE_AMSTERDAM, REGIE_ZAANSTAD, WIJKTEAM } from "../support/constants";
import { eventually, type Federation, startFederation } from "../support/federation";

let f: Federation;
const signal: Record<string, string> = {};
beforeAll(async () => {
  f = await startFederation({ gemeenten: ["GM0363", "GM0479"] });
  const register = async (code: string, who: string, bsn: string) => {
    const res = await f.call(code, who, "POST", "/api/v1/signalen", { bsn, geinformeerd: true });
    expect(res.status).toBe(201);
    return res.body.signaal?.id ?? res.body.id;
  };
  signal.ib = await register("GM0363", IB, ADAM);
  signal.wijkteam = await register("GM0479", WIJKTEAM, NOOR);
  // jgz (GGD, all 13) signals on Noor through Amsterdam: the signal lives at Zaanstad's node, jgz uses Amsterdam's.
  signal.jgz = await register("GM0363", JGZ, NOOR);
}, 120_000);
afterAll(async () => f?.close(), 60_000);

type RegieMatch = {
  id: string;
  soort: string;
  tussenGemeenten: boolean;
  status: string;
  betrokkenen: any[];
  voorgesteldeRegievoerder: string | null;
  regievoerder: any;
};

const regieOf = async (code: string, who: string): Promise<RegieMatch[]> => {
  const res = await f.call(code, who, "GET", "/api/v1/matchregie/matches");
  expect(res.status).toBe(200);
  return res.body.matches;
};
const crossOf = async (code: string, who: string) => (await regieOf(code, who)).filter((m) => m.tussenGemeenten);
const withProfessional = (ms: RegieMatch[], email: string) => ms.find((m) => m.betrokkenen.some((b) => b.email === email));

describe("a family match across gemeenten in matchregie", () => {
  let m1: string; // ib (Adam, Amsterdam) and wijkteam (Noor, Zaanstad)
  let m2: string; // ib (Adam, Amsterdam) and jgz (Noor, Zaanstad; registered through Amsterdam)
  let wijkteamHere: string; // wijkteam's side of m1 as Amsterdam's matchregie names it

  it("is in the matchregie of both residence gemeenten, each for its own youth", async () => {
    const amsterdam = await eventually(async () => {
      const ms = await crossOf("GM0363", REGIE_AMSTERDAM);
      return ms.length === 2 ? ms : undefined;
    }, "both of the hub's family matches in Amsterdam's matchregie");
    const zaanstad = await eventually(async () => {
      const ms = await crossOf("GM0479", REGIE_ZAANSTAD);
      return ms.length === 2 ? ms : undefined;
    }, "both of the hub's family matches in Zaanstad's matchregie");
    m1 = withProfessional(amsterdam, WIJKTEAM)!.id;
    m2 = withProfessional(amsterdam, JGZ)!.id;
    expect(new Set([m1, m2]).size).toBe(2);
    expect(zaanstad.map((m) => m.id).sort()).toEqual([m1, m2].sort());

    const a1 = amsterdam.find((m) => m.id === m1)!;
    expect(a1).toMatchObject({ soort: "gezin", status: "geen-contact", regievoerder: null });
    expect(a1.betrokkenen.map((b) => [b.email, b.andereGemeente])).toEqual(
      expect.arrayContaining([
        [IB, false],
        [WIJKTEAM, true],
      ]),
    );
    // The region's rule, jeugdhulp before onderwijs, proposes wijkteam, whose signal is in the other gemeente: that side
    // goes by an id of its own here, never the other gemeente's signal id.
    const other = a1.betrokkenen.find((b) => b.email === WIJKTEAM);
    expect(a1.voorgesteldeRegievoerder).toBe(other.signaalId);
    expect(JSON.stringify(amsterdam)).not.toContain(signal.wijkteam);
    expect(JSON.stringify(amsterdam)).not.toContain(signal.jgz);
    wijkteamHere = other.signaalId;
    const z1 = zaanstad.find((m) => m.id === m1)!;
    expect(z1.betrokkenen.map((b) => [b.email, b.andereGemeente])).toEqual(
      expect.arrayContaining([
        [WIJKTEAM, false],
        [IB, true],
      ]),
    );

    // Opening it names the gemeente's own youth only: never the other youth of the family.
    const opened = await f.call("GM0363", REGIE_AMSTERDAM, "GET", `/api/v1/matchregie/matches/${m1}`);
    expect(opened.status).toBe(200);
    expect(opened.body.jeugdigen).toEqual([{ naam: "Adam van Haarlem" }]);
    expect(JSON.stringify(opened.body)).not.toContain("Noor");
    expect(JSON.stringify(opened.body)).not.toContain(NOOR);
    const openedThere = await f.call("GM0479", REGIE_ZAANSTAD, "GET", `/api/v1/matchregie/matches/${m1}`);
    expect(openedThere.body.jeugdigen).toEqual([{ naam: "Noor Visser" }]);
    expect(JSON.stringify(openedThere.body)).not.toContain("Adam");
  });

  it("takes a confirmed regievoerder of either side, and the professional sees it in their match list", async () => {
    const confirmed = await f.call("GM0363", REGIE_AMSTERDAM, "POST", `/api/v1/matchregie/matches/${m1}/regievoerder`, { signaalId: wijkteamHere });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.regievoerder).toMatchObject({ signaalId: wijkteamHere, bevestigdDoor: REGIE_AMSTERDAM });
    // A signal that is not one of the match's is refused.
    const wrong = await f.call("GM0363", REGIE_AMSTERDAM, "POST", `/api/v1/matchregie/matches/${m1}/regievoerder`, { signaalId: signal.jgz });
    expect(wrong.status).toBe(422);
    expect(wrong.body.code).toBe("REGIEVOERDER_ONGELDIG");

    const mine = (await f.call("GM0363", IB, "GET", "/api/v1/matches")).body.matches.find((m: any) => m.id === m1);
    expect(mine.regie).toEqual({ status: "geen-contact", regievoerder: { naam: expect.any(String), organisatie: "Wijkteam Zaanstad" } });
  });

  it("is followed up per side: a professional sets the status of their own side, at their own signal's residence node", async () => {
    await eventually(async () => (await f.call("GM0363", IB, "GET", "/api/v1/matches")).body.matches.find((m: any) => m.id === m1), "ib's notice");
    const set = await f.call("GM0363", IB, "POST", `/api/v1/matches/${m1}/status`, { status: "contact-gelegd" });
    expect(set.status).toBe(200);
    expect(set.body.status).toBe("contact-gelegd");
    expect((await crossOf("GM0363", REGIE_AMSTERDAM)).find((m) => m.id === m1)).toMatchObject({ status: "contact-gelegd" });
    // Zaanstad follows up Noor's side: unchanged until wijkteam or its matchregisseur records contact.
    expect((await crossOf("GM0479", REGIE_ZAANSTAD)).find((m) => m.id === m1)).toMatchObject({ status: "geen-contact" });

    // jgz uses Amsterdam's node; their signal (on Noor) lives at Zaanstad's: the status goes there, not to Adam's side.
    await eventually(async () => (await f.call("GM0363", JGZ, "GET", "/api/v1/matches")).body.matches.find((m: any) => m.id === m2), "jgz's notice");
    const forwarded = await f.call("GM0363", JGZ, "POST", `/api/v1/matches/${m2}/status`, { status: "afgestemd" });
    expect(forwarded.status).toBe(200);
    expect(forwarded.body.status).toBe("afgestemd");
    expect((await crossOf("GM0479", REGIE_ZAANSTAD)).find((m) => m.id === m2)).toMatchObject({ status: "afgestemd", statusGewijzigd: { door: JGZ } });
    expect((await crossOf("GM0363", REGIE_AMSTERDAM)).find((m) => m.id === m2)).toMatchObject({ status: "geen-contact" });

    // Someone with no signal in the match is refused.
    const outsider = await f.call("GM0479", WIJKTEAM, "POST", `/api/v1/matches/${m2}/status`, { status: "afgestemd" });
    expect(outsider.status).toBe(404);
    expect(outsider.body.code).toBe("MATCH_NIET_GEVONDEN");
  });

  it("reminds each gemeente's own side without contact once", async () => {
    // The term passes: the nodes' clock moves to 15 days after the hub made the matches (the hub keeps its own time).
    const made = Math.max(...(await crossOf("GM0363", REGIE_AMSTERDAM)).map((m: any) => Date.parse(m.aangemaaktOp)));
    (f.node("GM0363").ctx.clock as ReturnType<typeof fixedClock>).set(new Date(made + 15 * 24 * 3600 * 1000));
    // Amsterdam: m1 has contact on Adam's side, m2 not: ib is reminded of m2.
    expect(await runMatchReminders(f.node("GM0363").ctx)).toMatchObject({ herinnerd: 1, meldingen: 1, mislukt: 0 });
    const ibs = (await f.call("GM0363", IB, "GET", "/api/v1/meldingen")).body.meldingen.filter((m: any) => m.soort === "herinnering");
    expect(ibs.map((m: any) => m.inhoud.matchId)).toEqual([m2]);
    expect(ibs[0].inhoud).toMatchObject({ soort: "gezin", jeugdigeNaam: "Adam van Haarlem" });
    expect((await crossOf("GM0363", REGIE_AMSTERDAM)).find((m) => m.id === m2)).toMatchObject({ teLangZonderContact: true });
    // Zaanstad: m1 has no contact on Noor's side (wijkteam is reminded), m2 has; and its own client match of wijkteam and jgz.
    const zaanstad = await runMatchReminders(f.node("GM0479").ctx);
    expect(zaanstad.mislukt).toBe(0);
    const wijkteams = (await f.call("GM0479", WIJKTEAM, "GET", "/api/v1/meldingen")).body.meldingen.filter((m: any) => m.soort === "herinnering");
    expect(wijkteams.map((m: any) => m.inhoud.matchId)).toContain(m1);
    expect(wijkteams.map((m: any) => m.inhoud.matchId)).not.toContain(m2);
    // Once.
    expect((await runMatchReminders(f.node("GM0363").ctx)).herinnerd).toBe(0);
  });

  it("leaves both gemeenten's matchregie when a signal of it is withdrawn", async () => {
    const withdrawn = await f.call("GM0479", WIJKTEAM, "POST", `/api/v1/signalen/${signal.wijkteam}/intrekken`);
    expect(withdrawn.status).toBeLessThan(300);
    await eventually(async () => !(await crossOf("GM0363", REGIE_AMSTERDAM)).some((m) => m.id === m1), "m1 gone from Amsterdam's matchregie");
    expect((await crossOf("GM0479", REGIE_ZAANSTAD)).map((m) => m.id)).toEqual([m2]);
    expect((await crossOf("GM0363", REGIE_AMSTERDAM)).map((m) => m.id)).toEqual([m2]);
  });
});
