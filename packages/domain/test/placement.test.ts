import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assertResidentHere, maySignal, placeRegistration, SIGNALLING_DOMAINS, signallingDomains } from "../src/index";

const AMSTERDAM = { code: "GM0363", naam: "Amsterdam" };
const REGION = new Set(["GM0363", "GM0479", "GM0344"]);
const inRegion = (code: string) => REGION.has(code);
/** Regio Amsterdam adds kinderopvang; a region without additions. */
const AMSTERDAM_REGION = { extraDomains: ["kinderopvang"] };
const PLAIN_REGION = { extraDomains: [] };

describe("maySignal", () => {
  it("lets a designated professional signal", () => {
    expect(maySignal({ rol: "professional", signaleringsbevoegd: true, domein: "onderwijs" }, PLAIN_REGION)).toEqual({ ok: true, value: true });
  });

  it("refuses a professional whom the organisation did not designate", () => {
    const r = maySignal({ rol: "professional", signaleringsbevoegd: false, domein: "onderwijs" }, PLAIN_REGION);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe("NIET_SIGNALERINGSBEVOEGD");
    expect(r.error.detail).toMatch(/signaleringsbevoegd/);
    expect(r.error).not.toHaveProperty("field");
  });

  it.each(["matchregisseur", "coordinator", "convenantmanager", "Professional", ""])(
    "never lets role %j signal, even when marked signaleringsbevoegd",
    (rol) => {
      const r = maySignal({ rol, signaleringsbevoegd: true, domein: "onderwijs" }, PLAIN_REGION);
      expect(r.ok ? "ok" : r.error.code).toBe("NIET_SIGNALERINGSBEVOEGD");
    },
  );

  it.each(["onderwijs", "jeugdhulp", "jeugdgezondheidszorg", "gezondheidszorg", "maatschappelijke-ondersteuning", "werk-en-inkomen", "politie-en-justitie"])(
    "lets a designated professional of a %s organisation signal in any region",
    (domein) => {
      expect(maySignal({ rol: "professional", signaleringsbevoegd: true, domein }, PLAIN_REGION).ok).toBe(true);
    },
  );

  it("refuses a designated professional of an organisation whose category the law does not name", () => {
    for (const domein of ["sport", "gemeente", "regio", "", "Onderwijs"]) {
      const r = maySignal({ rol: "professional", signaleringsbevoegd: true, domein }, AMSTERDAM_REGION);
      expect(r.ok ? "ok" : r.error.code, domein).toBe("DOMEIN_NIET_TOEGESTAAN");
    }
  });

  it("lets kinderopvang signal only where the region adds it (Regio Amsterdam)", () => {
    const kinderopvang = { rol: "professional", signaleringsbevoegd: true, domein: "kinderopvang" };
    expect(maySignal(kinderopvang, AMSTERDAM_REGION).ok).toBe(true);
    const r = maySignal(kinderopvang, PLAIN_REGION);
    expect(r.ok ? "ok" : r.error.code).toBe("DOMEIN_NIET_TOEGESTAAN");
  });

  it("checks the designation before the category", () => {
    const r = maySignal({ rol: "professional", signaleringsbevoegd: false, domein: "sport" }, PLAIN_REGION);
    expect(r.ok ? "ok" : r.error.code).toBe("NIET_SIGNALERINGSBEVOEGD");
  });

  it("the categories are the law's seven plus the region's own, each once", () => {
    expect(SIGNALLING_DOMAINS).toHaveLength(7);
    expect(signallingDomains({ extraDomains: ["kinderopvang", "onderwijs"] })).toEqual([...SIGNALLING_DOMAINS, "kinderopvang"]);
  });
});

