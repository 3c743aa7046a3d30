import { describe, it, expect } from "vitest";
import { DOMAIN_ERROR_CODES, fail, ok } from "../src/index";

describe("errors", () => {
  it("lists every code once, in UPPER_SNAKE form", () => {
    expect(DOMAIN_ERROR_CODES.length).toBeGreaterThan(0);
    expect(new Set(DOMAIN_ERROR_CODES).size).toBe(DOMAIN_ERROR_CODES.length);
    for (const code of DOMAIN_ERROR_CODES) expect(code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
  });

  it("builds results without a field when none is given", () => {
    expect(ok(3)).toEqual({ ok: true, value: 3 });
    expect(fail("BSN_ONGELDIG", "x")).toEqual({ ok: false, error: { code: "BSN_ONGELDIG", detail: "x" } });
    expect("field" in fail("BSN_ONGELDIG", "x").error).toBe(false);
    expect(fail("BSN_ONGELDIG", "x", "bsn").error.field).toBe("bsn");
  });
});
