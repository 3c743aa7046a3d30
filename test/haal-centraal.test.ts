/**
 * Haal Centraal BRP Personen bevragen 2.7.0 conformance, checked against the official document
 * (../shared/standards/haal-centraal-brp, test/support/haal-centraal.ts):
 *
 * - the fake BRP's answers for every fixture person and a sample of generated ones, with the fields the node
 *   asks for and with every field the fake knows, and its error answers, are what the spec says POST /personen
 *   answers with that status;
 * - the BRP client (packages/brp) accepts every answer shape the spec allows for the fields we request: each
 *   shape below is first validated against the spec, then fed to the client, whose reading of it is checked.
 */
import { MockAgent } from "undici";
import { describe, expect, it } from "vitest";
import { BRP_FIELDS, createBrpClient, OVERLIJDENSDATUM_ONBEKEND, type Persoon } from "@vi/brp";
import { demoPersons, generatePopulation } from "@vi/demo";
import { isIsoDate } from "@vi/domain";
import { createFakeBrpApp, PERSONEN_PATH } from "@vi/fake-brp";
import { errorsOf, loadHaalCentraal } from "./support/haal-centraal";

const hc = loadHaalCentraal();
const TODAY = "2026-11-28";
const API_KEY = "sleutel-van-de-test";
const population = { seed: 7, youths: 500, today: TODAY };
const { app } = createFakeBrpApp({ today: TODAY, population, apiKey: API_KEY });
const generated = generatePopulation(population);