describe("placeRegistration", () => {
  it("registers here when the youth lives in this node's gemeente", () => {
    expect(placeRegistration({ residence: "GM0363", here: AMSTERDAM, inRegion, federated: true })).toEqual({ ok: true, value: { at: "here" } });
  });

  it("registers here when the youth lives here, also on a node without a link to the region", () => {
    expect(placeRegistration({ residence: "GM0363", here: AMSTERDAM, inRegion: () => false, federated: false })).toEqual({ ok: true, value: { at: "here" } });
  });

  it("routes a youth of another gemeente in the region to the residence node", () => {
    expect(placeRegistration({ residence: "GM0479", here: AMSTERDAM, inRegion, federated: true })).toEqual({
      ok: true,
      value: { at: "residence", gemeente: "GM0479" },
    });
  });

  it("refuses a youth outside the region, naming the bsn field", () => {
    const r = placeRegistration({ residence: "GM0599", here: AMSTERDAM, inRegion, federated: true });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe("JEUGDIGE_BUITEN_REGIO");
    expect(r.error.field).toBe("bsn");
  });

  it("places a youth of another region at their residence node when the national link is on (ADR 0042)", () => {
    expect(placeRegistration({ residence: "GM0392", here: AMSTERDAM, inRegion, federated: true, national: true })).toEqual({
      ok: true,
      value: { at: "residence", gemeente: "GM0392" },
    });
  });

  it("a national link without the region's link places nothing outside the region", () => {
    const r = placeRegistration({ residence: "GM0392", here: AMSTERDAM, inRegion, federated: false, national: true });
    expect(r.ok ? "ok" : r.error.code).toBe("JEUGDIGE_BUITEN_REGIO");
  });

  it("refuses a youth outside the region as outside the region also on a node without a link", () => {
    const r = placeRegistration({ residence: "GM0599", here: AMSTERDAM, inRegion, federated: false });
    expect(r.ok ? "ok" : r.error.code).toBe("JEUGDIGE_BUITEN_REGIO");
  });

  it("a node without a link to the region refuses a youth of another gemeente in the region, naming its own gemeente", () => {
    const r = placeRegistration({ residence: "GM0479", here: AMSTERDAM, inRegion, federated: false });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe("JEUGDIGE_ANDERE_GEMEENTE");
    expect(r.error.field).toBe("bsn");
    expect(r.error.detail).toContain("Amsterdam");
  });

  it("never routes to the residence node unless it is in the region and the node is federated (property)", () => {
    const code = fc.constantFrom("GM0363", "GM0479", "GM0344", "GM0599", "GM0014");
    fc.assert(
      fc.property(code, code, fc.boolean(), fc.func(fc.boolean()), (residence, hereCode, federated, inRegionFn) => {
        const r = placeRegistration({ residence, here: { code: hereCode, naam: "Hier" }, inRegion: (c) => inRegionFn(c), federated });
        if (residence === hereCode) {
          expect(r).toEqual({ ok: true, value: { at: "here" } });
        } else if (r.ok) {
          expect(federated).toBe(true);
          expect(inRegionFn(residence)).toBe(true);
          expect(r.value).toEqual({ at: "residence", gemeente: residence });
        } else {
          expect(r.error.code).toBe(inRegionFn(residence) ? "JEUGDIGE_ANDERE_GEMEENTE" : "JEUGDIGE_BUITEN_REGIO");
        }
      }),
    );
  });
});

describe("assertResidentHere", () => {
  it("accepts a youth registered in this gemeente", () => {
    expect(assertResidentHere("GM0363", AMSTERDAM)).toEqual({ ok: true, value: true });
  });

  it("refuses a youth the BRP registers elsewhere, naming this gemeente and the bsn field", () => {
    const r = assertResidentHere("GM0479", AMSTERDAM);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toEqual({ code: "JEUGDIGE_ANDERE_GEMEENTE", detail: expect.stringContaining("Amsterdam"), field: "bsn" });
  });

  it("compares gemeente codes exactly", () => {
    expect(assertResidentHere("gm0363", AMSTERDAM).ok).toBe(false);
    expect(assertResidentHere("GM0363 ", AMSTERDAM).ok).toBe(false);
  });
});
