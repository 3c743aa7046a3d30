/**
 * The OpenAPI documents say what the services serve (docs/adr/0008): every registered route is in its
 * service's document and every documented operation is served; each response declares the headers the kit
 * sends (and every answer carries them); each error response lists codes of the service's catalogue with their
 * own status; every code a service has is documented somewhere; the examples fit the schemas the API answers
 * with. The linter itself runs in CI (`npm run lint:api`).
 */
import { describe, expect, it } from "vitest";
import { HUB_PROBLEMS } from "@vi/hub";
import { NODE_PROBLEMS } from "@vi/node";
import { NATIONAL_PROBLEMS } from "@vi/national-index";
import { BRIDGE_PROBLEMS } from "@vi/lvi-bridge";
import { NATIONAL_PSEUDONYM_PROBLEMS } from "@vi/pseudonym-service";
import { createLogger, createServiceApp, RETRY_AFTER_SECONDS } from "@vi/service";
import * as examples from "../services/node/src/http/examples";
import { Clientkaart, Inzage, Match, Melding, Registratie, Signaal } from "../services/node/src/schemas";
import { servedApis } from "../scripts/openapi-documents";
import { documentedOperations, HTTP_METHODS } from "./support/openapi";

type Json = Record<string, any>;

/** "GET /api/v1/signalen/:id" for every route the app registered (middleware is registered as ALL). */
function servedRoutes(app: { routes: { method: string; path: string }[] }): Set<string> {
  return new Set(app.routes.filter((r) => r.method !== "ALL").map((r) => `${r.method} ${r.path}`));
}

/** The documented operations as hono writes its routes (`:id` for `{id}`). */
function documentedRoutes(doc: Json): Set<string> {
  return new Set(documentedOperations(doc).map((op) => op.replace(/\{(\w+)\}/g, ":$1")));
}

function* responses(doc: Json): Generator<[string, string, Json]> {
  for (const [path, item] of Object.entries<Json>(doc.paths)) {
    for (const method of HTTP_METHODS) {
      for (const [status, r] of Object.entries<Json>(item[method]?.responses ?? {})) yield [`${method.toUpperCase()} ${path}`, status, r];
    }
  }
}

const apis = servedApis();
const CATALOGS: Record<string, { specs: Record<string, { status: number }>; codes: readonly string[] }> = {
  node: NODE_PROBLEMS,
  hub: HUB_PROBLEMS,
  "national-index": NATIONAL_PROBLEMS,
  "lvi-bridge": BRIDGE_PROBLEMS,
  "national-pseudonym-service": NATIONAL_PSEUDONYM_PROBLEMS,
};
/** The national chain's APIs (docs/national-chain.md): HTTPS with mutual TLS also locally, no JWKS of their own there. */
const NATIONAL_CHAIN = new Set(["national-index", "lvi-bridge", "national-pseudonym-service"]);
/**
 * Codes no documented operation answers: the kit's answer for a path that does not exist or a method it refuses,
 * and for a CORS preflight (OPTIONS, not an operation) from an origin not allowed; at the hub, which takes no
 * request body, the answers about a body (given only to a POST it does not serve), and the rate limit (it has no
 * signed-in operation).
 */
const NOT_PER_ROUTE: Record<string, Set<string>> = {
  node: new Set(["NIET_GEVONDEN", "METHODE_NIET_TOEGESTAAN", "ORIGIN_NIET_TOEGESTAAN"]),
  hub: new Set([
    "NIET_GEVONDEN",
    "METHODE_NIET_TOEGESTAAN",
    "ORIGIN_NIET_TOEGESTAAN",
    "TE_VEEL_VERZOEKEN",
    "JSON_ONGELDIG",
    "VERZOEK_TE_GROOT",
    "MEDIATYPE_NIET_ONDERSTEUND",
  ]),
  "national-index": new Set([
    "NIET_GEVONDEN",
    "METHODE_NIET_TOEGESTAAN",
    "ORIGIN_NIET_TOEGESTAAN",
    "TE_VEEL_VERZOEKEN",
    "JSON_ONGELDIG",
    "VERZOEK_TE_GROOT",
    "MEDIATYPE_NIET_ONDERSTEUND",
  ]),
  "lvi-bridge": new Set([
    "NIET_GEVONDEN",
    "METHODE_NIET_TOEGESTAAN",
    "ORIGIN_NIET_TOEGESTAAN",
    "TE_VEEL_VERZOEKEN",
    "JSON_ONGELDIG",
    "VERZOEK_TE_GROOT",
    "MEDIATYPE_NIET_ONDERSTEUND",
  ]),
  "national-pseudonym-service": new Set([
    "NIET_GEVONDEN",
    "METHODE_NIET_TOEGESTAAN",
    "ORIGIN_NIET_TOEGESTAAN",
    "TE_VEEL_VERZOEKEN",
    "JSON_ONGELDIG",
    "VERZOEK_TE_GROOT",
    "MEDIATYPE_NIET_ONDERSTEUND",
  ]),
};

