/** The real @vi/brp client against the real fake BRP over HTTP on a free port. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createBrpClient, type BrpClient, type Persoon } from "@vi/brp";
import { DEMO_INSTITUTION_ADDRESS_IDS, addDays, generatePopulation, leeftijdOp } from "@vi/demo";
import { createFakeBrpApp, startFakeBrp, type RunningFakeBrp } from "@vi/fake-brp";

const TODAY = "2026-03-15";
const POPULATION = { seed: 5, youths: 2_000, today: TODAY };

/** What the verwijsindex must derive for each fixture person on TODAY. */
const EXPECTED: Array<{ bsn: string; naam: string; geslacht: "M" | "V"; leeftijd: number; gemeente: string; ouders?: string[] }> = [
  { bsn: "999900018", naam: "Adam van Haarlem", geslacht: "M", leeftijd: 10, gemeente: "GM0363", ouders: ["999900031", "999900043"] },
  { bsn: "999900079", naam: "Liam van Haarlem", geslacht: "M", leeftijd: 4, gemeente: "GM0363", ouders: ["999900031", "999900043"] },
  { bsn: "999900031", naam: "Sara van Haarlem", geslacht: "V", leeftijd: 38, gemeente: "GM0363" },
  { bsn: "999900043", naam: "Daan Visser", geslacht: "M", leeftijd: 41, gemeente: "GM0479" },
  { bsn: "999900055", naam: "Noor Visser", geslacht: "V", leeftijd: 14, gemeente: "GM0479", ouders: ["999900043", "999900067"] },
  { bsn: "999900067", naam: "Emma de Boer", geslacht: "V", leeftijd: 40, gemeente: "GM0479" },
  { bsn: "999900080", naam: "Sem Bakker", geslacht: "M", leeftijd: 17, gemeente: "GM0362" },
  { bsn: "999900092", naam: "Julia Smit", geslacht: "V", leeftijd: 23, gemeente: "GM0384" },
  { bsn: "999900109", naam: "Mila Jansen", geslacht: "V", leeftijd: 8, gemeente: "GM0392", ouders: ["999900122"] },
  { bsn: "999900122", naam: "Fatima Jansen", geslacht: "V", leeftijd: 36, gemeente: "GM0392" },
  { bsn: "999900134", naam: "Yusuf El Amrani", geslacht: "M", leeftijd: 12, gemeente: "GM0384", ouders: ["999900122"] },
  { bsn: "999900146", naam: "Lotte Mulder", geslacht: "V", leeftijd: 15, gemeente: "GM0439" },
  { bsn: "999900158", naam: "Finn de Vries", geslacht: "M", leeftijd: 16, gemeente: "GM0451" },
  { bsn: "999900171", naam: "Bram Peters", geslacht: "M", leeftijd: 9, gemeente: "GM0415" },
  { bsn: "999900195", naam: "Eva Koster", geslacht: "V", leeftijd: 15, gemeente: "GM0437" },
  { bsn: "999900201", naam: "Tim Koster-Ali", geslacht: "M", leeftijd: 16, gemeente: "GM0437" },
];

let brp: RunningFakeBrp;
let client: BrpClient;
let persons: Map<string, Persoon>;

beforeAll(async () => {
  brp = await startFakeBrp({ port: 0, today: TODAY, population: POPULATION });
  client = createBrpClient({ baseUrl: brp.baseUrl, timeoutMs: 5000 });
  persons = await client.raadpleeg([...EXPECTED.map((e) => e.bsn), "999900183"]);
});

afterAll(async () => {
  await client?.close();
  await brp?.close();
});

const get = (bsn: string): Persoon => {
  const p = persons.get(bsn);
  if (!p) throw new Error(`persoon ontbreekt`);
  return p;
};

