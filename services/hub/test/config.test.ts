import { REGIO_ZUID_KENNEMERLAND } from "@vi/region";
import { describe, expect, it } from "vitest";
import { parseNodes } from "../src/config";

describe("the hub's NODES setting", () => {
  it("names a node of another demo region by its gemeente, not its code", () => {
    expect(parseNodes("GM0392=http://localhost:8392")).toEqual([{ code: "GM0392", naam: "Haarlem", url: "http://localhost:8392" }]);
    expect(parseNodes("GM0392=http://localhost:8392/", REGIO_ZUID_KENNEMERLAND)[0]?.naam).toBe("Haarlem");
  });

  it("names the region's own nodes from the region and keeps an unknown code as it is", () => {
    expect(parseNodes("GM0363=http://localhost:8363,GM9999=http://localhost:9999").map((n) => n.naam)).toEqual(["Amsterdam", "GM9999"]);
  });

  it("refuses a setting that is not CODE=URL", () => {
    expect(() => parseNodes("GM0363")).toThrow(/CODE=URL/);
    expect(() => parseNodes("GM0363=ftp://x")).toThrow(/http/);
  });
});
