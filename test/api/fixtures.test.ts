/**
 * Every case of docs/demo-data.md that stays inside one gemeente, over
 * HTTP against real nodes on a real PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADAM, BRAM, DOCENT, EVA, HUISARTS, IB, INVALID_BSN, JGZ, JULIA, LEERPLICHT, LIAM, LOTTE, SEM, TIM, UNKNOWN_BSN, WIJKTEAM } from "../support/constants";
import { startTestRegion, type TestRegion } from "../support/region";
import { stored } from "../support/rows";

/** A second signaller at Ouder-Amstel, added by this suite. */
const EXTRA = "mentor@praktijkschool.example";

let r: TestRegion;
const informed = (bsn: string) => ({ bsn, geinformeerd: true });

beforeAll(async () => {
  // Ouder-Amstel has one demo signaller (the GGD); a second organisation makes the Eva/Tim case meaningful.
  r = await startTestRegion({
    gemeenten: ["GM0363", "GM0362", "GM0384", "GM0415", "GM0437", "GM0439"],
    extraRegister: {
      organisaties: [{ id: "praktijkschool", naam: "Praktijkschool Ouder-Amstel", domein: "onderwijs", aangeslotenBij: ["GM0437"] }],
      professionals: [
        {
          email: EXTRA,
          naam: "Mees Mentor",
          functie: "mentor",
          telefoon: "020-5550199",
          organisatieId: "praktijkschool",
          rol: "professional",
          signaleringsbevoegd: true,
          medisch: false,
        },
      ],
    },
  });
});
afterAll(async () => r?.close());

describe("Adam twice: a client match", () => {
  it("when jgz signals on Adam after ib, both are told who the other is", async () => {
    const first = await r.call("GM0363", IB, "POST", "/api/v1/signalen", informed(ADAM));
    expect(first.status).toBe(201);
    expect(first.body.matches).toEqual([]);
    expect(first.body.signaal.jeugdige.naam).toContain("Adam");
    expect(first.headers.get("api-version")).toBe("1.0.0");

    const second = await r.call("GM0363", JGZ, "POST", "/api/v1/signalen", informed(ADAM));
    expect(second.status).toBe(201);
    expect(second.body.matches).toHaveLength(1);
    expect(second.body.matches[0].soort).toBe("client");

    const ibMatches = await r.call("GM0363", IB, "GET", "/api/v1/matches");
    const jgzMatches = await r.call("GM0363", JGZ, "GET", "/api/v1/matches");
    const ibClient = ibMatches.body.matches.filter((m: any) => m.soort === "client");
    const jgzClient = jgzMatches.body.matches.filter((m: any) => m.soort === "client");
    expect(ibClient).toHaveLength(1);
    expect(jgzClient).toHaveLength(1);
    expect(ibClient[0].id).toBe(jgzClient[0].id);
    expect(ibClient[0].betrokkenen).toEqual([expect.objectContaining({ email: JGZ, organisatie: "GGD Amsterdam", eerderBetrokken: false })]);
    expect(ibClient[0].betrokkenen[0].telefoon).toMatch(/\d/);
    expect(jgzClient[0].betrokkenen).toEqual([expect.objectContaining({ email: IB, organisatie: "De Buurtschool" })]);
  });

  it("when ib signals on Adam a second time, it is refused: one active signal per professional per youth", async () => {
    const before = await stored(r.database.db, "GM0363");
    const again = await r.call("GM0363", IB, "POST", "/api/v1/signalen", informed(ADAM));
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("SIGNAAL_BESTAAT_AL");
    expect(await stored(r.database.db, "GM0363")).toMatchObject({ signalen: before.signalen, matches: before.matches });
  });

  it("the client card shows Adam's BRP data and the matched professional's contact details", async () => {
    const own = await r.call("GM0363", IB, "GET", "/api/v1/signalen?status=actief");
    const adamSignal = own.body.signalen.find((s: any) => s.jeugdige.bsn === ADAM);
    const card = await r.call("GM0363", IB, "GET", `/api/v1/signalen/${adamSignal.id}/clientkaart`);
    expect(card.status).toBe(200);
    expect(card.body.jeugdige).toMatchObject({ naam: expect.stringContaining("Adam"), leeftijd: 10, geheimAdres: false });
    expect(card.body.jeugdige.adres.straat).toBe("Haarlemmerweg");
    expect(card.body.informeren).toBe("ouders");
    const orgs = card.body.actiefBetrokken.map((b: any) => b.organisatie).sort();
    expect(orgs).toEqual(["De Buurtschool", "GGD Amsterdam"]);
    const ggd = card.body.actiefBetrokken.find((b: any) => b.organisatie === "GGD Amsterdam");
    expect(ggd.professional.email).toBe(JGZ);
  });

  it("another professional cannot open the card through someone else's signal", async () => {
    const own = await r.call("GM0363", IB, "GET", "/api/v1/signalen");
    const id = own.body.signalen[0].id;
    const res = await r.call("GM0363", LEERPLICHT, "GET", `/api/v1/signalen/${id}/clientkaart`);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe("SIGNAAL_NIET_GEVONDEN");
    expect(res.headers.get("content-type")).toContain("application/problem+json");
  });
});