describe("every fixture person through the real client and the real fake BRP", () => {
  it("comes back with name, sex, age on the given day, gemeente and parents", () => {
    expect(brp.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(persons.size).toBe(EXPECTED.length);
    for (const e of EXPECTED) {
      const p = get(e.bsn);
      expect(p.naam.volledigeNaam).toBe(e.naam);
      expect(p.geslacht).toBe(e.geslacht);
      expect(p.gemeenteCode).toBe(e.gemeente);
      expect(leeftijdOp(p.geboortedatum, p.overlijdensdatum ?? TODAY)).toBe(e.leeftijd);
      expect(p.ouders).toEqual(e.ouders ?? []);
      expect(p.adres?.adresseerbaarObjectId).toMatch(/^\d{16}$/);
    }
  });

  it("leaves 999900183 out: valid but unknown", () => {
    expect(persons.has("999900183")).toBe(false);
  });

  it("shows Julia turned 23 yesterday", () => {
    const julia = get("999900092");
    expect(leeftijdOp(julia.geboortedatum, TODAY)).toBe(23);
    expect(leeftijdOp(julia.geboortedatum, addDays(TODAY, -1))).toBe(23);
    expect(leeftijdOp(julia.geboortedatum, addDays(TODAY, -2))).toBe(22);
  });

  it("shows Bram deceased and nobody else", () => {
    expect(get("999900171").overlijdensdatum).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(get("999900171").overlijdensdatum! < TODAY).toBe(true);
    expect([...persons.values()].filter((p) => p.overlijdensdatum !== null).map((p) => p.bsn)).toEqual(["999900171"]);
  });

  it("shows Sem's secret address and nobody else's", () => {
    expect([...persons.values()].filter((p) => p.geheimhouding).map((p) => p.bsn)).toEqual(["999900080"]);
  });

  it("shows Eva and Tim at the institution address, and Adam, Liam and Sara at one home", () => {
    for (const bsn of ["999900195", "999900201"]) expect(DEMO_INSTITUTION_ADDRESS_IDS).toContain(get(bsn).adres!.adresseerbaarObjectId);
    expect(get("999900018").adres).toEqual({
      straat: "Haarlemmerweg",
      huisnummer: 1,
      postcode: "1051KA",
      woonplaats: "Amsterdam",
      adresseerbaarObjectId: "0363010099000001",
    });
    expect(get("999900079").adres).toEqual(get("999900018").adres);
    expect(get("999900031").adres).toEqual(get("999900018").adres);
    expect(get("999900043").adres!.adresseerbaarObjectId).toBe(get("999900055").adres!.adresseerbaarObjectId);
    expect(get("999900067").adres!.adresseerbaarObjectId).not.toBe(get("999900055").adres!.adresseerbaarObjectId);
  });
});

describe("bulk persons through the client", () => {
  it("splits 45 BSNs into batches of at most 20 (the fake refuses more) and finds every youth and its parents", async () => {
    // Count requests by putting a counting front in front of the same app.
    const { app } = createFakeBrpApp({ today: TODAY, population: POPULATION });
    const sizes: number[] = [];
    const front = new Hono();
    front.use("*", async (c, next) => {
      const body = (await c.req.raw.clone().json()) as { burgerservicenummer: string[] };
      sizes.push(body.burgerservicenummer.length);
      await next();
    });
    front.route("/", app);
    const server = await new Promise<Server>((resolve) => {
      const s = serve({ fetch: front.fetch, port: 0, hostname: "127.0.0.1" }) as Server;
      s.once("listening", () => resolve(s));
    });
    const { port } = server.address() as AddressInfo;
    const c = createBrpClient({ baseUrl: `http://127.0.0.1:${port}/haalcentraal/api/brp` });
    try {
      const pop = generatePopulation(POPULATION);
      const asked = Array.from({ length: 45 }, (_, n) => pop.youthBsn(n * 37));
      const found = await c.raadpleeg(asked);
      expect(sizes.sort((a, b) => a - b)).toEqual([5, 20, 20]);
      expect([...found.keys()].sort()).toEqual([...asked].sort());
      for (const bsn of asked) {
        const expected = pop.byBsn(bsn)!;
        const p = found.get(bsn)!;
        expect(p.gemeenteCode).toBe(expected.gemeenteCode);
        expect(p.geboortedatum).toBe(expected.geboortedatum);
        expect(p.ouders).toEqual(expected.ouders);
        expect(p.adres?.adresseerbaarObjectId).toBe(expected.adres.adresseerbaarObjectId);
      }
      const parents = await c.raadpleeg(found.get(asked[0]!)!.ouders);
      expect(parents.size).toBe(found.get(asked[0]!)!.ouders.length);
    } finally {
      await c.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it("gets a problem+json 400 from the fake for a malformed request, as BRP_FOUT", async () => {
    const res = await fetch(`${brp.baseUrl}/personen`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ type: "RaadpleegMetBurgerservicenummer", burgerservicenummer: ["12"], fields: ["naam"] }),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(await res.json()).toMatchObject({ status: 400, code: "paramsValidation", invalidParams: [{ name: "burgerservicenummer[0]", code: "pattern" }] });
  });

  it("reports a wrong API key as BRP_FOUT 401", async () => {
    const secured = await startFakeBrp({ port: 0, today: TODAY, apiKey: "juist" });
    const wrong = createBrpClient({ baseUrl: secured.baseUrl, apiKey: "onjuist" });
    const right = createBrpClient({ baseUrl: secured.baseUrl, apiKey: "juist" });
    try {
      await expect(wrong.raadpleeg(["999900018"])).rejects.toMatchObject({ code: "BRP_FOUT", status: 401, problem: { code: "authentication" } });
      expect((await right.raadpleeg(["999900018"])).has("999900018")).toBe(true);
    } finally {
      await wrong.close();
      await right.close();
      await secured.close();
    }
  });
});

describe("relocations and deaths", () => {
  it("a relocation over HTTP changes the gemeente, appears in the feed and is told to listeners", async () => {
    const heard: string[] = [];
    const off = brp.store.onMutation((e) => heard.push(`${e.soort}:${e.vanGemeente}>${e.naarGemeente}`));
    const before = brp.store.mutationsSince(0).length;
    const res = await fetch(`${brp.url}/beheer/verhuizingen`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        bsn: "999900146",
        naarGemeente: "GM0363",
        adres: { straat: "Kinkerstraat", huisnummer: 12, huisletter: "b", postcode: "1053DZ", woonplaats: "Amsterdam" },
      }),
    });
    expect(res.status).toBe(201);
    const event = (await res.json()) as { seq: number; soort: string; bsn: string; vanGemeente: string; naarGemeente: string; datum: string };
    expect(event).toEqual({ seq: before + 1, soort: "verhuizing", bsn: "999900146", vanGemeente: "GM0439", naarGemeente: "GM0363", datum: TODAY });
    off();
    expect(heard).toEqual(["verhuizing:GM0439>GM0363"]);

    const lotte = (await client.raadpleeg(["999900146"])).get("999900146")!;
    expect(lotte.gemeenteCode).toBe("GM0363");
    expect(lotte.adres).toMatchObject({ straat: "Kinkerstraat", huisnummer: 12, huisletter: "B", postcode: "1053DZ" });
    expect(lotte.adres!.adresseerbaarObjectId).toMatch(/^0363\d{12}$/);

    const feed = (await (await fetch(`${brp.url}/beheer/mutaties?vanaf=${before}`)).json()) as { mutaties: unknown[] };
    expect(feed.mutaties).toEqual([event]);
    const later = (await (await fetch(`${brp.url}/beheer/mutaties?vanaf=${event.seq}`)).json()) as { mutaties: unknown[] };
    expect(later.mutaties).toEqual([]);
  });

  it("a bulk youth can move too, and a death shows in the feed and in the BRP", async () => {
    const pop = generatePopulation(POPULATION);
    const bsn = pop.youthBsn(10);
    const from = pop.byBsn(bsn)!.gemeenteCode;
    const to = from === "GM0479" ? "GM0363" : "GM0479";
    const e = brp.store.relocate(bsn, {
      gemeenteCode: to,
      adres: { straat: "Westzijde", huisnummer: 3, postcode: "1506EA", woonplaats: "Zaandam", adresseerbaarObjectId: "0479018000009999" },
    });
    expect(e).toMatchObject({ soort: "verhuizing", vanGemeente: from, naarGemeente: to });
    expect((await client.raadpleeg([bsn])).get(bsn)!.gemeenteCode).toBe(to);

    const res = await fetch(`${brp.url}/beheer/overlijdens`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ bsn: "999900158", datum: "2026-03-14" }),
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ soort: "overlijden", vanGemeente: "GM0451", naarGemeente: "GM0451", datum: "2026-03-14" });
    expect((await client.raadpleeg(["999900158"])).get("999900158")!.overlijdensdatum).toBe("2026-03-14");
    const again = await fetch(`${brp.url}/beheer/overlijdens`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ bsn: "999900158", datum: "2026-03-14" }),
    });
    expect(again.status).toBe(409);
  });

  it("records a death or a birth without a date as the BRP does (DatumOnbekend), and reads back as deceased / unknown", async () => {
    const res = await fetch(`${brp.url}/beheer/overlijdens`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ bsn: "999900195", datum: "onbekend" }),
    });
    expect(res.status).toBe(201);
    const eva = (await client.raadpleeg(["999900195"])).get("999900195")!;
    expect(eva.overlijdensdatum).toBe("");
    const changed = await fetch(`${brp.url}/beheer/wijzigingen`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ bsn: "999900201", geboortedatum: "onbekend", ouders: ["999900122"] }),
    });
    expect(changed.status).toBe(201);
    expect(await changed.json()).toMatchObject({ soort: "wijziging", vanGemeente: "GM0437", naarGemeente: "GM0437" });
    const tim = (await client.raadpleeg(["999900201"])).get("999900201")!;
    expect(tim).toMatchObject({ geboortedatum: "", overlijdensdatum: null, ouders: ["999900122"] });
  });

  it("refuses relocations of unknown persons and malformed ones with problem+json", async () => {
    const unknown = await fetch(`${brp.url}/beheer/verhuizingen`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ bsn: "999900183", naarGemeente: "GM0363", adres: { straat: "X", huisnummer: 1, postcode: "1011AA", woonplaats: "Amsterdam" } }),
    });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(await unknown.text()).not.toContain("999900183");
    const malformed = await fetch(`${brp.url}/beheer/verhuizingen`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ bsn: "999900018", naarGemeente: "Amsterdam" }),
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ code: "paramsValidation" });
    expect((await fetch(`${brp.url}/beheer/mutaties?vanaf=abc`)).status).toBe(400);
  });
});