describe.each(apis)("the OpenAPI document of the $name", (api) => {
  it("has every served route, and serves every documented operation", async () => {
    const doc: Json = await api.document();
    const served = servedRoutes(api.app);
    const documented = documentedRoutes(doc);
    expect(
      [...served].filter((r) => !documented.has(r)),
      "served but not documented",
    ).toEqual([]);
    expect(
      [...documented].filter((r) => !served.has(r)),
      "documented but not served",
    ).toEqual([]);
    const kits = ["GET /health", "GET /ready", "GET /api/v1/openapi.json", ...(NATIONAL_CHAIN.has(api.name) ? [] : ["GET /.well-known/jwks.json"])];
    for (const kit of kits) expect(documented).toContain(kit);
  });

  it("declares API-Version, X-Request-Id and traceparent on every response, and Retry-After on every 503", async () => {
    const doc: Json = await api.document();
    let n = 0;
    for (const [op, status, r] of responses(doc)) {
      for (const h of ["API-Version", "X-Request-Id", "traceparent"]) expect(r.headers?.[h], `${op} ${status} ${h}`).toBeDefined();
      if (status === "503") expect(r.headers?.["Retry-After"], `${op} 503`).toBeDefined();
      n++;
    }
    expect(n).toBeGreaterThan(10);
    expect(Object.keys(doc.components.headers).sort()).toEqual(["API-Version", "Retry-After", "X-Request-Id", "traceparent"]);
  });

  it("lists on each error response codes of the service with that status, each with an example, and documents every code", async () => {
    const doc: Json = await api.document();
    const catalog = CATALOGS[api.name]!;
    const seen = new Set<string>();
    for (const [op, status, r] of responses(doc)) {
      if (Number(status) < 400) continue;
      const media = r.content?.["application/problem+json"];
      expect(media, `${op} ${status}: Problem Details`).toBeDefined();
      const schema = media.schema;
      const codes: string[] = schema.properties?.code?.enum ?? schema.allOf?.find((s: Json) => s.properties?.code)?.properties.code.enum;
      expect(codes?.length, `${op} ${status}: codes listed`).toBeGreaterThan(0);
      for (const code of codes) {
        expect(catalog.specs[code]?.status, `${op} ${status}: ${code}`).toBe(Number(status));
        expect(r.description).toContain(code);
        expect(media.examples[code].value).toMatchObject({ code, status: Number(status) });
        seen.add(code);
      }
    }
    expect(
      catalog.codes.filter((c) => !seen.has(c) && !NOT_PER_ROUTE[api.name]!.has(c)),
      "codes no response lists",
    ).toEqual([]);
  });

  it("names a contact and one https server per environment with the major version, plus the local one", async () => {
    const doc: Json = await api.document();
    expect(doc.info.contact).toMatchObject({ name: expect.any(String), email: expect.stringContaining("@"), url: expect.stringMatching(/^https:\/\//) });
    const urls = doc.servers.map((s: Json) => s.url);
    expect(urls[0]).toMatch(/^https:\/\/.+\/api\/v1$/);
    if (NATIONAL_CHAIN.has(api.name)) expect(urls.at(-1)).toMatch(/^https:\/\/localhost:\d+\/api\/v1$/);
    else expect(urls.filter((u: string) => !u.startsWith("https://"))).toEqual([expect.stringMatching(/^http:\/\/localhost:\d+\/api\/v1$/)]);
  });
});

describe("the node's examples", () => {
  it("fit the schemas the API answers with", () => {
    expect(() => Signaal.parse(examples.SIGNAAL_VOORBEELD)).not.toThrow();
    expect(() => Signaal.parse(examples.GEARCHIVEERD_VOORBEELD)).not.toThrow();
    expect(() => Registratie.parse(examples.REGISTRATIE_VOORBEELD)).not.toThrow();
    expect(() => Match.parse(examples.MATCH_VOORBEELD)).not.toThrow();
    expect(() => Melding.parse(examples.MELDING_VOORBEELD)).not.toThrow();
    expect(() => Clientkaart.parse(examples.CLIENTKAART_VOORBEELD)).not.toThrow();
    expect(() => Inzage.parse(examples.INZAGE_VOORBEELD)).not.toThrow();
  });
});

describe("what the kit declares, it sends", () => {
  const build = (ready: boolean) => createServiceApp({ apiVersion: "1.2.3", log: createLogger("silent"), bodyLimitBytes: 1024, ready: async () => ready });

  it("API-Version, X-Request-Id and traceparent on an answer, a 404 and a 503; Retry-After on the 503", async () => {
    const up = build(true);
    const down = build(false);
    for (const res of [await up.request("/health"), await up.request("/api/v1/bestaat-niet"), await down.request("/ready")]) {
      expect(res.headers.get("API-Version")).toBe("1.2.3");
      expect(res.headers.get("X-Request-Id")).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.headers.get("traceparent")).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    }
    const unready = await down.request("/ready");
    expect(unready.status).toBe(503);
    expect(unready.headers.get("Retry-After")).toBe(String(RETRY_AFTER_SECONDS));
    expect((await up.request("/health")).headers.get("Retry-After")).toBeNull();
  });

  it("continues an incoming trace: the same trace id, a span of its own", async () => {
    const incoming = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    const res = await build(true).request("/health", { headers: { traceparent: incoming } });
    const [, traceId, spanId] = res.headers.get("traceparent")!.split("-");
    expect(traceId).toBe("4bf92f3577b34da6a3ce929d0e0e4736");
    expect(spanId).not.toBe("00f067aa0ba902b7");
    const invalid = await build(true).request("/health", { headers: { traceparent: "00-00000000000000000000000000000000-00f067aa0ba902b7-01" } });
    expect(invalid.headers.get("traceparent")).not.toContain("00000000000000000000000000000000");
  });
});
