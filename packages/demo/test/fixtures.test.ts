import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  DEMO_ACCOUNTS,
  DEMO_INSTITUTION_ADDRESS_IDS,
  DEMO_ORGANISATIONS,
  GEMEENTEN,
  accountByEmail,
  addDays,
  demoPersons,
  gemeenteByCode,
  isElfproefValid,
  leeftijdOp,
  volledigeNaam,
  type BrpRecord,
} from "@vi/demo";

/** docs/demo-data.md, transcribed: bsn, full name, sex, age, gemeente. */
const TABLE: Array<[string, string, "M" | "V", number, string]> = [
  ["999900018", "Adam van Haarlem", "M", 10, "GM0363"],
  ["999900079", "Liam van Haarlem", "M", 4, "GM0363"],
  ["999900031", "Sara van Haarlem", "V", 38, "GM0363"],
  ["999900043", "Daan Visser", "M", 41, "GM0479"],
  ["999900055", "Noor Visser", "V", 14, "GM0479"],
  ["999900067", "Emma de Boer", "V", 40, "GM0479"],
  ["999900080", "Sem Bakker", "M", 17, "GM0362"],
  ["999900092", "Julia Smit", "V", 23, "GM0384"],
  ["999900109", "Mila Jansen", "V", 8, "GM0392"],
  ["999900122", "Fatima Jansen", "V", 36, "GM0392"],
  ["999900134", "Yusuf El Amrani", "M", 12, "GM0384"],
  ["999900146", "Lotte Mulder", "V", 15, "GM0439"],
  ["999900158", "Finn de Vries", "M", 16, "GM0451"],
  ["999900171", "Bram Peters", "M", 9, "GM0415"],
  ["999900195", "Eva Koster", "V", 15, "GM0437"],
  ["999900201", "Tim Koster-Ali", "M", 16, "GM0437"],
];

const TODAY = "2026-03-15";
const byBsn = (today = TODAY) => new Map(demoPersons(today).map((p) => [p.bsn, p]));
const get = (m: Map<string, BrpRecord>, bsn: string) => {
  const p = m.get(bsn);
  if (!p) throw new Error(`missing ${bsn}`);
  return p;
};

describe("gemeenten of Regio Amsterdam", () => {
  it("are exactly the thirteen with their CBS codes, ports 8000 + cbs, and not Haarlem", () => {
    expect(GEMEENTEN.map((g) => `${g.code} ${g.naam}`).sort()).toEqual(
      [
        "GM0358 Aalsmeer",
        "GM0362 Amstelveen",
        "GM0363 Amsterdam",
        "GM0384 Diemen",
        "GM0385 Edam-Volendam",
        "GM0415 Landsmeer",
        "GM0431 Oostzaan",
        "GM0437 Ouder-Amstel",
        "GM0439 Purmerend",
        "GM0451 Uithoorn",
        "GM0852 Waterland",
        "GM0880 Wormerland",
        "GM0479 Zaanstad",
      ].sort(),
    );
    for (const g of GEMEENTEN) {
      expect(g.code).toBe(`GM${g.cbs}`);
      expect(g.port).toBe(8000 + Number(g.cbs));
    }
    expect(gemeenteByCode("GM0363")?.naam).toBe("Amsterdam");
    expect(gemeenteByCode("GM0392")).toBeUndefined();
  });
});

