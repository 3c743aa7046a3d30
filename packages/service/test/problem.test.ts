import { describe, expect, it } from "vitest";
import { z } from "zod";
import { BASE_PROBLEMS, baseProblem, Problem, problemCatalog, problemType, validationProblem } from "../src/index";

const OWN = {
  SIGNAAL_NIET_GEVONDEN: { status: 404, title: "Signaal niet gevonden" },
  SIGNAAL_GEARCHIVEERD: { status: 409, title: "Signaal al gearchiveerd" },
} as const;

function zodError(schema: z.ZodType, value: unknown): z.ZodError {
  const parsed = schema.safeParse(value);
  if (parsed.success) throw new Error("expected the value to fail the schema");
  return parsed.error;
}

describe("problemCatalog", () => {
  it("holds every shared code and the service's own codes, each with its spec", () => {
    const catalog = problemCatalog(OWN);
    expect([...catalog.codes].sort()).toEqual([...Object.keys(BASE_PROBLEMS), ...Object.keys(OWN)].sort());
    expect(catalog.specs.SIGNAAL_GEARCHIVEERD).toEqual({ status: 409, title: "Signaal al gearchiveerd" });
    expect(catalog.specs.NIET_GEREED).toEqual({ status: 503, title: "Dienst nog niet gereed" });
  });

  it("an empty catalogue still holds exactly the shared codes", () => {
    expect([...problemCatalog({}).codes].sort()).toEqual(Object.keys(BASE_PROBLEMS).sort());
  });

  it("a problem of an own code gets the status and title of its spec and the given detail", () => {
    const p = problemCatalog(OWN).problem("SIGNAAL_GEARCHIVEERD", "Dit signaal is al gearchiveerd.");
    expect(p).toBeInstanceOf(Problem);
    expect(p).toBeInstanceOf(Error);
    expect(p.code).toBe("SIGNAAL_GEARCHIVEERD");
    expect(p.status).toBe(409);
    expect(p.title).toBe("Signaal al gearchiveerd");
    expect(p.detail).toBe("Dit signaal is al gearchiveerd.");
    expect(p.message).toBe("Dit signaal is al gearchiveerd.");
  });

  it("a problem of a shared code is available from every service's catalogue", () => {
    const p = problemCatalog(OWN).problem("MEDIATYPE_NIET_ONDERSTEUND", "Stuur JSON.");
    expect([p.status, p.title]).toEqual([415, "Mediatype niet ondersteund"]);
  });

  it("has() knows the shared and the own codes and nothing else, not even inherited object members", () => {
    const catalog = problemCatalog(OWN);
    expect(catalog.has("SIGNAAL_NIET_GEVONDEN")).toBe(true);
    expect(catalog.has("INTERNE_FOUT")).toBe(true);
    for (const code of ["ONBEKEND", "signaal_niet_gevonden", "", "toString", "__proto__", "constructor", "hasOwnProperty"]) {
      expect(catalog.has(code), code).toBe(false);
    }
  });

  it("a code arriving as data can be used once has() has narrowed it", () => {
    const catalog = problemCatalog(OWN);
    const fromTheWire: string = "SIGNAAL_NIET_GEVONDEN";
    expect(catalog.has(fromTheWire)).toBe(true);
    if (catalog.has(fromTheWire)) expect(catalog.problem(fromTheWire, "Niet gevonden.").status).toBe(404);
  });

  it("a code outside the catalogue is refused at compile time (and does not become a Problem at run time)", () => {
    const catalog = problemCatalog(OWN);
    // @ts-expect-error ONBEKENDE_CODE is not one of this service's codes
    expect(() => catalog.problem("ONBEKENDE_CODE", "x")).toThrow(TypeError);
    // @ts-expect-error baseProblem takes only the shared codes, not a service's own
    expect(() => baseProblem("SIGNAAL_NIET_GEVONDEN", "x")).toThrow(TypeError);
  });
});

