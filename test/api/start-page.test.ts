/** The node's start page: where the links in its e-mails lead, until the web application exists. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestRegion, type TestRegion } from "../support/region";

let r: TestRegion;
beforeAll(async () => {
  r = await startTestRegion({ gemeenten: ["GM0363"] });
});
afterAll(async () => r?.close());

describe("GET /", () => {
  it("is a small Dutch page that says where to look, without logging in and without personal data", async () => {
    const res = await fetch(`${r.node("GM0363").url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).toContain('lang="nl"');
    expect(html).toContain("Verwijsindex Amsterdam");
    expect(html).toContain("/api/v1/meldingen");
    expect(html).toContain("/api/v1/openapi.json");
  });
});