describe("Adam and Liam: a family match inside Amsterdam", () => {
  it("when leerplicht signals on Liam, ib and jgz (on Adam) get a gezin match that never names Adam", async () => {
    const res = await r.call("GM0363", LEERPLICHT, "POST", "/api/v1/signalen", informed(LIAM));
    expect(res.status).toBe(201);
    expect(res.body.matches.map((m: any) => m.soort)).toEqual(["gezin", "gezin"]);

    const mine = await r.call("GM0363", LEERPLICHT, "GET", "/api/v1/matches?soort=gezin");
    expect(mine.body.matches).toHaveLength(2);
    expect(mine.body.matches.flatMap((m: any) => m.betrokkenen.map((b: any) => b.email)).sort()).toEqual([IB, JGZ].sort());
    const text = JSON.stringify(mine.body);
    expect(text).not.toContain("Adam");
    expect(text).not.toContain(ADAM);
    expect(mine.body.matches[0].mijnSignaal.jeugdige.naam).toContain("Liam");

    const ib = await r.call("GM0363", IB, "GET", "/api/v1/matches?soort=gezin");
    expect(ib.body.matches).toHaveLength(1);
    expect(ib.body.matches[0].betrokkenen[0].email).toBe(LEERPLICHT);
    expect(JSON.stringify(ib.body)).not.toContain("Liam");
  });
});

describe("Eva and Tim: an institution address is not a family", () => {
  it("signals on two unrelated youths at Instellingsweg 10 make no match", async () => {
    const eva = await r.call("GM0437", JGZ, "POST", "/api/v1/signalen", informed(EVA));
    expect(eva.status).toBe(201);
    const tim = await r.call("GM0437", EXTRA, "POST", "/api/v1/signalen", informed(TIM));
    expect(tim.status).toBe(201);
    expect(tim.body.matches).toEqual([]);
    expect((await r.call("GM0437", EXTRA, "GET", "/api/v1/matches")).body.matches).toEqual([]);
    expect((await stored(r.database.db, "GM0437")).matches).toBe(0);
  });
});

describe("Sem: secret address", () => {
  it("a signal works, the card hides the address, and inzage is refused", async () => {
    const res = await r.call("GM0362", JGZ, "POST", "/api/v1/signalen", informed(SEM));
    expect(res.status).toBe(201);
    const id = res.body.signaal.id;
    const card = await r.call("GM0362", JGZ, "GET", `/api/v1/signalen/${id}/clientkaart`);
    expect(card.body.jeugdige.geheimAdres).toBe(true);
    expect(card.body.jeugdige.adres).toBeNull();
    const inzage = await r.call("GM0362", JGZ, "GET", `/api/v1/signalen/${id}/inzage?voor=jeugdige`);
    expect(inzage.status).toBe(422);
    expect(inzage.body.code).toBe("INZAGE_GEHEIM_ADRES");
  });
});

describe("Lotte: a medical professional on the card of a 15-year-old", () => {
  it("parents get inzage only with Lotte's consent, and never the professional's name", async () => {
    const res = await r.call("GM0439", HUISARTS, "POST", "/api/v1/signalen", informed(LOTTE));
    expect(res.status).toBe(201);
    const id = res.body.signaal.id;
    const refused = await r.call("GM0439", HUISARTS, "GET", `/api/v1/signalen/${id}/inzage?voor=ouders`);
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe("INZAGE_TOESTEMMING_JEUGDIGE_NODIG");
    const allowed = await r.call("GM0439", HUISARTS, "GET", `/api/v1/signalen/${id}/inzage?voor=ouders&toestemmingJeugdige=true`);
    expect(allowed.status).toBe(200);
    expect(allowed.body.actiefBetrokken).toEqual([expect.objectContaining({ organisatie: "Huisartsenpraktijk Purmerend", domein: "gezondheidszorg" })]);
    expect(JSON.stringify(allowed.body)).not.toContain(HUISARTS);
  });
});

describe("refusals that store nothing", () => {
  const cases: [string, string, string, string, number, string][] = [
    ["Julia, who turned 23 yesterday", "GM0384", JGZ, JULIA, 422, "JEUGDIGE_TE_OUD"],
    ["Bram, who died", "GM0415", JGZ, BRAM, 422, "JEUGDIGE_OVERLEDEN"],
    [`${UNKNOWN_BSN}, valid but unknown to the BRP`, "GM0363", IB, UNKNOWN_BSN, 422, "BSN_ONBEKEND_IN_BRP"],
    [`${INVALID_BSN}, which fails the elfproef`, "GM0363", IB, INVALID_BSN, 422, "BSN_ONGELDIG"],
    ["the docent, who may not signal", "GM0363", DOCENT, LIAM, 403, "NIET_SIGNALERINGSBEVOEGD"],
    ["a Zaanstad youth worker at the Amsterdam node", "GM0363", WIJKTEAM, ADAM, 403, "NIET_AANGESLOTEN"],
  ];
  for (const [what, gemeente, who, bsn, status, code] of cases) {
    it(`a signal on ${what} is refused with ${code}`, async () => {
      const before = await stored(r.database.db, gemeente);
      const res = await r.call(gemeente, who, "POST", "/api/v1/signalen", informed(bsn));
      expect(res.status).toBe(status);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(res.body).toMatchObject({ status, code });
      expect(typeof res.body.detail).toBe("string");
      expect(res.body.detail.length).toBeGreaterThan(20);
      const after = await stored(r.database.db, gemeente);
      expect(after).toMatchObject({ signalen: before.signalen, jeugdigen: before.jeugdigen, matches: before.matches });
    });
  }
});
