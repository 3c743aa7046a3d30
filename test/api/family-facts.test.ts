/**
 * Matches use the family facts the BRP holds now: a youth's parents, address
 * and death are refreshed on every BRP mutation (the fake BRP's feed), not
 * only on a relocation to another gemeente or by the daily refresh.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rowsOf } from "@vi/db";
import { ADAM, IB, LEERPLICHT, LIAM } from "../support/constants";
import { startTestRegion, type TestRegion } from "../support/region";

let r: TestRegion;
beforeAll(async () => {
  r = await startTestRegion({ gemeenten: ["GM0363"] });
});
afterAll(async () => r?.close());

/** An address in Amsterdam where no demo person lives. */
const NIEUW_ADRES = { straat: "Damrak", huisnummer: 70, postcode: "1012LM", woonplaats: "Amsterdam", adresseerbaarObjectId: "0363010000777777" };

describe("family facts from the BRP at the moment of matching", () => {
  it("a youth who moved out of the family's address (within the gemeente) and whose parents changed no longer matches on them", async () => {
    const liam = await r.call("GM0363", LEERPLICHT, "POST", "/api/v1/signalen", { bsn: LIAM, geinformeerd: true });
    expect(liam.status).toBe(201);
    // Liam moves within Amsterdam, and the BRP no longer registers his parents (a correction).
    r.brp.store.relocate(LIAM, { gemeenteCode: "GM0363", adres: NIEUW_ADRES });
    r.brp.store.change(LIAM, { ouders: [] });
    await r.node("GM0363").pollMutations();
    const [stored] = rowsOf<{ adres_id: string; ouders: string[] }>(
      await r.database.db.execute(sql`select adres_id, ouders from gm0363.jeugdigen where bsn = ${LIAM}`),
    );
    expect(stored).toEqual({ adres_id: NIEUW_ADRES.adresseerbaarObjectId, ouders: [] });

    // Adam still lives at the old address with the old parents: no family match with Liam any more.
    const adam = await r.call("GM0363", IB, "POST", "/api/v1/signalen", { bsn: ADAM, geinformeerd: true });
    expect(adam.status).toBe(201);
    expect(adam.body.matches).toEqual([]);
  });

  it("a move within the gemeente updates the address: moving in with a youth who has a signal makes the family match", async () => {
    r.brp.store.relocate(ADAM, { gemeenteCode: "GM0363", adres: NIEUW_ADRES });
    await r.node("GM0363").pollMutations();
    const ib = await r.call("GM0363", IB, "GET", "/api/v1/matches?soort=gezin");
    expect(ib.body.matches.map((m: any) => m.betrokkenen[0].email)).toEqual([LEERPLICHT]);
    const leerplicht = await r.call("GM0363", LEERPLICHT, "GET", "/api/v1/matches?soort=gezin");
    expect(leerplicht.body.matches.map((m: any) => m.betrokkenen[0].email)).toEqual([IB]);
    const logged = rowsOf<{ n: number }>(await r.database.db.execute(sql`select count(*)::int as n from gm0363.audit_log where actie = 'match.gemaakt'`));
    expect(logged[0]!.n).toBeGreaterThanOrEqual(1);
  });

  it("a death the BRP reports is in the index at once", async () => {
    r.brp.store.markDeceased(LIAM, r.today);
    await r.node("GM0363").pollMutations();
    const [stored] = rowsOf<{ overleden: boolean }>(await r.database.db.execute(sql`select overleden from gm0363.jeugdigen where bsn = ${LIAM}`));
    expect(stored?.overleden).toBe(true);
  });
});