describe("fixture persons", () => {
  it("are exactly the sixteen persons of docs/demo-data.md with names, sex and gemeente", () => {
    const persons = demoPersons(TODAY);
    expect(persons.map((p) => p.bsn)).toEqual(TABLE.map((r) => r[0]));
    for (const [bsn, naam, sex, , gemeente] of TABLE) {
      const p = get(byBsn(), bsn);
      expect(volledigeNaam(p)).toBe(naam);
      expect(p.geslacht).toBe(sex);
      expect(p.gemeenteCode).toBe(gemeente);
      expect(isElfproefValid(bsn)).toBe(true);
      expect(p.adres.adresseerbaarObjectId).toMatch(/^\d{16}$/);
      expect(p.adres.adresseerbaarObjectId.slice(0, 4)).toBe(gemeente.slice(2));
    }
  });

  it("does not contain the unknown 999900183, and 123456789 fails the elfproef", () => {
    expect(byBsn().has("999900183")).toBe(false);
    expect(isElfproefValid("999900183")).toBe(true);
    expect(isElfproefValid("123456789")).toBe(false);
    expect(isElfproefValid("000000000")).toBe(false);
  });

  it("has the ages of the table on any day, with no birthday in the coming weeks (Julia: turned 23 yesterday)", () => {
    fc.assert(
      fc.property(fc.date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2099-12-31T00:00:00Z"), noInvalidDate: true }), (d) => {
        const today = d.toISOString().slice(0, 10);
        const m = byBsn(today);
        for (const [bsn, , , age] of TABLE) {
          const p = get(m, bsn);
          const peildatum = p.overlijdensdatum ?? today;
          expect(leeftijdOp(p.geboortedatum, peildatum)).toBe(age);
          expect(leeftijdOp(p.geboortedatum, today)).toBe(age);
          if (bsn !== "999900092") expect(leeftijdOp(p.geboortedatum, addDays(today, 42))).toBe(age);
        }
        const julia = get(m, "999900092");
        const yesterday = addDays(today, -1);
        expect(leeftijdOp(julia.geboortedatum, yesterday)).toBe(23);
        // Only when yesterday was 29 February can nobody have turned 23 exactly then; she turned 23 a day earlier.
        if (!yesterday.endsWith("-02-29")) expect(leeftijdOp(julia.geboortedatum, addDays(today, -2))).toBe(22);
      }),
      { numRuns: 300 },
    );
  });

  it("has Bram deceased a few weeks ago, and nobody else deceased", () => {
    const m = byBsn();
    const bram = get(m, "999900171");
    expect(bram.overlijdensdatum).toBeDefined();
    expect(bram.overlijdensdatum! < TODAY).toBe(true);
    expect(bram.overlijdensdatum! >= addDays(TODAY, -60)).toBe(true);
    expect([...m.values()].filter((p) => p.overlijdensdatum).map((p) => p.bsn)).toEqual(["999900171"]);
  });

  it("has the family relations of the fixture", () => {
    const m = byBsn();
    expect(get(m, "999900018").ouders).toEqual(["999900031", "999900043"]);
    expect(get(m, "999900079").ouders).toEqual(["999900031", "999900043"]);
    expect(get(m, "999900055").ouders).toEqual(["999900043", "999900067"]);
    expect(get(m, "999900109").ouders).toEqual(["999900122"]);
    expect(get(m, "999900134").ouders).toEqual(["999900122"]);
    for (const bsn of ["999900080", "999900092", "999900146", "999900158", "999900171", "999900195", "999900201"]) {
      expect(get(m, bsn).ouders).toEqual([]);
    }
  });

  it("has the shared and separate addresses of the fixture", () => {
    const m = byBsn();
    const id = (bsn: string) => get(m, bsn).adres.adresseerbaarObjectId;
    expect(get(m, "999900018").adres).toMatchObject({ straat: "Haarlemmerweg", huisnummer: 1, woonplaats: "Amsterdam" });
    expect(new Set([id("999900018"), id("999900079"), id("999900031")]).size).toBe(1);
    expect(id("999900043")).toBe(id("999900055"));
    expect(id("999900067")).not.toBe(id("999900043"));
    expect(id("999900109")).toBe(id("999900122"));
    expect(id("999900134")).not.toBe(id("999900122"));
    expect(get(m, "999900195").adres).toMatchObject({ straat: "Instellingsweg", huisnummer: 10 });
    expect(id("999900195")).toBe(id("999900201"));
    expect(DEMO_INSTITUTION_ADDRESS_IDS).toEqual([id("999900195")]);
    // Eva and Tim: nothing in common but the institution address.
    expect(get(m, "999900195").ouders).toEqual([]);
    expect(get(m, "999900201").ouders).toEqual([]);
    // No other two persons share an address by accident.
    const households = new Map<string, string[]>();
    for (const p of m.values()) households.set(p.adres.adresseerbaarObjectId, [...(households.get(p.adres.adresseerbaarObjectId) ?? []), p.bsn]);
    expect([...households.values()].filter((h) => h.length > 1).map((h) => h.sort())).toEqual([
      ["999900018", "999900031", "999900079"],
      ["999900043", "999900055"],
      ["999900109", "999900122"],
      ["999900195", "999900201"],
    ]);
  });

  it("has a secret address for Sem only", () => {
    expect(
      demoPersons(TODAY)
        .filter((p) => p.geheimhouding)
        .map((p) => p.bsn),
    ).toEqual(["999900080"]);
  });

  it("returns fresh objects, so a caller cannot change the fixture for others", () => {
    const a = demoPersons(TODAY);
    a[0]!.adres.straat = "Elders";
    expect(demoPersons(TODAY)[0]!.adres.straat).toBe("Haarlemmerweg");
  });
});

