import { describe, expect, it } from "vitest";
import { REGIO_AMSTERDAM, regionFromConfig } from "../src/index";

describe("the region as configuration", () => {
  it("Regio Amsterdam has thirteen gemeenten, Amsterdam on 8363, and not Haarlem", () => {
    expect(REGIO_AMSTERDAM.gemeenten).toHaveLength(13);
    expect(REGIO_AMSTERDAM.gemeente("GM0363")).toEqual({ code: "GM0363", cbs: "0363", naam: "Amsterdam", port: 8363 });
    expect(REGIO_AMSTERDAM.includes("GM0392")).toBe(false);
    expect(REGIO_AMSTERDAM.naamVan("GM0392")).toBe("GM0392");
  });

  it("without configuration the region is Regio Amsterdam", () => {
    expect(regionFromConfig(undefined)).toBe(REGIO_AMSTERDAM);
    expect(regionFromConfig("  ")).toBe(REGIO_AMSTERDAM);
  });

  it("a configured region takes codes with optional names", () => {
    const r = regionFromConfig("GM0392=Haarlem,GM0363", "Kennemerland en Amsterdam");
    expect(r.gemeenten.map((g) => [g.code, g.naam])).toEqual([
      ["GM0392", "Haarlem"],
      ["GM0363", "Amsterdam"],
    ]);
    expect(r.includes("GM0479")).toBe(false);
  });

  it("Regio Amsterdam adds kinderopvang to the categories that may signal; another region adds what it configures", () => {
    expect(REGIO_AMSTERDAM.extraDomains).toEqual(["kinderopvang"]);
    expect(regionFromConfig(undefined, undefined, "").extraDomains).toEqual([]);
    expect(regionFromConfig("GM0392=Haarlem").extraDomains).toEqual([]);
    expect(regionFromConfig("GM0392=Haarlem", undefined, "kinderopvang, sport").extraDomains).toEqual(["kinderopvang", "sport"]);
    expect(() => regionFromConfig("GM0392", undefined, "Kinder Opvang")).toThrow(/category/);
  });

  it("refuses a code that is not a CBS code, and a gemeente listed twice", () => {
    expect(() => regionFromConfig("0363")).toThrow(/CBS code/);
    expect(() => regionFromConfig("GM0363,GM0363")).toThrow(/twice/);
  });
});
