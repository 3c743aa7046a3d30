/**
 * A withdrawn signal leaves no trace across the federation: the meldingen of
 * its matches disappear at every entry node (matches made by the residence
 * node and by the hub), and the hub drops its index row and its matches.
 * Two nodes and the hub over real NATS and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rowsOf } from "@vi/db";
import { ADAM, IB, JGZ, NOOR, WIJKTEAM } from "../support/constants";
import { eventually, startFederation, type Federation } from "../support/federation";

let f: Federation;
beforeAll(async () => {
  f = await startFederation({ gemeenten: ["GM0363", "GM0479"] });
}, 120_000);
afterAll(async () => f?.close(), 60_000);

const q = async <T>(text: string) => rowsOf<T>(await f.database.db.execute(sql.raw(text)));
const matchesOf = async (code: string, email: string) => (await f.call(code, email, "GET", "/api/v1/matches")).body.matches as any[];
const meldingenOf = async (code: string, email: string) => (await f.call(code, email, "GET", "/api/v1/meldingen")).body.meldingen as any[];

describe("withdrawing a signal across gemeenten", () => {
  it("removes the hub's match and the residence node's match at every entry node, and the hub's index row", async () => {
    const adam = await f.call("GM0363", IB, "POST", "/api/v1/signalen", { bsn: ADAM, geinformeerd: true });
    expect(adam.status).toBe(201);
    const noor = await f.call("GM0479", WIJKTEAM, "POST", "/api/v1/signalen", { bsn: NOOR, geinformeerd: true });
    expect(noor.status).toBe(201);
    const wijkteamSignal = noor.body.signaal.id as string;
    // jgz through Amsterdam on Noor: stored at Zaanstad, a client match with wijkteam; jgz's meldingen live at Amsterdam.
    const jgz = await f.call("GM0363", JGZ, "POST", "/api/v1/signalen", { bsn: NOOR, geinformeerd: true });
    expect(jgz.status).toBe(201);

    await eventually(async () => (await matchesOf("GM0363", IB)).find((m) => m.betrokkenen[0].email === WIJKTEAM), "ib's gezin match with wijkteam (hub)");
    await eventually(async () => (await matchesOf("GM0363", JGZ)).find((m) => m.betrokkenen[0].email === WIJKTEAM), "jgz's client match with wijkteam (node)");
    await eventually(async () => (await matchesOf("GM0363", JGZ)).find((m) => m.betrokkenen[0].email === IB), "jgz's gezin match with ib (hub)");
    await eventually(async () => (await matchesOf("GM0479", WIJKTEAM)).length === 2, "wijkteam's two matches");
    expect(await q(`select signaal_id from hub.index_signalen where signaal_id = '${wijkteamSignal}'`)).toHaveLength(1);

    expect((await f.call("GM0479", WIJKTEAM, "POST", `/api/v1/signalen/${wijkteamSignal}/intrekken`)).status).toBe(204);

    await eventually(
      async () => (await matchesOf("GM0363", IB)).every((m) => m.betrokkenen[0].email !== WIJKTEAM),
      "ib's gezin match with wijkteam to disappear",
    );
    await eventually(async () => (await matchesOf("GM0363", JGZ)).every((m) => m.betrokkenen[0].email !== WIJKTEAM), "jgz's client match to disappear");
    await eventually(async () => (await meldingenOf("GM0479", WIJKTEAM)).length === 0, "wijkteam's own meldingen to disappear");
    // The gezin match of jgz (Noor) and ib (Adam) does not concern wijkteam and stays.
    expect((await matchesOf("GM0363", JGZ)).map((m) => m.betrokkenen[0].email)).toEqual([IB]);
    expect((await matchesOf("GM0363", IB)).map((m) => m.betrokkenen[0].email)).toEqual([JGZ]);
    for (const schema of ["gm0363", "gm0479"]) {
      expect(JSON.stringify(await q(`select * from ${schema}.meldingen`)), schema).not.toContain(WIJKTEAM);
    }
    expect(await q(`select signaal_id from hub.index_signalen where signaal_id = '${wijkteamSignal}'`)).toEqual([]);
    expect(await q(`select id from hub.hub_matches where signaal_a = '${wijkteamSignal}' or signaal_b = '${wijkteamSignal}'`)).toEqual([]);
    expect(JSON.stringify(await q(`select * from hub.index_signalen`))).not.toContain(WIJKTEAM);
  });
});
