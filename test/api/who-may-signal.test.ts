/**
 * Who may signal: a designated professional of an organisation whose
 * category is allowed (Jeugdwet art. 7.1.4.2 and Besluit Jeugdwet art. 7.1.4:
 * onderwijs, jeugdhulp, jeugdgezondheidszorg, gezondheidszorg,
 * maatschappelijke ondersteuning, werk en inkomen, politie en justitie; in
 * Regio Amsterdam also kinderopvang, from the region's configuration).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LIAM } from "../support/constants";
import { startTestRegion, type TestRegion } from "../support/region";
import { stored } from "../support/rows";

const TRAINER = "trainer@sportclub.example";
const PEDAGOOG = "pedagoog@kinderdagverblijf.example";

let r: TestRegion;
beforeAll(async () => {
  const professional = (email: string, organisatieId: string) => ({
    email,
    naam: email.split("@")[0]!,
    functie: "medewerker",
    telefoon: "020 555 0190",
    organisatieId,
    rol: "professional",
    signaleringsbevoegd: true,
    medisch: false,
  });
  // Authorisation comes from the region's register only: the two organisations are added there.
  r = await startTestRegion({
    gemeenten: ["GM0363"],
    extraRegister: {
      organisaties: [
        { id: "sportclub", naam: "Sportclub Amsterdam", domein: "sport", aangeslotenBij: ["GM0363"] },
        { id: "kinderdagverblijf", naam: "Kinderdagverblijf De Vlinder", domein: "kinderopvang", aangeslotenBij: ["GM0363"] },
      ],
      professionals: [professional(TRAINER, "sportclub"), professional(PEDAGOOG, "kinderdagverblijf")],
    },
  });
});
afterAll(async () => r?.close());

describe("the organisation's category", () => {
  it("refuses a designated professional of an organisation whose category may not signal, storing nothing", async () => {
    const before = await stored(r.database.db, "GM0363");
    const res = await r.call("GM0363", TRAINER, "POST", "/api/v1/signalen", { bsn: LIAM, geinformeerd: true });
    expect(res.status).toBe(403);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.body.code).toBe("DOMEIN_NIET_TOEGESTAAN");
    expect(res.body.detail).toMatch(/sport/);
    expect(await stored(r.database.db, "GM0363")).toMatchObject({ signalen: before.signalen, jeugdigen: before.jeugdigen });
  });

  it("lets kinderopvang signal in Regio Amsterdam (the region's extra category)", async () => {
    const res = await r.call("GM0363", PEDAGOOG, "POST", "/api/v1/signalen", { bsn: LIAM, geinformeerd: true });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  });
});
