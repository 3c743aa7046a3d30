/**
 * Commands on a signal held at the residence node, given through the entry
 * node: informing recorded later (RPC `signaal.informeren`), the archive part
 * of the client card (RPC `archief.openen`). Two nodes and the hub over real
 * NATS and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rowsOf } from "@vi/db";
import { JGZ, NOOR, WIJKTEAM } from "../support/constants";
import { startFederation, type Federation } from "../support/federation";

let f: Federation;
beforeAll(async () => {
  f = await startFederation({ gemeenten: ["GM0363", "GM0479"] });
}, 120_000);
afterAll(async () => f?.close(), 60_000);

const q = async <T>(text: string) => rowsOf<T>(await f.database.db.execute(sql.raw(text)));

describe("informing recorded through the entry node", () => {
  it("is carried out and logged at the residence node, and the entry node's pointer follows", async () => {
    const reg = await f.call("GM0363", JGZ, "POST", "/api/v1/signalen", { bsn: NOOR, geinformeerd: false, redenNietGeinformeerd: "nog-niet-bereikt" });
    expect(reg.status).toBe(201);
    const id = reg.body.signaal.id as string;
    expect(await q(`select id from gm0479.signalen where id = '${id}'`)).toHaveLength(1);

    const res = await f.call("GM0363", JGZ, "POST", `/api/v1/signalen/${id}/informeren`, { wie: "ouders-en-jeugdige" });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ id, geinformeerd: true, geinformeerdWie: "ouders-en-jeugdige", geinformeerdOp: f.today, redenNietGeinformeerd: null });
    expect(await q(`select geinformeerd, geinformeerd_wie from gm0479.signalen where id = '${id}'`)).toEqual([
      { geinformeerd: true, geinformeerd_wie: "ouders-en-jeugdige" },
    ]);
    expect(await q(`select actor from gm0479.audit_log where actie = 'signaal.geinformeerd' and signaal_id = '${id}'`)).toEqual([{ actor: JGZ }]);
    const listed = (await f.call("GM0363", JGZ, "GET", "/api/v1/signalen")).body.signalen.find((s: any) => s.id === id);
    expect(listed).toMatchObject({ geinformeerd: true, geinformeerdWie: "ouders-en-jeugdige" });

    // A rule broken at the residence node comes back as its Problem: Noor is 14, so both must be informed.
    const refused = await f.call("GM0363", JGZ, "POST", `/api/v1/signalen/${id}/informeren`, { wie: "jeugdige" });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe("GEINFORMEERD_ONVOLLEDIG");
  });
});

describe("the archive part of the client card through the entry node", () => {
  it("is opened and logged at the residence node", async () => {
    const wijkteam = await f.call("GM0479", WIJKTEAM, "POST", "/api/v1/signalen", { bsn: NOOR, geinformeerd: true });
    expect(wijkteam.status).toBe(201);
    expect((await f.call("GM0479", WIJKTEAM, "POST", `/api/v1/signalen/${wijkteam.body.signaal.id}/beeindigen`)).status).toBe(200);
    const own = (await f.call("GM0363", JGZ, "GET", "/api/v1/signalen?status=actief")).body.signalen.find((s: any) => s.jeugdige.naam === "Noor Visser");
    expect(own).toBeTruthy();
    const card = await f.call("GM0363", JGZ, "GET", `/api/v1/signalen/${own.id}/clientkaart`);
    expect(card.body.eerderBetrokkenheid).toEqual({ aanwezig: true });
    const archief = await f.call("GM0363", JGZ, "GET", `/api/v1/signalen/${own.id}/clientkaart/archief`);
    expect(archief.status, JSON.stringify(archief.body)).toBe(200);
    expect(archief.body.eerderBetrokken).toEqual([expect.objectContaining({ organisatie: "Wijkteam Zaanstad" })]);
    expect(await q(`select actor from gm0479.audit_log where actie = 'archief.geopend' and signaal_id = '${own.id}'`)).toEqual([{ actor: JGZ }]);
    expect(await q(`select actor from gm0363.audit_log where actie = 'archief.geopend' and signaal_id = '${own.id}'`)).toEqual([{ actor: JGZ }]);
  });
});
