import { createRoute, z } from "@hono/zod-openapi";
import { createServer, type AddressInfo } from "node:net";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { createLogger, createServiceApp, isStorageUnavailable, problemCatalog, SECURITY_HEADERS, type ServiceAppOptions } from "../src/index";

const API_VERSION = "2.1.0";

const catalog = problemCatalog({ SIGNAAL_GEARCHIVEERD: { status: 409, title: "Signaal al gearchiveerd" } });

const SignaalIn = z.strictObject({ bsn: z.string().length(9), einddatum: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Gebruik JJJJ-MM-DD.") });

/** Log lines the app wrote (a pino destination in memory). */
function memoryLog(level = "info") {
  const lines: Array<Record<string, unknown>> = [];
  const log = createLogger(level, "test", { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) });
  return { log, lines };
}

function build(overrides: Partial<ServiceAppOptions> = {}) {
  const app = createServiceApp({
    apiVersion: API_VERSION,
    log: createLogger("silent"),
    bodyLimitBytes: 1024,
    ready: async () => true,
    readyBody: { gemeente: "GM0363" },
    ...overrides,
  });
  app.get("/api/v1/ok", (c) => c.json({ ok: true }));
  app.get("/api/v1/cached", (c) => {
    c.header("Cache-Control", "public, max-age=60");
    return c.json({ ok: true });
  });
  app.get("/api/v1/refused", () => {
    throw catalog.problem("SIGNAAL_GEARCHIVEERD", "Dit signaal is al gearchiveerd.");
  });
  app.get("/api/v1/boom", () => {
    throw new Error("connection to postgres://vi:geheim-wachtwoord@db failed");
  });
  app.post("/api/v1/actie", (c) => c.body(null, 204));
  app.post("/intern/upload", async (c) => c.json({ bytes: (await c.req.text()).length }));
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/signalen",
      request: { body: { required: true, content: { "application/json": { schema: SignaalIn } } } },
      responses: { 201: { description: "Geregistreerd.", content: { "application/json": { schema: z.object({ bsn: z.string() }) } } } },
    }),
    (c) => c.json({ bsn: c.req.valid("json").bsn }, 201),
  );
  return app;
}

function postJson(body: string, contentType = "application/json"): RequestInit {
  return { method: "POST", body, headers: { "Content-Type": contentType, "Content-Length": String(Buffer.byteLength(body)) } };
}

function expectSecurityHeaders(res: Response) {
  expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
  expect(res.headers.get("X-Frame-Options")).toBe("DENY");
  expect(res.headers.get("Content-Security-Policy")).toBe("default-src 'none'; frame-ancestors 'none'");
  expect(res.headers.get("Referrer-Policy")).toBe("no-referrer");
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(res.headers.get(name), name).toBe(value);
}