describe("demo organisations and accounts", () => {
  it("are the accounts of docs/demo-data.md with their roles and authorisations, plus Zaanstad's matchregisseur", () => {
    const rows = DEMO_ACCOUNTS.map((a) => [a.email, a.rol, a.organisatieId, a.signaleringsbevoegd, a.medisch]);
    expect(rows).toEqual([
      ["ib@buurtschool.example", "professional", "buurtschool", true, false],
      ["leerplicht@amsterdam.example", "professional", "leerplicht-amsterdam", true, false],
      ["jgz@ggd.example", "professional", "ggd-amsterdam", true, false],
      ["wijkteam@zaanstad.example", "professional", "wijkteam-zaanstad", true, false],
      ["huisarts@purmerend.example", "professional", "huisartsenpraktijk-purmerend", true, true],
      ["docent@buurtschool.example", "professional", "buurtschool", false, false],
      ["matchregie@amsterdam.example", "matchregisseur", "gemeente-amsterdam", false, false],
      ["matchregie@zaanstad.example", "matchregisseur", "gemeente-zaanstad", false, false],
      ["convenant@regio-amsterdam.example", "convenantmanager", "regio-amsterdam", false, false],
      ["jeugdteam@haarlem.example", "professional", "jeugdteam-haarlem", true, false],
      ["coordinator@buurtschool.example", "coordinator", "buurtschool", false, false],
      ["avg@amsterdam.example", "privacyfunctionaris", "gemeente-amsterdam", false, false],
      ["matchregie@haarlem.example", "matchregisseur", "gemeente-haarlem", false, false],
    ]);
    for (const a of DEMO_ACCOUNTS) {
      expect(a.naam.length).toBeGreaterThan(3);
      expect(a.functie.length).toBeGreaterThan(3);
      expect(a.telefoon).toMatch(/^0\d{2,3} ?\d{3} ?\d{3,4}$/);
      expect(DEMO_ORGANISATIONS.some((o) => o.id === a.organisatieId)).toBe(true);
    }
  });

  it("connects each organisation to the right gemeenten and domain", () => {
    const org = (id: string) => DEMO_ORGANISATIONS.find((o) => o.id === id)!;
    expect(org("buurtschool")).toMatchObject({ naam: "De Buurtschool", domein: "onderwijs", aangeslotenBij: ["GM0363"], regio: "amsterdam" });
    expect(org("leerplicht-amsterdam")).toMatchObject({ domein: "onderwijs", aangeslotenBij: ["GM0363"] });
    expect(org("ggd-amsterdam").domein).toBe("jeugdgezondheidszorg");
    expect([...org("ggd-amsterdam").aangeslotenBij].sort()).toEqual(GEMEENTEN.map((g) => g.code).sort());
    expect(org("wijkteam-zaanstad")).toMatchObject({ domein: "jeugdhulp", aangeslotenBij: ["GM0479"] });
    expect(org("huisartsenpraktijk-purmerend")).toMatchObject({ domein: "gezondheidszorg", aangeslotenBij: ["GM0439"] });
    expect(org("gemeente-amsterdam")).toMatchObject({ domein: "gemeente", aangeslotenBij: ["GM0363"] });
    expect(org("regio-amsterdam").domein).toBe("regio");
    expect(org("jeugdteam-haarlem")).toMatchObject({ domein: "jeugdhulp", aangeslotenBij: ["GM0392"], regio: "kennemerland" });
  });

  it("finds an account by e-mail regardless of case, and nothing for a stranger", () => {
    expect(accountByEmail("IB@Buurtschool.example")?.organisatieId).toBe("buurtschool");
    expect(accountByEmail("nobody@example.org")).toBeUndefined();
  });
});

describe("the written-out demo register", () => {
  it("is exactly the demo register (run npm run demo:register after changing the demo data)", async () => {
    const { readFileSync } = await import("node:fs");
    const { DEMO_REGISTER_FILE, demoRegister } = await import("../src/index");
    expect(JSON.parse(readFileSync(DEMO_REGISTER_FILE, "utf8"))).toEqual(demoRegister());
  });

  it("is one per region: Haarlem's organisations and accounts in Zuid-Kennemerland's, none of them in Regio Amsterdam's", async () => {
    const { readFileSync } = await import("node:fs");
    const { DEMO_REGISTER_FILES, demoRegister } = await import("../src/index");
    const zk = demoRegister("kennemerland");
    expect(JSON.parse(readFileSync(DEMO_REGISTER_FILES.kennemerland, "utf8"))).toEqual(zk);
    expect(zk.organisaties.map((o) => o.id).sort()).toEqual(["gemeente-haarlem", "jeugdteam-haarlem"]);
    expect(zk.professionals.map((p) => p.email).sort()).toEqual(["jeugdteam@haarlem.example", "matchregie@haarlem.example"]);
    expect(zk.professionals.find((p) => p.email === "matchregie@haarlem.example")?.gemeente).toBe("GM0392");
    const ams = demoRegister();
    expect(ams.professionals.map((p) => p.email)).not.toContain("jeugdteam@haarlem.example");
    expect(ams.organisaties.map((o) => o.id)).not.toContain("gemeente-haarlem");
  });
});
