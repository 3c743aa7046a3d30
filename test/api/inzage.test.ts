/**
 * Inzage for parents and the youth: when the youth's consent is needed (a
 * medical professional on the card of a youth of 12 to 15, active or
 * archived; medical by the professional's or the organisation's registered
 * category), and that the consent is logged.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rowsOf } from "@vi/db";
import { HUISARTS, JGZ, LOTTE } from "../support/constants";
import { startTestRegion, type TestRegion } from "../support/region";

/** A doctor's assistant at the huisartsenpraktijk: not registered as medical herself, her organisation is (gezondheidszorg). */
const ASSISTENT = "assistent@purmerend.example";

let r: TestRegion;
beforeAll(async () => {
  // Authorisation comes from the region's register only: the assistant is added there.
  r = await startTestRegion({
    gemeenten: ["GM0439"],
    extraRegister: {
      organisaties: [],
      professionals: [
        {
          email: ASSISTENT,
          naam: "Sam Assistent",
          functie: "Doktersassistent",
          telefoon: "0299 555 106",
          organisatieId: "huisartsenpraktijk-purmerend",
          rol: "professional",
          signaleringsbevoegd: true,
          medisch: false,
        },
      ],
    },
  });
});
afterAll(async () => r?.close());

const register = async (who: string, bsn: string) => {
  const res = await r.call("GM0439", who, "POST", "/api/v1/signalen", { bsn, geinformeerd: true });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.signaal.id as string;
};
const withdraw = async (who: string, id: string) => expect((await r.call("GM0439", who, "POST", `/api/v1/signalen/${id}/intrekken`)).status).toBe(204);

describe("parents' inzage for a youth of 12 to 15 with a medical professional on the card", () => {
  it("needs the youth's consent also when the medical professional's signal is archived", async () => {
    const huisarts = await register(HUISARTS, LOTTE);
    expect((await r.call("GM0439", HUISARTS, "POST", `/api/v1/signalen/${huisarts}/beeindigen`)).status).toBe(200);
    const jgz = await register(JGZ, LOTTE);
    try {
      const refused = await r.call("GM0439", JGZ, "GET", `/api/v1/signalen/${jgz}/inzage?voor=ouders`);
      expect(refused.status).toBe(422);
      expect(refused.body.code).toBe("INZAGE_TOESTEMMING_JEUGDIGE_NODIG");
    } finally {
      await withdraw(JGZ, jgz);
      await withdraw(HUISARTS, huisarts);
    }
  });

  it("counts a professional of a medical organisation (gezondheidszorg) even when she is not registered as medical herself", async () => {
    const assistent = await register(ASSISTENT, LOTTE);
    const jgz = await register(JGZ, LOTTE);
    try {
      const refused = await r.call("GM0439", JGZ, "GET", `/api/v1/signalen/${jgz}/inzage?voor=ouders`);
      expect(refused.status).toBe(422);
      expect(refused.body.code).toBe("INZAGE_TOESTEMMING_JEUGDIGE_NODIG");
    } finally {
      await withdraw(JGZ, jgz);
      await withdraw(ASSISTENT, assistent);
    }
  });

  it("logs the consent given with the inzage", async () => {
    const huisarts = await register(HUISARTS, LOTTE);
    try {
      const allowed = await r.call("GM0439", HUISARTS, "GET", `/api/v1/signalen/${huisarts}/inzage?voor=ouders&toestemmingJeugdige=true`);
      expect(allowed.status).toBe(200);
      const [row] = rowsOf<{ details: Record<string, unknown> }>(
        await r.database.db.execute(
          sql`select details from gm0439.audit_log where signaal_id = ${huisarts} and actie like 'inzage.%' order by id desc limit 1`,
        ),
      );
      expect(row?.details).toMatchObject({ voor: "ouders", toestemmingJeugdige: true });
    } finally {
      await withdraw(HUISARTS, huisarts);
    }
  });
});
