import { describe, expect, it } from "vitest";
import { createFakeBrpApp } from "@vi/fake-brp";

const TODAY = "2026-03-15";
const PATH = "/haalcentraal/api/brp/personen";
const { app } = createFakeBrpApp({ today: TODAY });

async function post(body: unknown, headers: Record<string, string> = {}) {
  const res = await app.request(PATH, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { res, json: (await res.json()) as Record<string, any> };
}

const ok = (over: Record<string, unknown> = {}) => ({
  type: "RaadpleegMetBurgerservicenummer",
  burgerservicenummer: ["999900018"],
  fields: ["burgerservicenummer"],
  ...over,
});

async function expectProblem(body: unknown, title: string, code: string, invalid: Array<{ name: string; code: string; reason?: string }>) {
  const { res, json } = await post(body);
  expect(res.status).toBe(400);
  expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  expect(json).toMatchObject({
    type: "https://datatracker.ietf.org/doc/html/rfc7231#section-6.5.1",
    title,
    status: 400,
    detail: `De foutieve parameter(s) zijn: ${invalid.map((i) => i.name).join(", ")}.`,
    instance: `http://localhost${PATH}`,
    code,
  });
  expect(json.invalidParams).toEqual(invalid.map((i) => expect.objectContaining(i)));
}

const WRONG = "Een of meerdere parameters zijn niet correct.";
const COMBI = "Minimale combinatie van parameters moet worden opgegeven.";

describe("POST /haalcentraal/api/brp/personen: validation like the real API", () => {
  it("requires the type", async () => {
    await expectProblem({ burgerservicenummer: ["999900018"], fields: ["naam"] }, COMBI, "paramsCombination", [
      { name: "type", code: "required", reason: "Parameter is verplicht." },
    ]);
  });

  it("refuses an unknown type", async () => {
    await expectProblem(ok({ type: "RaadpleegMetIets" }), WRONG, "paramsValidation", [{ name: "type", code: "value" }]);
  });

  it("requires burgerservicenummer, as an array of 1 to 20 nine-digit strings", async () => {
    await expectProblem(ok({ burgerservicenummer: undefined }), COMBI, "paramsCombination", [{ name: "burgerservicenummer", code: "required" }]);
    await expectProblem(ok({ burgerservicenummer: "999900018,999900079" }), WRONG, "paramsValidation", [
      { name: "burgerservicenummer", code: "array", reason: "Parameter is geen array." },
    ]);
    await expectProblem(ok({ burgerservicenummer: [] }), WRONG, "paramsValidation", [
      { name: "burgerservicenummer", code: "minItems", reason: "Array bevat minder dan 1 items." },
    ]);
    await expectProblem(ok({ burgerservicenummer: Array(21).fill("999900018") }), WRONG, "paramsValidation", [
      { name: "burgerservicenummer", code: "maxItems", reason: "Array bevat meer dan 20 items." },
    ]);
    await expectProblem(ok({ burgerservicenummer: ["1234567890", "999900018", "<script>123456789</script>", 999900018] }), WRONG, "paramsValidation", [
      { name: "burgerservicenummer[0]", code: "pattern", reason: "Waarde voldoet niet aan patroon ^[0-9]{9}$." },
      { name: "burgerservicenummer[2]", code: "pattern" },
      { name: "burgerservicenummer[3]", code: "pattern" },
    ]);
  });

  it("requires fields, non-empty, with existing names; automatically delivered fields may not be asked", async () => {
    await expectProblem(ok({ fields: undefined }), COMBI, "paramsCombination", [{ name: "fields", code: "required" }]);
    await expectProblem(ok({ fields: [] }), WRONG, "paramsValidation", [{ name: "fields", code: "minItems" }]);
    await expectProblem(ok({ fields: "naam,geslacht" }), WRONG, "paramsValidation", [{ name: "fields", code: "array" }]);
    await expectProblem(ok({ fields: ["naam", "schoenmaat", "geheimhoudingPersoonsgegevens"] }), WRONG, "paramsValidation", [
      { name: "fields[1]", code: "fields", reason: "Parameter bevat een niet bestaande veldnaam." },
      { name: "fields[2]", code: "fields", reason: "Parameter bevat een niet toegestane veldnaam." },
    ]);
  });

  it("refuses unexpected parameters and a body that is no JSON", async () => {
    await expectProblem(ok({ bsn: "999900018" }), WRONG, "paramsValidation", [{ name: "bsn", code: "unknownParam" }]);
    const { res, json } = await post("{nope");
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(json.code).toBe("paramsValidation");
  });

  it("never echoes a BSN in an error", async () => {
    const { json } = await post(ok({ burgerservicenummer: ["99990001", "999900018"], fields: [] }));
    expect(JSON.stringify(json)).not.toMatch(/9999000/);
  });
});

describe("POST /haalcentraal/api/brp/personen: answers", () => {
  it("answers only the requested fields, keeping the type of polymorphic groups", async () => {
    const { res, json } = await post(
      ok({ fields: ["burgerservicenummer", "naam.voornamen", "geboorte.datum", "verblijfplaats.adresseerbaarObjectIdentificatie"] }),
    );
    expect(res.status).toBe(200);
    expect(json).toEqual({
      type: "RaadpleegMetBurgerservicenummer",
      personen: [
        {
          burgerservicenummer: "999900018",
          naam: { voornamen: "Adam" },
          geboorte: { datum: { type: "Datum", datum: "2015-12-15", langFormaat: "15 december 2015" } },
          verblijfplaats: { type: "Adres", adresseerbaarObjectIdentificatie: "0363010099000001" },
        },
      ],
    });
  });

  it("answers the whole groups when asked by top-level name, with leeftijd for the given day", async () => {
    const { json } = await post(
      ok({ burgerservicenummer: ["999900092", "999900171"], fields: ["burgerservicenummer", "leeftijd", "overlijden", "gemeenteVanInschrijving", "ouders"] }),
    );
    expect(json.personen).toEqual([
      { burgerservicenummer: "999900092", leeftijd: 23, gemeenteVanInschrijving: { code: "0384", omschrijving: "Diemen" } },
      {
        burgerservicenummer: "999900171",
        overlijden: { indicatieOverleden: true, datum: { type: "Datum", datum: "2026-02-22", langFormaat: "22 februari 2026" } },
        gemeenteVanInschrijving: { code: "0415", omschrijving: "Landsmeer" },
      },
    ]);
  });

  it("delivers geheimhoudingPersoonsgegevens automatically, only when set", async () => {
    const { json } = await post(ok({ burgerservicenummer: ["999900080", "999900018"] }));
    expect(json.personen).toEqual([{ burgerservicenummer: "999900080", geheimhoudingPersoonsgegevens: true }, { burgerservicenummer: "999900018" }]);
  });

  it("leaves unknown BSNs out, answers duplicates once and filters on gemeenteVanInschrijving", async () => {
    const { json } = await post(ok({ burgerservicenummer: ["999900183", "999900018", "999900018", "999900055"] }));
    expect(json.personen.map((p: { burgerservicenummer: string }) => p.burgerservicenummer)).toEqual(["999900018", "999900055"]);
    const filtered = await post(ok({ burgerservicenummer: ["999900018", "999900055"], gemeenteVanInschrijving: "0479" }));
    expect(filtered.json.personen).toEqual([{ burgerservicenummer: "999900055" }]);
  });

  it("gives parents with their BSN and name", async () => {
    const { json } = await post(ok({ burgerservicenummer: ["999900055"], fields: ["ouders"] }));
    expect(json.personen[0].ouders).toEqual([
      expect.objectContaining({ ouderAanduiding: "1", burgerservicenummer: "999900043", naam: expect.objectContaining({ volledigeNaam: "Daan Visser" }) }),
      expect.objectContaining({ ouderAanduiding: "2", burgerservicenummer: "999900067", naam: expect.objectContaining({ volledigeNaam: "Emma de Boer" }) }),
    ]);
  });
});

describe("API key, unknown routes and health", () => {
  const secured = createFakeBrpApp({ today: TODAY, apiKey: "sleutel" }).app;

  it("requires the X-API-KEY when configured, with a 401 problem", async () => {
    const without = await secured.request(PATH, { method: "POST", body: JSON.stringify(ok()) });
    expect(without.status).toBe(401);
    expect(without.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(await without.json()).toMatchObject({ status: 401, code: "authentication", title: "Niet correct geauthenticeerd." });
    const wrong = await secured.request(PATH, { method: "POST", headers: { "x-api-key": "fout" }, body: JSON.stringify(ok()) });
    expect(wrong.status).toBe(401);
    const right = await secured.request(PATH, { method: "POST", headers: { "x-api-key": "sleutel" }, body: JSON.stringify(ok()) });
    expect(right.status).toBe(200);
    expect((await secured.request("/beheer/mutaties")).status).toBe(401);
    expect((await secured.request("/health")).status).toBe(200);
  });

  it("answers unknown routes with a 404 problem and health with UP", async () => {
    const res = await app.request("/haalcentraal/api/brp/personen/999900018");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    const health = await app.request("/health");
    expect(await health.json()).toMatchObject({ status: "UP", today: TODAY });
  });

  it("refuses an invalid day at construction", () => {
    expect(() => createFakeBrpApp({ today: "2026-02-30" })).toThrow(/Ongeldige datum/);
  });
});