describe("Problem.toJSON", () => {
  it("renders RFC 9457 Problem Details with a type derived from the code", () => {
    const p = problemCatalog(OWN).problem("SIGNAAL_NIET_GEVONDEN", "Geen signaal met dit kenmerk.");
    expect(p.toJSON("/api/v1/signalen/123")).toEqual({
      type: "https://verwijsindex.example/problemen/signaal-niet-gevonden",
      title: "Signaal niet gevonden",
      status: 404,
      detail: "Geen signaal met dit kenmerk.",
      code: "SIGNAAL_NIET_GEVONDEN",
      instance: "/api/v1/signalen/123",
    });
  });

  it("problemType lower-cases the code and turns every underscore into a hyphen", () => {
    expect(problemType("MEDIATYPE_NIET_ONDERSTEUND")).toBe("https://verwijsindex.example/problemen/mediatype-niet-ondersteund");
    expect(problemType("A_B_C")).toBe("https://verwijsindex.example/problemen/a-b-c");
  });

  it("leaves out instance when none is given", () => {
    const body = baseProblem("NIET_GEVONDEN", "Niets hier.").toJSON();
    expect(body).not.toHaveProperty("instance");
    expect(body).not.toHaveProperty("invalidParams");
  });

  it("includes invalidParams only when there is at least one", () => {
    const params = [{ name: "bsn", code: "too_small", reason: "Te kort of te klein." }];
    expect(baseProblem("VERZOEK_ONGELDIG", "x", params).toJSON().invalidParams).toEqual(params);
    expect(baseProblem("VERZOEK_ONGELDIG", "x", []).toJSON()).not.toHaveProperty("invalidParams");
  });

  it("survives JSON.stringify as the same body (what the error handler sends)", () => {
    const p = baseProblem("JSON_ONGELDIG", "Geen JSON.");
    expect(JSON.parse(JSON.stringify(p))).toEqual(p.toJSON());
  });
});

describe("validationProblem", () => {
  it("turns a zod error into VERZOEK_ONGELDIG with a Dutch reason per issue", () => {
    const schema = z.object({ bsn: z.string().length(9), geinformeerd: z.boolean(), voor: z.enum(["ouders", "jeugdige"]) });
    const p = validationProblem(zodError(schema, { bsn: "123", voor: "buren" }));
    expect(p.code).toBe("VERZOEK_ONGELDIG");
    expect(p.status).toBe(400);
    expect(p.title).toBe("Ongeldig verzoek");
    expect(p.invalidParams).toEqual([
      { name: "bsn", code: "too_small", reason: "Te kort of te klein." },
      { name: "geinformeerd", code: "invalid_type", reason: "Verkeerd type of ontbrekend veld." },
      { name: "voor", code: "invalid_value", reason: "Ongeldige waarde." },
    ]);
    expect(p.detail).toBe("Het verzoek klopt niet: controleer bsn, geinformeerd, voor.");
  });

  it("gives one invalid param per unrecognized key, named by its full path", () => {
    const schema = z.strictObject({ input: z.strictObject({ bsn: z.string() }) });
    const p = validationProblem(zodError(schema, { input: { bsn: "999990019", naam: "x", adres: "y" }, extra: 1 }));
    expect(p.invalidParams).toEqual(
      expect.arrayContaining([
        { name: "input.naam", code: "unrecognized_keys", reason: "Onbekend veld; laat het weg." },
        { name: "input.adres", code: "unrecognized_keys", reason: "Onbekend veld; laat het weg." },
        { name: "extra", code: "unrecognized_keys", reason: "Onbekend veld; laat het weg." },
      ]),
    );
    expect(p.invalidParams).toHaveLength(3);
  });

  it("keeps a schema's own (Dutch) message and replaces zod's English ones", () => {
    const schema = z.object({ einddatum: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Gebruik JJJJ-MM-DD."), naam: z.string().max(3) });
    const p = validationProblem(zodError(schema, { einddatum: "1 maart", naam: "te lang" }));
    expect(p.invalidParams).toEqual([
      { name: "einddatum", code: "invalid_format", reason: "Gebruik JJJJ-MM-DD." },
      { name: "naam", code: "too_big", reason: "Te lang of te groot." },
    ]);
    for (const param of p.invalidParams ?? []) expect(param.reason).not.toMatch(/Invalid|Too|expected|received/);
  });

  it("names a problem with the body as a whole (body)", () => {
    const p = validationProblem(zodError(z.object({ a: z.string() }), "geen object"));
    expect(p.invalidParams).toEqual([{ name: "(body)", code: "invalid_type", reason: "Verkeerd type of ontbrekend veld." }]);
  });

  it("names a field once in the detail even when it has several issues", () => {
    const schema = z.object({ code: z.string().min(5).regex(/^GM/) });
    const p = validationProblem(zodError(schema, { code: "x" }));
    expect(p.invalidParams).toHaveLength(2);
    expect(p.detail).toBe("Het verzoek klopt niet: controleer code.");
  });

  it("names array elements by index", () => {
    const p = validationProblem(zodError(z.object({ ouders: z.array(z.string()) }), { ouders: ["a", 2] }));
    expect(p.invalidParams).toEqual([{ name: "ouders.1", code: "invalid_type", reason: "Verkeerd type of ontbrekend veld." }]);
  });
});
