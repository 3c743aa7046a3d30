/**
 * Limits and headers at a real node (HTTP, real PostgreSQL): 405 with Allow for a known path with a wrong method,
 * CORS for the configured origins only (a preflight needs no token), and the rate limits per professional and
 * per address on registrations and reads of personal data, and on failed sign-ins (429 TE_VEEL_VERZOEKEN with
 * Retry-After, Problem Details).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADAM, IB, JGZ, LEERPLICHT, LIAM } from "../support/constants";
import { startTestRegion, type TestRegion } from "../support/region";

const APP = "https://app.amsterdam.example";
let r: TestRegion;
let perAddress: TestRegion;
beforeAll(async () => {
  r = await startTestRegion({
    gemeenten: ["GM0363"],
    env: {
      CORS_ORIGINS: `${APP},http://localhost:5173`,
      RATE_LIMIT_REGISTRATIES_PER_MINUUT: "2",
      RATE_LIMIT_PERSOONSGEGEVENS_PER_MINUUT: "3",
      RATE_LIMIT_PER_ADRES_PER_MINUUT: "0",
      RATE_LIMIT_MISLUKTE_AANMELDINGEN_PER_MINUUT: "0",
    },
  });
  perAddress = await startTestRegion({
    gemeenten: ["GM0363"],
    env: {
      RATE_LIMIT_REGISTRATIES_PER_MINUUT: "0",
      RATE_LIMIT_PERSOONSGEGEVENS_PER_MINUUT: "0",
      RATE_LIMIT_PER_ADRES_PER_MINUUT: "4",
      RATE_LIMIT_MISLUKTE_AANMELDINGEN_PER_MINUUT: "3",
    },
  });
});
afterAll(async () => {
  await r?.close();
  await perAddress?.close();
});

const informed = (bsn: string) => ({ bsn, geinformeerd: true });

function expectTooMany(res: { status: number; headers: Headers; body: any }) {
  expect(res.status).toBe(429);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  expect(res.body.code).toBe("TE_VEEL_VERZOEKEN");
  const after = Number(res.headers.get("retry-after"));
  expect(Number.isInteger(after) && after >= 1 && after <= 60).toBe(true);
  expect(res.body.detail).toContain(`over ${after} seconden`);
}

describe("405 METHODE_NIET_TOEGESTAAN", () => {
  it.each(["PUT", "DELETE", "PATCH"])("%s /api/v1/signalen is 405 with Allow, with or without a token", async (method) => {
    for (const who of [IB, undefined]) {
      const res = await r.call("GM0363", who, method, "/api/v1/signalen");
      expect(res.status).toBe(405);
      expect(res.headers.get("allow")).toBe("GET, HEAD, POST, OPTIONS");
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(res.body).toMatchObject({ code: "METHODE_NIET_TOEGESTAAN", status: 405 });
    }
  });
  it("DELETE on one signal and GET on an action are 405 too; an unknown path stays 404", async () => {
    const id = "0b0c5a3e-0000-4000-8000-000000000001";
    expect((await r.call("GM0363", IB, "DELETE", `/api/v1/signalen/${id}`)).headers.get("allow")).toBe("GET, HEAD, OPTIONS");
    expect((await r.call("GM0363", IB, "GET", `/api/v1/signalen/${id}/verlengen`)).status).toBe(405);
    expect((await r.call("GM0363", IB, "PUT", "/api/v1/onbekend")).status).toBe(404);
  });
});

describe("CORS", () => {
  const preflight = (origin: string) =>
    fetch(`${r.node("GM0363").url}/api/v1/signalen`, {
      method: "OPTIONS",
      headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization,content-type" },
    });
  it("a preflight from an allowed origin succeeds without a token: 204 with the Access-Control headers", async () => {
    const res = await preflight(APP);
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe(APP);
    expect(res.headers.get("access-control-allow-methods")).toBe("GET, HEAD, POST");
    expect(res.headers.get("access-control-allow-headers")).toContain("Authorization");
    expect(res.headers.get("access-control-max-age")).toBe("600");
  });
  it("a preflight from another origin is refused (403 ORIGIN_NIET_TOEGESTAAN, no Access-Control-Allow-Origin)", async () => {
    const res = await preflight("https://evil.example");
    expect(res.status).toBe(403);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    expect(((await res.json()) as { code: string }).code).toBe("ORIGIN_NIET_TOEGESTAAN");
  });
  it("the answer to an allowed origin's request carries Allow-Origin and exposes the API's headers", async () => {
    const res = await r.call("GM0363", LEERPLICHT, "GET", "/api/v1/matches", undefined, { origin: APP });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe(APP);
    expect(res.headers.get("access-control-expose-headers")).toContain("API-Version");
  });
});

describe("rate limits per professional", () => {
  it("registrations: the third within a minute is 429 with Retry-After; another professional is not affected", async () => {
    expect((await r.call("GM0363", IB, "POST", "/api/v1/signalen", informed(ADAM))).status).toBe(201);
    expect((await r.call("GM0363", IB, "POST", "/api/v1/signalen", informed(LIAM))).status).toBe(201);
    const third = await r.call("GM0363", IB, "POST", "/api/v1/signalen", informed(ADAM));
    expectTooMany(third);
    expect((await r.call("GM0363", JGZ, "POST", "/api/v1/signalen", informed(ADAM))).status).toBe(201);
  });
  it("reads of personal data: the fourth within a minute is 429; reads without personal data (matches) are not limited", async () => {
    for (let i = 0; i < 3; i++) expect((await r.call("GM0363", JGZ, "GET", "/api/v1/signalen")).status).toBe(200);
    expectTooMany(await r.call("GM0363", JGZ, "GET", "/api/v1/signalen"));
    expect((await r.call("GM0363", JGZ, "GET", "/api/v1/matches")).status).toBe(200);
  });
});

describe("rate limits per address", () => {
  it("registrations and reads of personal data by different professionals from one address share its limit", async () => {
    const who = [IB, JGZ, LEERPLICHT, IB];
    const bsns = [ADAM, "", LIAM, ""];
    for (let i = 0; i < 4; i++) {
      const res = await perAddress.call("GM0363", who[i], i % 2 ? "GET" : "POST", "/api/v1/signalen", i % 2 ? undefined : informed(bsns[i]!));
      expect(res.status).toBeLessThan(400);
    }
    expectTooMany(await perAddress.call("GM0363", JGZ, "GET", "/api/v1/signalen"));
  });
  it("failed sign-ins: after three refused tokens the address waits, even with a good token", async () => {
    for (let i = 0; i < 3; i++) {
      const res = await perAddress.call("GM0363", undefined, "GET", "/api/v1/matches", undefined, { authorization: "Bearer fout.token.hier" });
      expect(res.status).toBe(401);
    }
    expectTooMany(await perAddress.call("GM0363", undefined, "GET", "/api/v1/matches", undefined, { authorization: "Bearer fout.token.hier" }));
    expectTooMany(await perAddress.call("GM0363", LEERPLICHT, "GET", "/api/v1/matches"));
    // Not an API request: the kit's own routes are not limited.
    expect((await fetch(`${perAddress.node("GM0363").url}/health`)).status).toBe(200);
  });
});

describe("metrics are not on the API's port (docs/adr/0009)", () => {
  it("/metrics is 404 on the API's port; the node started without ADMIN_PORT has no admin side", async () => {
    const res = await fetch(`${r.node("GM0363").url}/metrics`);
    expect(res.status).toBe(404);
    expect(r.node("GM0363").adminUrl).toBeUndefined();
  });
});