async function post(body: unknown, headers: Record<string, string> = {}) {
  const res = await app.request(PERSONEN_PATH, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": API_KEY, ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, contentType: res.headers.get("content-type") ?? "", json: (await res.json()) as Record<string, any> };
}

const raadpleeg = (bsns: string[], fields: readonly string[]) => ({ type: "RaadpleegMetBurgerservicenummer", burgerservicenummer: bsns, fields });

/** Every top-level field the fake delivers (it knows no partners, nationalities, ...). */
const ALL_FIELDS = ["burgerservicenummer", "naam", "geboorte", "geslacht", "gemeenteVanInschrijving", "verblijfplaats", "ouders", "overlijden", "leeftijd"];

function expectConforms(status: number, json: unknown) {
  const validate = hc.response(status);
  const ok = validate(json);
  expect(errorsOf(validate), JSON.stringify(json).slice(0, 400)).toEqual([]);
  expect(ok).toBe(true);
}

/**
 * The texts of a 400 as the real API words them (and the fake with it, services/fake-brp/test/personen.test.ts):
 * the detail names the parameters after a colon, an invalid parameter of a list is named with its index
 * (`burgerservicenummer[0]`), a reason may quote a pattern (`^[0-9]{9}$`). The spec's patterns for these three
 * texts allow none of `: [ ] ^ { } $ -`. Only these pattern findings are let through; every other part of the
 * answer (its shape, types, status, title, code, type and instance) must conform.
 */
const TEXT_PATTERNS_OF_A_400 = [/^\/detail$/, /^\/invalidParams\/\d+\/name$/, /^\/invalidParams\/\d+\/reason$/];

function expectBadRequestConforms(json: unknown) {
  const validate = hc.response(400);
  validate(json);
  const other = (validate.errors ?? []).filter((e) => !(e.keyword === "pattern" && TEXT_PATTERNS_OF_A_400.some((p) => p.test(e.instancePath))));
  expect(
    other.map((e) => `${e.instancePath} ${e.message}`),
    JSON.stringify(json).slice(0, 400),
  ).toEqual([]);
}

function chunks<T>(list: T[], n: number): T[][] {
  return Array.from({ length: Math.ceil(list.length / n) }, (_, i) => list.slice(i * n, i * n + n));
}

describe("the fake BRP's answers conform to Haal Centraal BRP 2.7.0", () => {
  const fixtures = demoPersons(TODAY).map((p) => p.bsn);
  const sample = Array.from({ length: 60 }, (_, i) => generated.youthBsn((i * 7919) % population.youths));

  it.each([
    ["the node's fields", BRP_FIELDS],
    ["every field the fake knows", ALL_FIELDS],
  ])("every fixture person, with %s", async (_, fields) => {
    let persons = 0;
    for (const batch of chunks(fixtures, 20)) {
      const { status, json } = await post(raadpleeg(batch, fields));
      expect(status).toBe(200);
      expectConforms(200, json);
      persons += json.personen.length;
    }
    expect(persons).toBe(fixtures.length);
  });

  it("a sample of generated youths and their parents", async () => {
    const parents = new Set<string>();
    for (const batch of chunks(sample, 20)) {
      const { status, json } = await post(raadpleeg(batch, ALL_FIELDS));
      expect(status).toBe(200);
      expectConforms(200, json);
      expect(json.personen).toHaveLength(new Set(batch).size);
      for (const p of json.personen) for (const o of p.ouders ?? []) if (o.burgerservicenummer) parents.add(o.burgerservicenummer);
    }
    expect(parents.size).toBeGreaterThan(20);
    for (const batch of chunks([...parents].slice(0, 40), 20)) {
      const { json } = await post(raadpleeg(batch, ALL_FIELDS));
      expectConforms(200, json);
    }
  });

  it("an unknown BSN: an empty list", async () => {
    const { status, json } = await post(raadpleeg(["999900183"], BRP_FIELDS));
    expect(status).toBe(200);
    expect(json.personen).toEqual([]);
    expectConforms(200, json);
  });

  it.each([
    ["no type", { burgerservicenummer: ["999900018"], fields: ["naam"] }],
    ["an unknown type", { ...raadpleeg(["999900018"], ["naam"]), type: "ZoekMetIets" }],
    ["a malformed BSN", raadpleeg(["12345"], ["naam"])],
    [
      "too many BSNs",
      raadpleeg(
        Array.from({ length: 21 }, () => "999900018"),
        ["naam"],
      ),
    ],
    ["an unknown field", raadpleeg(["999900018"], ["schoenmaat"])],
    ["an automatic field asked for", raadpleeg(["999900018"], ["geheimhoudingPersoonsgegevens"])],
    ["an unknown parameter", { ...raadpleeg(["999900018"], ["naam"]), extra: 1 }],
    ["a body that is no JSON object", "[1, 2]"],
  ])("a bad request (%s): 400 as the spec's BadRequestFoutbericht", async (_, body) => {
    const { status, contentType, json } = await post(body);
    expect(status).toBe(400);
    expect(contentType).toMatch(/^application\/problem\+json/);
    expectBadRequestConforms(json);
  });

  it("no or a wrong API key: 401 as the spec's Foutbericht", async () => {
    for (const key of ["", "fout"]) {
      const { status, json } = await post(raadpleeg(["999900018"], ["naam"]), { "x-api-key": key });
      expect(status).toBe(401);
      expectConforms(401, json);
    }
  });

  it("a path that does not exist: 404 as the spec's default answer (Foutbericht)", async () => {
    const res = await app.request("/haalcentraal/api/brp/bestaat-niet", { headers: { "x-api-key": API_KEY } });
    expect(res.status).toBe(404);
    expectConforms(404, await res.json());
  });
});

// -----------------------------------------------------------------------------------------------------------------
// The client: every shape the spec allows for the fields the node asks for

const ORIGIN = "http://brp.test";

const datum = (d: string, langFormaat: string) => ({ type: "Datum", datum: d, langFormaat });
const base = (bsn: string) => ({
  burgerservicenummer: bsn,
  naam: { voornamen: "Noor", geslachtsnaam: "Visser", volledigeNaam: "Noor Visser" },
  geboorte: { datum: datum("2012-04-02", "2 april 2012") },
  geslacht: { code: "V", omschrijving: "vrouw" },
  gemeenteVanInschrijving: { code: "0479", omschrijving: "Zaanstad" },
});
const ADRES = {
  type: "Adres",
  verblijfadres: { officieleStraatnaam: "Westzijde", korteStraatnaam: "Westzijde", huisnummer: 12, postcode: "1506EE", woonplaats: "Zaandam" },
  adresseerbaarObjectIdentificatie: "0479010000012345",
};

/** Shapes the spec allows, each with what the client must make of it. */
const SHAPES: { name: string; persoon: Record<string, unknown>; expected: Partial<Persoon> }[] = [
  {
    name: "a death with only the indication, no date",
    persoon: { ...base("999900171"), verblijfplaats: ADRES, overlijden: { indicatieOverleden: true } },
    expected: { overlijdensdatum: OVERLIJDENSDATUM_ONBEKEND },
  },
  {
    name: "a death whose date is wholly unknown",
    persoon: { ...base("999900171"), overlijden: { datum: { type: "DatumOnbekend", onbekend: true, langFormaat: "onbekend" } } },
    expected: { overlijdensdatum: OVERLIJDENSDATUM_ONBEKEND },
  },
  {
    name: "a death in a known month",
    persoon: { ...base("999900171"), overlijden: { datum: { type: "JaarMaandDatum", jaar: 2026, maand: 5, langFormaat: "mei 2026" } } },
    expected: { overlijdensdatum: "2026-05-01" },
  },
  {
    name: "a person with no address (no verblijfplaats delivered)",
    persoon: base("999900055"),
    expected: { adres: null },
  },
  {
    name: "a person whose residence is unknown",
    persoon: { ...base("999900055"), verblijfplaats: { type: "VerblijfplaatsOnbekend" } },
    expected: { adres: null },
  },
  {
    name: "an address abroad",
    persoon: {
      ...base("999900055"),
      verblijfplaats: {
        type: "VerblijfplaatsBuitenland",
        verblijfadres: { regel1: "Rue de la Loi 16", regel2: "1000 Bruxelles", land: { code: "5010", omschrijving: "België" } },
      },
    },
    expected: { adres: null },
  },
  {
    name: "a location description instead of an address (a houseboat)",
    persoon: { ...base("999900055"), verblijfplaats: { type: "Locatie", verblijfadres: { locatiebeschrijving: "Woonboot bij de Zaanbrug" } } },
    expected: { adres: null },
  },
  {
    name: "a secret address",
    persoon: { ...base("999900080"), geheimhoudingPersoonsgegevens: true, verblijfplaats: ADRES },
    expected: { geheimhouding: true, adres: expect.objectContaining({ straat: "Westzijde", huisnummer: 12 }) as never },
  },
  {
    name: "a birth date of which only the year is known, and no parents' BSNs",
    persoon: {
      ...base("999900055"),
      geboorte: { datum: { type: "JaarDatum", jaar: 2012, langFormaat: "2012" } },
      ouders: [{ ouderAanduiding: "1" }, { ouderAanduiding: "2", burgerservicenummer: "999900043" }],
      verblijfplaats: ADRES,
    },
    expected: { geboortedatum: "2012-01-01", ouders: ["999900043"] },
  },
  {
    name: "a name with only a surname",
    persoon: { ...base("999900055"), naam: { geslachtsnaam: "Visser" }, verblijfplaats: ADRES },
    expected: { naam: { voornamen: "", geslachtsnaam: "Visser", volledigeNaam: "Visser" } },
  },
];

function clientAnswering(personen: unknown[]) {
  const agent = new MockAgent();
  agent.disableNetConnect();
  agent
    .get(ORIGIN)
    .intercept({ path: "/haalcentraal/api/brp/personen", method: "POST" })
    .reply(200, { type: "RaadpleegMetBurgerservicenummer", personen }, { headers: { "content-type": "application/json; charset=utf-8" } });
  return createBrpClient({ baseUrl: `${ORIGIN}/haalcentraal/api/brp`, dispatcher: agent });
}

describe("the BRP client accepts every answer shape the spec allows for the fields it asks for", () => {
  it.each(SHAPES)("$name", async ({ persoon, expected }) => {
    const answer = { type: "RaadpleegMetBurgerservicenummer", personen: [persoon] };
    expectConforms(200, answer);
    const found = await clientAnswering([persoon]).raadpleeg([persoon.burgerservicenummer as string]);
    const got = found.get(persoon.burgerservicenummer as string);
    expect(got).toMatchObject(expected);
    // A date of death is a date the database and the domain accept, or OVERLIJDENSDATUM_ONBEKEND: deceased without a date (domain: isDeceased).
    if (got?.overlijdensdatum !== null && got?.overlijdensdatum !== OVERLIJDENSDATUM_ONBEKEND) expect(isIsoDate(got!.overlijdensdatum)).toBe(true);
  });

  it("the shapes above are not all alike: the spec refuses a broken one (the check can fail)", () => {
    const broken = { type: "RaadpleegMetBurgerservicenummer", personen: [{ ...base("999900055"), verblijfplaats: { type: "Woonwagen" } }] };
    expect(hc.response(200)(broken)).toBe(false);
    const badDate = { type: "RaadpleegMetBurgerservicenummer", personen: [{ ...base("999900055"), geboorte: { datum: { type: "Datum" } } }] };
    expect(hc.response(200)(badDate)).toBe(false);
  });
});
