/**
 * The convenantmanager's API at the hub (/api/v1/regio): the nodes' health and the region's figures per gemeente,
 * domain and month. Only the convenantmanager; counts equal what the databases hold, small ones as "< 5"; nothing
 * in an answer names a person. Two nodes and the hub over real NATS and PostgreSQL.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADAM, CONVENANTMANAGER, COORDINATOR, IB, JGZ, LEERPLICHT, LIAM, NOOR, PRIVACY, REGIE_AMSTERDAM, WIJKTEAM } from "../support/constants";
import { eventually, startFederation, type Federation } from "../support/federation";
import type { fixedClock } from "@vi/domain";
import { countsFromDatabases, personTexts, recordFollowUp, shown, shownShare } from "../support/figures";

const GEMEENTEN = ["GM0363", "GM0479"];
let f: Federation;
beforeAll(async () => {
  f = await startFederation({ gemeenten: GEMEENTEN });
  const informed = (bsn: string) => ({ bsn, geinformeerd: true });
  // Amsterdam: six signals on two brothers (client and family matches), Zaanstad: one on their half-sister (a family match across gemeenten, by the hub).
  for (const who of [IB, LEERPLICHT, JGZ]) {
    for (const bsn of [ADAM, LIAM]) expect((await f.call("GM0363", who, "POST", "/api/v1/signalen", informed(bsn))).status).toBe(201);
  }
  expect((await f.call("GM0479", WIJKTEAM, "POST", "/api/v1/signalen", informed(NOOR))).status).toBe(201);
  await eventually(async () => (await f.call("GM0479", WIJKTEAM, "GET", "/api/v1/matches")).body.matches.length > 0, "the hub's family match");
  // Follow-up in Amsterdam's matchregie: five matches with contact within the term, one too late; then the term passed.
  await recordFollowUp(f.call, f.node("GM0363").ctx.clock as ReturnType<typeof fixedClock>, { regisseur: REGIE_AMSTERDAM, professional: IB });
}, 180_000);

const nodeNow = () => f.node("GM0363").ctx.clock.now();
afterAll(async () => f?.close(), 60_000);

const figures = (email: string | undefined, jaar: number) => f.hubCall(email, "GET", `/api/v1/regio/cijfers?jaar=${jaar}`);

describe("who may see the region's figures and the nodes' health", () => {
  it("anonymous: 401 with a Problem; a professional, a coordinator, a matchregisseur, a privacy officer: 403", async () => {
    for (const path of ["/api/v1/regio/cijfers?jaar=2026", "/api/v1/regio/nodes"]) {
      const anonymous = await f.hubCall(undefined, "GET", path);
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.code).toBe("TOKEN_ONTBREEKT");
      for (const who of [IB, COORDINATOR, REGIE_AMSTERDAM, PRIVACY]) {
        const refused = await f.hubCall(who, "GET", path);
        expect(refused.status, `${who} ${path}`).toBe(403);
        expect(refused.body.code).toBe("GEEN_TOEGANG");
        expect(refused.body.detail).toMatch(/convenantmanager/);
      }
    }
  });

  it("a year that is no year is refused with a Problem, not an error", async () => {
    const bad = await f.hubCall(CONVENANTMANAGER, "GET", "/api/v1/regio/cijfers?jaar=twintig");
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe("VERZOEK_ONGELDIG");
  });
});

describe("the figures the convenantmanager sees", () => {
  it("equal the counts in the databases for every gemeente and the region, with small counts as '< 5'", async () => {
    const maand = f.today.slice(0, 7);
    const keys = ["signalen", "clientmatches", "gezinsmatches", "opvolgbareMatches", "contactBinnenTermijn"] as const;
    // The notices of the hub's match may still be on their way: the hub's answer and the databases are read again
    // until they agree (or the time is up, and the assertions below say where they differ).
    let res = await figures(CONVENANTMANAGER, Number(maand.slice(0, 4)));
    let expected = await countsFromDatabases(f.database.db, GEMEENTEN, maand, { now: nodeNow() });
    const agree = () =>
      [...expected].every(([gemeente, counts]) => {
        const row = res.body.rijen?.find((r: any) => r.gemeente === gemeente && r.maand === maand && r.domein === "alle");
        return (
          row &&
          keys.every((k) => row[k].weergave === shown(counts[k])) &&
          row.opvolgingPercentage === shownShare(counts.contactBinnenTermijn, counts.opvolgbareMatches)
        );
      });
    await eventually(
      async () => {
        res = await figures(CONVENANTMANAGER, Number(maand.slice(0, 4)));
        expected = await countsFromDatabases(f.database.db, GEMEENTEN, maand, { now: nodeNow() });
        return agree();
      },
      "the figures to agree with the databases",
      15_000,
    ).catch(() => undefined);
    expect(res.status).toBe(200);
    expect(res.body.gemeenten.every((g: { beantwoord: boolean }) => g.beantwoord)).toBe(true);
    for (const [gemeente, counts] of expected) {
      const row = res.body.rijen.find((r: any) => r.gemeente === gemeente && r.maand === maand && r.domein === "alle");
      expect(row, gemeente).toBeDefined();
      for (const k of keys) {
        expect(row[k].weergave, `${gemeente} ${k}`).toBe(shown(counts[k]));
        expect(row[k].aantal, `${gemeente} ${k}`).toBe(counts[k] > 0 && counts[k] < 5 ? null : counts[k]);
      }
      expect(row.opvolgingPercentage, `${gemeente} opvolging`).toBe(shownShare(counts.contactBinnenTermijn, counts.opvolgbareMatches));
    }
    // Amsterdam registered six signals this month: a number; Zaanstad one: suppressed.
    expect(expected.get("GM0363")!.signalen).toBe(6);
    expect(expected.get("GM0479")!.signalen).toBe(1);
    const zaanstad = res.body.rijen.find((r: any) => r.gemeente === "GM0479" && r.maand === maand && r.domein === "alle");
    expect(zaanstad.signalen).toEqual({ aantal: null, weergave: "< 5" });
    // Amsterdam's twelve matches (and its side of the six family matches with Noor) are old enough to judge; five
    // had contact within the term (one set back to geen-contact later still counts), one too late: a share is shown.
    const amsterdam = expected.get("GM0363")!;
    expect(amsterdam.contactBinnenTermijn).toBe(5);
    expect(amsterdam.opvolgbareMatches).toBeGreaterThanOrEqual(12);
    const amsterdamRow = res.body.rijen.find((r: any) => r.gemeente === "GM0363" && r.maand === maand && r.domein === "alle");
    expect(amsterdamRow.opvolgingPercentage).toBe(Math.round((5 / amsterdam.opvolgbareMatches) * 1000) / 10);
    expect(res.body.opvolgtermijnDagen).toBe(14);
    // The family match across gemeenten counts for both gemeenten and once for the region.
    expect(expected.get("regio")!.gezinsmatches).toBeGreaterThan(0);
  });

  it("per domain: Amsterdam's onderwijs signals (four) are suppressed, and with them the next smallest domain", async () => {
    const maand = f.today.slice(0, 7);
    const res = await figures(CONVENANTMANAGER, Number(maand.slice(0, 4)));
    const domain = (d: string) => res.body.rijen.find((r: any) => r.gemeente === "GM0363" && r.maand === maand && r.domein === d);
    expect(domain("onderwijs").signalen.weergave).toBe("< 5");
    expect(domain("jeugdgezondheidszorg").signalen.weergave).toBe("< 5");
    const year = res.body.rijen.find((r: any) => r.gemeente === "GM0363" && r.maand === "jaar" && r.domein === "alle");
    expect(year.signalen.weergave).toBe("6");
  });

  it("name no person: no BSN and no name of a youth in the answer", async () => {
    const text = JSON.stringify((await figures(CONVENANTMANAGER, Number(f.today.slice(0, 4)))).body);
    for (const p of personTexts(f.today)) expect(text).not.toContain(p);
  });
});

describe("the nodes' health", () => {
  it("lists every node as reachable with its index up to date", async () => {
    const res = await f.hubCall(CONVENANTMANAGER, "GET", "/api/v1/regio/nodes");
    expect(res.status).toBe(200);
    expect(res.body.nodes.map((n: any) => [n.code, n.status, n.indexAchterstandSeconden])).toEqual([
      ["GM0363", "bereikbaar", 0],
      ["GM0479", "bereikbaar", 0],
    ]);
  });

  it("shows a node as lagging when the hub's index is a minute or more behind its signals", async () => {
    const schema = f.hubConfig.DB_SCHEMA;
    await f.database.db.execute(sql.raw(`update "${schema}".index_signalen set versie = versie - 120000 where node = 'GM0363'`));
    try {
      const res = await f.hubCall(CONVENANTMANAGER, "GET", "/api/v1/regio/nodes");
      const amsterdam = res.body.nodes.find((n: any) => n.code === "GM0363");
      expect(amsterdam.status).toBe("achter");
      expect(amsterdam.indexAchterstandSeconden).toBe(120);
    } finally {
      await f.database.db.execute(sql.raw(`update "${schema}".index_signalen set versie = versie + 120000 where node = 'GM0363'`));
    }
  });

  it("shows a stopped node as unreachable", async () => {
    await f.node("GM0479").stop();
    await f.hub.refreshNodes();
    const res = await f.hubCall(CONVENANTMANAGER, "GET", "/api/v1/regio/nodes");
    expect(res.body.nodes.find((n: any) => n.code === "GM0479").status).toBe("onbereikbaar");
    expect(res.body.nodes.find((n: any) => n.code === "GM0363").status).toBe("bereikbaar");
  });
});