/** What every answer of the kit carries, success or error. */
function expectKitHeaders(res: Response) {
  expect(res.headers.get("API-Version")).toBe(API_VERSION);
  expect(res.headers.get("X-Request-Id")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expectSecurityHeaders(res);
}

async function problemOf(res: Response) {
  expect(res.headers.get("Content-Type")).toBe("application/problem+json");
  return (await res.json()) as { type: string; title: string; status: number; detail: string; code: string; instance?: string; invalidParams?: unknown[] };
}

describe("createServiceApp: headers", () => {
  it("a successful answer carries a request id, the API version, the security headers and no-store", async () => {
    const res = await build().request("/api/v1/ok");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    expectKitHeaders(res);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
  });

  it("each request gets its own request id", async () => {
    const app = build();
    const [a, b] = await Promise.all([app.request("/api/v1/ok"), app.request("/api/v1/ok")]);
    expect(a!.headers.get("X-Request-Id")).not.toBe(b!.headers.get("X-Request-Id"));
  });

  it("a route that sets its own Cache-Control keeps it", async () => {
    const res = await build().request("/api/v1/cached");
    expect(res.headers.get("Cache-Control")).toBe("public, max-age=60");
    expectKitHeaders(res);
  });

  it.each([
    ["a refused request", "/api/v1/refused", 409],
    ["an unexpected error", "/api/v1/boom", 500],
    ["an unknown path", "/bestaat/niet", 404],
  ])("an error answer (%s) carries the same headers as a successful one", async (_what, path, status) => {
    const res = await build().request(path);
    expect(res.status).toBe(status);
    expectKitHeaders(res);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
  });

  it("a refusal by a middleware (body too large) carries the same headers", async () => {
    const res = await build().request("/api/v1/actie", postJson(JSON.stringify({ x: "y".repeat(2000) })));
    expect(res.status).toBe(413);
    expectKitHeaders(res);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
  });
});

describe("createServiceApp: health, readiness and metrics", () => {
  it("/health answers ok", async () => {
    const res = await build({ ready: async () => false }).request("/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });

  it("/ready answers 200 with its body when the service is ready", async () => {
    const res = await build().request("/ready");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ready", gemeente: "GM0363" });
  });

  it("/ready answers 503 NIET_GEREED when ready() returns false", async () => {
    const res = await build({ ready: async () => false }).request("/ready");
    expect(res.status).toBe(503);
    const body = await problemOf(res);
    expect(body.code).toBe("NIET_GEREED");
    expect(body.status).toBe(503);
    expectKitHeaders(res);
  });

  it("/ready answers 503 NIET_GEREED when ready() throws, without the error's message", async () => {
    const res = await build({
      ready: async () => {
        throw new Error("database GM0363-db is down");
      },
    }).request("/ready");
    expect(res.status).toBe(503);
    const text = await res.text();
    expect(JSON.parse(text).code).toBe("NIET_GEREED");
    expect(text).not.toContain("GM0363-db");
  });

  it("/ready asks again on every request", async () => {
    let ready = false;
    const app = build({ ready: async () => ready });
    expect((await app.request("/ready")).status).toBe(503);
    ready = true;
    expect((await app.request("/ready")).status).toBe(200);
  });

  it("the API's app has no /metrics: metrics are on the admin side", async () => {
    const res = await build().request("/metrics");
    expect(res.status).toBe(404);
    expect((await problemOf(res)).code).toBe("NIET_GEVONDEN");
  });
});

describe("createServiceApp: errors as Problem Details", () => {
  it("an unknown path is 404 NIET_GEVONDEN as application/problem+json", async () => {
    const res = await build().request("/api/v1/bestaat-niet");
    expect(res.status).toBe(404);
    const body = await problemOf(res);
    expect(body).toMatchObject({
      type: "https://verwijsindex.example/problemen/niet-gevonden",
      title: "Niet gevonden",
      status: 404,
      code: "NIET_GEVONDEN",
      instance: "/api/v1/bestaat-niet",
    });
    expect(body.detail).toContain("/api/v1/bestaat-niet");
  });

  it("a thrown Problem is rendered with its own status, code and detail", async () => {
    const res = await build().request("/api/v1/refused");
    expect(res.status).toBe(409);
    expect(await problemOf(res)).toEqual({
      type: "https://verwijsindex.example/problemen/signaal-gearchiveerd",
      title: "Signaal al gearchiveerd",
      status: 409,
      detail: "Dit signaal is al gearchiveerd.",
      code: "SIGNAAL_GEARCHIVEERD",
      instance: "/api/v1/refused",
    });
  });

  it("an unexpected error is 500 INTERNE_FOUT without its message", async () => {
    const res = await build().request("/api/v1/boom");
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(res.headers.get("Content-Type")).toBe("application/problem+json");
    expect(JSON.parse(text)).toMatchObject({ code: "INTERNE_FOUT", status: 500, title: "Interne fout" });
    expect(text).not.toContain("geheim-wachtwoord");
    expect(text).not.toContain("postgres");
    expect(text).not.toContain("at ");
  });

  it("a database that cannot be reached is 503 DIENST_ONBEREIKBAAR with Retry-After, not a 500", async () => {
    // A real refused connection: postgres.js to a port where nothing listens (found by binding and closing it).
    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, "127.0.0.1", () => {
        const p = (srv.address() as AddressInfo).port;
        srv.close(() => resolve(p));
      });
    });
    const sql = postgres({ host: "127.0.0.1", port, connect_timeout: 5, max: 1, onnotice: () => {} });
    const app = build();
    app.get("/api/v1/db", async (c) => c.json(await sql`select 1 as een`));
    try {
      const res = await app.request("/api/v1/db");
      expect(res.status).toBe(503);
      expect(res.headers.get("Retry-After")).toMatch(/^\d+$/);
      const body = JSON.parse(await res.text()) as { code: string; detail: string };
      expect(body.code).toBe("DIENST_ONBEREIKBAAR");
      expect(body.detail).toContain("opnieuw");
    } finally {
      await sql.end({ timeout: 1 });
    }
  });

  it("a database error that is ours (a violated constraint), even wrapped, stays 500 INTERNE_FOUT", async () => {
    const app = build();
    app.get("/api/v1/dubbel", () => {
      throw new Error("Failed query", { cause: Object.assign(new Error("duplicate key value"), { code: "23505" }) });
    });
    const res = await app.request("/api/v1/dubbel");
    expect(res.status).toBe(500);
    expect(isStorageUnavailable(new Error("x", { cause: Object.assign(new Error("gone"), { code: "57P01" }) }))).toBe(true);
    expect(isStorageUnavailable(Object.assign(new Error("dup"), { code: "23505" }))).toBe(false);
  });

  it("an unexpected error is logged with its message and the request id of the answer", async () => {
    const { log, lines } = memoryLog();
    const res = await build({ log }).request("/api/v1/boom");
    const logged = lines.find((l) => l.msg === "unhandled error");
    expect(logged).toBeDefined();
    expect((logged!.err as { message: string }).message).toContain("geheim-wachtwoord");
    expect(logged!.requestId).toBe(res.headers.get("X-Request-Id"));
  });

  it("every request is logged with method, route and status, never the query string", async () => {
    const { log, lines } = memoryLog();
    await build({ log }).request("/api/v1/ok?bsn=999990019");
    const entry = lines.find((l) => l.msg === "request");
    expect(entry).toMatchObject({ method: "GET", route: "/api/v1/ok", status: 200 });
    expect(JSON.stringify(lines)).not.toContain("999990019");
  });

  it("a request for an unknown path is logged too", async () => {
    const { log, lines } = memoryLog();
    await build({ log }).request("/bestaat/niet");
    expect(lines.find((l) => l.msg === "request")).toMatchObject({ method: "GET", status: 404 });
  });
});

describe("createServiceApp: request bodies under /api/", () => {
  it("a body over the limit is 413 VERZOEK_TE_GROOT with Connection: close", async () => {
    const res = await build().request("/api/v1/actie", postJson(JSON.stringify({ x: "y".repeat(2000) })));
    expect(res.status).toBe(413);
    expect(res.headers.get("Connection")).toBe("close");
    expect(await problemOf(res)).toMatchObject({ code: "VERZOEK_TE_GROOT", status: 413, detail: "Het verzoek is groter dan 1 KiB." });
  });

  it("a body over the limit without Content-Length (streamed) is refused as well", async () => {
    const body = JSON.stringify({ x: "y".repeat(2000) });
    const res = await build().request("/api/v1/actie", { method: "POST", body, headers: { "Content-Type": "application/json" } });
    expect(res.status).toBe(413);
    expect((await problemOf(res)).code).toBe("VERZOEK_TE_GROOT");
  });

  it("a body within the limit reaches the route", async () => {
    const res = await build().request("/api/v1/actie", postJson(JSON.stringify({ x: "y".repeat(900) })));
    expect(res.status).toBe(204);
  });

  it("the body limit applies only under /api/", async () => {
    const res = await build().request("/intern/upload", postJson("y".repeat(4000), "text/plain"));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ bytes: 4000 });
  });

  it("a POST with a non-JSON content type is 415 MEDIATYPE_NIET_ONDERSTEUND", async () => {
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "application/jsonp"]) {
      const res = await build().request("/api/v1/actie", postJson("{}", type));
      expect(res.status, type).toBe(415);
      expect((await problemOf(res)).code).toBe("MEDIATYPE_NIET_ONDERSTEUND");
    }
  });

  it("a POST with a body and no content type at all is 415", async () => {
    const res = await build().request("/api/v1/actie", { method: "POST", body: "{}", headers: { "Content-Length": "2" } });
    expect(res.status).toBe(415);
  });

  it("JSON with parameters or in another case is accepted as JSON", async () => {
    for (const type of ["application/json; charset=utf-8", "Application/JSON"]) {
      const res = await build().request("/api/v1/actie", postJson("{}", type));
      expect(res.status, type).toBe(204);
    }
  });

  it("a POST without a body needs no content type", async () => {
    const res = await build().request("/api/v1/actie", { method: "POST", headers: { "Content-Length": "0" } });
    expect(res.status).toBe(204);
  });

  it("malformed JSON to a zod-openapi route is 400 JSON_ONGELDIG", async () => {
    const res = await build().request("/api/v1/signalen", postJson('{"bsn": "999990019",'));
    expect(res.status).toBe(400);
    expect(await problemOf(res)).toMatchObject({ code: "JSON_ONGELDIG", status: 400, title: "Ongeldige JSON" });
  });

  it("a body failing its schema is 400 VERZOEK_ONGELDIG naming each invalid parameter", async () => {
    const res = await build().request("/api/v1/signalen", postJson(JSON.stringify({ bsn: "123", einddatum: "1 maart", naam: "Adam" })));
    expect(res.status).toBe(400);
    const body = await problemOf(res);
    expect(body.code).toBe("VERZOEK_ONGELDIG");
    expect(body.invalidParams).toEqual(
      expect.arrayContaining([
        { name: "bsn", code: "too_small", reason: "Te kort of te klein." },
        { name: "einddatum", code: "invalid_format", reason: "Gebruik JJJJ-MM-DD." },
        { name: "naam", code: "unrecognized_keys", reason: "Onbekend veld; laat het weg." },
      ]),
    );
    expect(body.invalidParams).toHaveLength(3);
    expectKitHeaders(res);
  });

  it("a body that passes its schema reaches the handler", async () => {
    const res = await build().request("/api/v1/signalen", postJson(JSON.stringify({ bsn: "999990019", einddatum: "2026-03-01" })));
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ bsn: "999990019" });
  });
});

describe("security headers of a service that serves pages", () => {
  it("a service may set its own Content-Security-Policy; the other headers stay, on answers and on errors", async () => {
    const csp = "default-src 'none'; style-src 'self'; script-src 'self'";
    const app = build({ securityHeaders: { "Content-Security-Policy": csp } });
    for (const path of ["/api/v1/ok", "/api/v1/refused", "/nergens"]) {
      const res = await app.request(path);
      expect(res.headers.get("Content-Security-Policy"), path).toBe(csp);
      expect(res.headers.get("X-Frame-Options"), path).toBe("DENY");
      expect(res.headers.get("X-Content-Type-Options"), path).toBe("nosniff");
    }
  });
});
