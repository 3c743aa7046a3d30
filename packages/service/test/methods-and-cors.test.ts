/**
 * The kit's answers about methods and origins, for every service: a known path with a method it does not have is
 * 405 METHODE_NIET_TOEGESTAAN with an Allow header (Problem Details); CORS only for the configured origins, a
 * preflight answered before any authentication, and refused for another origin.
 */
import { describe, expect, it } from "vitest";
import { createLogger, createServiceApp } from "../src/index";

function build(corsOrigins?: string[]) {
  const app = createServiceApp({ apiVersion: "1.0.0", log: createLogger("silent"), bodyLimitBytes: 1024, ready: async () => true, corsOrigins });
  // A service's authentication: every /api/v1 request needs a token, as at the node.
  app.use("/api/v1/*", async (c, next) => {
    if (c.req.header("authorization") !== "Bearer goed") return c.json({ code: "TOKEN_ONTBREEKT" }, 401);
    await next();
  });
  app.get("/api/v1/signalen", (c) => c.json({ signalen: [] }));
  app.post("/api/v1/signalen", (c) => c.json({}, 201));
  app.get("/api/v1/signalen/:id", (c) => c.json({ id: c.req.param("id") }));
  app.post("/api/v1/signalen/:id/verlengen", (c) => c.json({}));
  return app;
}

describe("405 METHODE_NIET_TOEGESTAAN", () => {
  it.each([
    ["PUT", "/api/v1/signalen", "GET, HEAD, POST, OPTIONS"],
    ["DELETE", "/api/v1/signalen", "GET, HEAD, POST, OPTIONS"],
    ["DELETE", "/api/v1/signalen/0b0c5a3e-0000-4000-8000-000000000001", "GET, HEAD, OPTIONS"],
    ["GET", "/api/v1/signalen/abc/verlengen", "POST, OPTIONS"],
    ["POST", "/health", "GET, HEAD, OPTIONS"],
  ])("%s %s is 405 with Allow: %s", async (method, path, allow) => {
    // With or without a token: which methods a path has is no secret (the OpenAPI document lists them).
    for (const headers of [{ authorization: "Bearer goed" }, {}] as Record<string, string>[])
      expect((await build().request(path, { method, headers })).status).toBe(405);
    const res = await build().request(path, { method });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe(allow);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.headers.get("api-version")).toBe("1.0.0");
    const body = (await res.json()) as { code: string; detail: string; status: number };
    expect(body).toMatchObject({ code: "METHODE_NIET_TOEGESTAAN", status: 405 });
    expect(body.detail).toContain(`${method} is niet toegestaan op ${path}`);
  });

  it("an unknown path stays 404 NIET_GEVONDEN, without Allow", async () => {
    const res = await build().request("/api/v1/onbekend", { method: "PUT", headers: { authorization: "Bearer goed" } });
    expect(res.status).toBe(404);
    expect(res.headers.get("allow")).toBeNull();
  });

  it("OPTIONS without a preflight answers the methods (204, Allow)", async () => {
    const res = await build().request("/api/v1/signalen", { method: "OPTIONS" });
    expect(res.status).toBe(204);
    expect(res.headers.get("allow")).toBe("GET, HEAD, POST, OPTIONS");
  });
});

const APP = "https://app.zaanstad.example";
const preflight = (origin: string, method = "POST", path = "/api/v1/signalen") =>
  new Request(`http://localhost${path}`, {
    method: "OPTIONS",
    headers: { origin, "access-control-request-method": method, "access-control-request-headers": "authorization, content-type" },
  });

describe("CORS", () => {
  it("a preflight from an allowed origin is 204 with the Access-Control headers, without a token", async () => {
    const res = await build([APP, "http://localhost:5173"]).request(preflight(APP));
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe(APP);
    expect(res.headers.get("access-control-allow-methods")).toBe("GET, HEAD, POST");
    expect(res.headers.get("access-control-allow-headers")).toBe("Authorization, Content-Type, traceparent, tracestate");
    expect(res.headers.get("access-control-max-age")).toBe("600");
    expect(res.headers.get("vary")).toContain("Origin");
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
  });

  it("a preflight from another origin is refused: 403 ORIGIN_NIET_TOEGESTAAN, no Access-Control headers", async () => {
    for (const app of [build([APP]), build()]) {
      const res = await app.request(preflight("https://evil.example"));
      expect(res.status).toBe(403);
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
      expect(((await res.json()) as { code: string }).code).toBe("ORIGIN_NIET_TOEGESTAAN");
    }
  });

  it("a preflight for a method the path does not have is 405 with Allow", async () => {
    const res = await build([APP]).request(preflight(APP, "DELETE"));
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD, POST");
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("an actual request from an allowed origin carries Allow-Origin and the exposed headers; from another none", async () => {
    const ok = await build([APP]).request("/api/v1/signalen", { headers: { origin: APP, authorization: "Bearer goed" } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("access-control-allow-origin")).toBe(APP);
    expect(ok.headers.get("access-control-expose-headers")).toBe("API-Version, X-Request-Id, traceparent, Retry-After, Allow");
    const other = await build([APP]).request("/api/v1/signalen", { headers: { origin: "https://evil.example", authorization: "Bearer goed" } });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
    // An error answer to an allowed origin is readable by its page too.
    const refused = await build([APP]).request("/api/v1/signalen", { headers: { origin: APP } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("access-control-allow-origin")).toBe(APP);
  });
});
