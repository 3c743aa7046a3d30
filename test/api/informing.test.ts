/**
 * Informing the youth and the parents: the signal records whom the
 * professional informed (per the age rules) and when; a professional who
 * could not inform yet records it later; until an organisation has informed,
 * inzage by someone else does not list it, and says so.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rowsOf } from "@vi/db";
import { addDays } from "@vi/domain";
import { ADAM, IB, JGZ, LEERPLICHT, LIAM } from "../support/constants";
import { startTestRegion, type TestRegion } from "../support/region";
import { stored } from "../support/rows";

let r: TestRegion;
beforeAll(async () => {
  r = await startTestRegion({ gemeenten: ["GM0363"] });
});
afterAll(async () => r?.close());

const register = async (who: string, body: object) => {
  const res = await r.call("GM0363", who, "POST", "/api/v1/signalen", body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.signaal as { id: string; geinformeerd: boolean; geinformeerdWie: string | null; geinformeerdOp: string | null };
};
const withdraw = async (who: string, id: string) => expect((await r.call("GM0363", who, "POST", `/api/v1/signalen/${id}/intrekken`)).status).toBe(204);

describe("whom the professional informed, and when", () => {
  it("geinformeerd: true records the parents of a 10-year-old, today (the age rule), as before", async () => {
    const s = await register(IB, { bsn: ADAM, geinformeerd: true });
    try {
      expect(s).toMatchObject({ geinformeerd: true, geinformeerdWie: "ouders", geinformeerdOp: r.today });
    } finally {
      await withdraw(IB, s.id);
    }
  });

  it("records whom and when the professional says, within the age rules", async () => {
    const s = await register(IB, { bsn: ADAM, geinformeerd: true, geinformeerdWie: "ouders-en-jeugdige", geinformeerdOp: addDays(r.today, -3) });
    try {
      expect(s).toMatchObject({ geinformeerdWie: "ouders-en-jeugdige", geinformeerdOp: addDays(r.today, -3) });
    } finally {
      await withdraw(IB, s.id);
    }
  });

  it("refuses informing only the youth of 10 (the parents must be told), and a date in the future, storing nothing", async () => {
    const before = await stored(r.database.db, "GM0363");
    const youthOnly = await r.call("GM0363", IB, "POST", "/api/v1/signalen", { bsn: ADAM, geinformeerd: true, geinformeerdWie: "jeugdige" });
    expect(youthOnly.status).toBe(422);
    expect(youthOnly.body).toMatchObject({ code: "GEINFORMEERD_ONVOLLEDIG", invalidParams: [expect.objectContaining({ name: "geinformeerdWie" })] });
    const future = await r.call("GM0363", IB, "POST", "/api/v1/signalen", { bsn: ADAM, geinformeerd: true, geinformeerdOp: addDays(r.today, 1) });
    expect(future.status).toBe(422);
    expect(future.body.code).toBe("GEINFORMEERD_OP_IN_TOEKOMST");
    expect(await stored(r.database.db, "GM0363")).toMatchObject({ signalen: before.signalen, jeugdigen: before.jeugdigen });
  });
});

describe("informing later", () => {
  it("a professional who could not inform yet records it later: logged, the reason goes", async () => {
    const s = await register(LEERPLICHT, { bsn: LIAM, geinformeerd: false, redenNietGeinformeerd: "nog-niet-bereikt" });
    try {
      expect(s).toMatchObject({ geinformeerd: false, geinformeerdWie: null, geinformeerdOp: null });
      const res = await r.call("GM0363", LEERPLICHT, "POST", `/api/v1/signalen/${s.id}/informeren`, { wie: "ouders" });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ geinformeerd: true, geinformeerdWie: "ouders", geinformeerdOp: r.today, redenNietGeinformeerd: null });
      const [row] = rowsOf<{ actor: string; details: unknown }>(
        await r.database.db.execute(sql`select actor, details from gm0363.audit_log where actie = 'signaal.geinformeerd' and signaal_id = ${s.id}`),
      );
      expect(row).toEqual({ actor: LEERPLICHT, details: expect.objectContaining({ wie: "ouders", op: r.today }) });
      // Someone else's signal cannot be marked.
      expect((await r.call("GM0363", IB, "POST", `/api/v1/signalen/${s.id}/informeren`, {})).status).toBe(404);
      // Bad input: a Problem, nothing written.
      const bad = await r.call("GM0363", LEERPLICHT, "POST", `/api/v1/signalen/${s.id}/informeren`, { wie: "buren" });
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe("VERZOEK_ONGELDIG");
    } finally {
      await withdraw(LEERPLICHT, s.id);
    }
  });
});

describe("inzage before an organisation has informed", () => {
  it("does not list that organisation to the parents, tells the professional so, and lists it once it has informed", async () => {
    const ib = await register(IB, { bsn: ADAM, geinformeerd: true });
    const jgz = await register(JGZ, { bsn: ADAM, geinformeerd: false, redenNietGeinformeerd: "onveilig-voor-jeugdige" });
    try {
      const first = await r.call("GM0363", IB, "GET", `/api/v1/signalen/${ib.id}/inzage?voor=ouders`);
      expect(first.status).toBe(200);
      expect(first.body.actiefBetrokken.map((b: any) => b.organisatie)).toEqual(["De Buurtschool"]);
      expect(first.body.nietAllesGetoond).toBe(true);
      expect(first.body.toelichting).toMatch(/niet alle/i);
      expect(JSON.stringify(first.body)).not.toContain("GGD");

      expect((await r.call("GM0363", JGZ, "POST", `/api/v1/signalen/${jgz.id}/informeren`, { wie: "ouders" })).status).toBe(200);
      const after = await r.call("GM0363", IB, "GET", `/api/v1/signalen/${ib.id}/inzage?voor=ouders`);
      expect(after.body.actiefBetrokken.map((b: any) => b.organisatie).sort()).toEqual(["De Buurtschool", "GGD Amsterdam"]);
      expect(after.body).toMatchObject({ nietAllesGetoond: false, toelichting: null });
    } finally {
      await withdraw(IB, ib.id);
      await withdraw(JGZ, jgz.id);
    }
  });
});
