/**
 * The HTTP skeleton every service shares: request id and request log,
 * security headers, liveness/readiness (metrics are on the admin side,
 * ./admin.ts), 405 with Allow, CORS, a body limit and the JSON
 * media-type check on the API, and one error handler that renders every
 * Problem as Problem Details. A service adds only its routes.
 */
import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import type { Logger } from "pino";
import { type ApiDocumentOptions, buildApiDocument, problemResponses, RETRY_AFTER_SECONDS } from "./openapi";
import { errorForLog } from "./log";
import { BASE_CATALOG, baseProblem, Problem, validationProblem } from "./problem";
import { continueTrace, runInTrace, type Trace } from "./trace";

export type ServiceVariables = { requestId: string; trace: Trace };
export type ServiceEnv<V extends object = object> = { Variables: V & ServiceVariables };
export type ServiceApp<V extends object = object> = OpenAPIHono<ServiceEnv<V>>;

/** Sent on every answer: nothing of ours is framed, sniffed, cached by default or leaks a referrer. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "no-referrer",
  "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
  "Cross-Origin-Resource-Policy": "same-origin",
  "Strict-Transport-Security": "max-age=31536000",
};

export interface ServiceAppOptions {
  apiVersion: string;
  log: Logger;
  /** Body limit of everything under /api/ (bytes). */
  bodyLimitBytes: number;
  /** Readiness: throws (or returns false) while starting, draining or when a dependency is down. */
  ready: () => Promise<boolean>;
  /** What /ready answers besides `status`, e.g. `{ gemeente: "GM0363" }`. */
  readyBody?: Record<string, string>;
  /** The OpenAPI document, served at `<apiBase>/openapi.json` and built on first request from every route registered by then. */
  document?: ApiDocumentOptions;
  /**
   * Origins (scheme://host[:port]) whose web pages may call the API (CORS); empty or absent: none. A preflight
   * from one of them is answered without a token; from any other origin it is refused.
   */
  corsOrigins?: readonly string[];
  /**
   * Security headers that differ from the kit's ({@link SECURITY_HEADERS}), e.g. the web application's
   * Content-Security-Policy, which lets its pages load their own style sheets and script.
   */
  securityHeaders?: Readonly<Record<string, string>>;
}

/** Request headers a page of an allowed origin may send. */
export const CORS_ALLOWED_HEADERS = ["Authorization", "Content-Type", "traceparent", "tracestate"];
/** Response headers a page of an allowed origin may read. */
export const CORS_EXPOSED_HEADERS = ["API-Version", "X-Request-Id", "traceparent", "Retry-After", "Allow"];
/** How long a browser may cache a preflight's answer (seconds). */
export const CORS_MAX_AGE_SECONDS = 600;

type RouteLike = { method: string; path: string };

/** The methods routed for a path (HEAD with GET), from the app's routes; middleware (method ALL) does not count. */
export function methodsFor(routes: readonly RouteLike[], path: string): string[] {
  const methods = new Set<string>();
  for (const r of routes) {
    if (r.method === "ALL") continue;
    if (routePattern(r.path).test(path)) methods.add(r.method.toUpperCase());
  }
  if (methods.has("GET")) methods.add("HEAD");
  return [...methods].sort();
}

const patterns = new Map<string, RegExp>();
function routePattern(path: string): RegExp {
  let re = patterns.get(path);
  if (!re) {
    const body = path
      .split("/")
      .map((seg) => (seg.startsWith(":") ? "[^/]+" : seg === "*" ? ".*" : seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
      .join("/");
    re = new RegExp(`^${body}/?$`);
    patterns.set(path, re);
  }
  return re;
}

const Health = z.object({ status: z.literal("ok") }).openapi("Gezondheid");
const Ready = z
  .object({ status: z.literal("ready") })
  .catchall(z.string())
  .openapi("Gereedheid", { description: "status ready, met wat de dienst erbij vermeldt (de gemeente van een node, de dienst van de hub)." });

export function createServiceApp<V extends object = object>(opts: ServiceAppOptions): ServiceApp<V> {
  const securityHeaders = { ...SECURITY_HEADERS, ...opts.securityHeaders };
  const service = new OpenAPIHono<ServiceEnv<V>>({
    defaultHook: (result) => {
      if (!result.success) throw validationProblem(result.error);
    },
  });
  // The kit's own middleware needs only the kit's variables.
  const app = service as unknown as OpenAPIHono<ServiceEnv>;

  app.use("*", async (c, next) => {
    const requestId = crypto.randomUUID();
    c.set("requestId", requestId);
    // W3C Trace Context: continue the caller's trace or start one; everything the request does runs inside it.
    const trace = continueTrace(c.req.header("traceparent"));
    c.set("trace", trace);
    const started = performance.now();
    await runInTrace(trace, next);
    c.header("API-Version", opts.apiVersion);
    c.header("X-Request-Id", requestId);
    c.header("traceparent", trace.traceparent);
    if (!c.res.headers.has("Cache-Control")) c.header("Cache-Control", "no-store");
    for (const [k, v] of Object.entries(securityHeaders)) c.header(k, v);
    // Paths carry no BSN by construction; bodies and query strings are never logged.
    opts.log.info(
      { requestId, traceId: trace.traceId, method: c.req.method, route: c.req.routePath, status: c.res.status, ms: Math.round(performance.now() - started) },
      "request",
    );
  });

  // CORS (API Design Rules: only the configured origins). A preflight is answered here, before any
  // authentication or body check; an actual request from an allowed origin gets the headers on its answer.
  const corsOrigins = new Set(opts.corsOrigins ?? []);
  app.use("*", async (c, next) => {
    const origin = c.req.header("origin");
    if (!origin) return next();
    const allowed = corsOrigins.has(origin);
    const preflight = c.req.method === "OPTIONS" && c.req.header("access-control-request-method") !== undefined;
    if (preflight) {
      c.header("Vary", "Origin");
      if (!allowed) throw baseProblem("ORIGIN_NIET_TOEGESTAAN", `Pagina's van ${origin.slice(0, 200)} mogen deze API niet aanroepen.`);
      const methods = methodsFor(service.routes, c.req.path);
      const asked = (c.req.header("access-control-request-method") ?? "").toUpperCase();
      if (!methods.includes(asked)) {
        if (!methods.length) throw baseProblem("NIET_GEVONDEN", `Er is geen resource op ${c.req.path}.`);
        c.header("Allow", methods.join(", "));
        throw baseProblem("METHODE_NIET_TOEGESTAAN", `${asked.slice(0, 20)} is niet toegestaan op ${c.req.path}. Toegestaan: ${methods.join(", ")}.`);
      }
      return c.body(null, 204, {
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Allow-Methods": methods.join(", "),
        "Access-Control-Allow-Headers": CORS_ALLOWED_HEADERS.join(", "),
        "Access-Control-Max-Age": String(CORS_MAX_AGE_SECONDS),
      });
    }
    await next();
    c.header("Vary", "Origin");
    if (allowed) {
      c.header("Access-Control-Allow-Origin", origin);
      c.header("Access-Control-Expose-Headers", CORS_EXPOSED_HEADERS.join(", "));
    }
  });

  // A known path with a method it does not have is 405 with the methods it has (Allow), before any authentication
  // (the methods are no secret: the OpenAPI document lists them); OPTIONS is answered with them.
  app.use("*", async (c, next) => {
    const methods = methodsFor(service.routes, c.req.path);
    if (!methods.length || methods.includes(c.req.method)) return next();
    const allow = [...methods, "OPTIONS"].join(", ");
    c.header("Allow", allow);
    if (c.req.method === "OPTIONS") return c.body(null, 204);
    throw baseProblem("METHODE_NIET_TOEGESTAAN", `${c.req.method.slice(0, 20)} is niet toegestaan op ${c.req.path}. Toegestaan: ${allow}.`);
  });

  // The kit's own routes, documented here so every service's document has them (outside the API base, docs/adr/0008).
  const registry = app.openAPIRegistry;
  registry.registerPath({
    method: "get",
    path: "/health",
    tags: ["beheer"],
    summary: "Leeft de dienst? (liveness)",
    security: [],
    responses: { 200: { description: "De dienst draait.", content: { "application/json": { schema: Health, example: { status: "ok" } } } } },
  });
  registry.registerPath({
    method: "get",
    path: "/ready",
    tags: ["beheer"],
    summary: "Is de dienst gereed voor verkeer? (readiness)",
    security: [],
    description: "503 bij het starten, bij het afsluiten en als de database niet antwoordt.",
    responses: {
      200: { description: "Gereed.", content: { "application/json": { schema: Ready, example: { status: "ready", ...opts.readyBody } } } },
      ...problemResponses(BASE_CATALOG, ["NIET_GEREED"]),
    },
  });
  if (opts.document) {
    const document = opts.document;
    registry.registerPath({
      method: "get",
      path: `${document.apiBase}/openapi.json`,
      tags: ["beheer"],
      summary: "Dit OpenAPI-document",
      security: [],
      responses: { 200: { description: "OpenAPI 3.1.", content: { "application/json": { schema: z.record(z.string(), z.unknown()) } } } },
    });
    let built: Record<string, unknown> | undefined;
    app.get(`${document.apiBase}/openapi.json`, (c) => c.json((built ??= buildApiDocument(registry, document))));
  }

  app.get("/health", (c) => c.json({ status: "ok" }));
  app.get("/ready", async (c) => {
    let ready = false;
    try {
      ready = await opts.ready();
    } catch {
      ready = false;
    }
    if (!ready) throw baseProblem("NIET_GEREED", "De dienst is (nog) niet gereed.");
    return c.json({ status: "ready", ...opts.readyBody });
  });

  const tooLarge = () => baseProblem("VERZOEK_TE_GROOT", `Het verzoek is groter dan ${opts.bodyLimitBytes / 1024} KiB.`);
  app.use(
    "/api/*",
    bodyLimit({
      maxSize: opts.bodyLimitBytes,
      onError: () => {
        throw tooLarge();
      },
    }),
  );
  app.use("/api/*", async (c, next) => {
    const hasBody = c.req.header("content-length") ? c.req.header("content-length") !== "0" : c.req.header("transfer-encoding") !== undefined;
    if (hasBody && !["GET", "HEAD"].includes(c.req.method)) {
      const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
      if (type !== "application/json") throw baseProblem("MEDIATYPE_NIET_ONDERSTEUND", "Stuur de gegevens als JSON (Content-Type: application/json).");
    }
    await next();
  });

  // Rendered, not thrown: a throw here would skip the rest of the first middleware (request id, no-store, request log).
  app.notFound((c) =>
    renderError(baseProblem("NIET_GEVONDEN", `Er is geen resource op ${c.req.path}. Zie /api/v1/openapi.json voor de beschikbare paden.`), c, opts),
  );

  app.onError((err, c) => renderError(err, c, opts));
  return service;
}

function renderError(err: Error, c: Context<ServiceEnv>, opts: ServiceAppOptions): Response {
  let problem: Problem;
  if (err instanceof Problem) problem = err;
  else if (err instanceof HTTPException && err.status === 400) {
    problem = baseProblem("JSON_ONGELDIG", "De body is geen geldige JSON. Controleer aanhalingstekens, komma's en haakjes.");
  } else if (err instanceof HTTPException && err.status === 413) {
    problem = baseProblem("VERZOEK_TE_GROOT", `Het verzoek is groter dan ${opts.bodyLimitBytes / 1024} KiB.`);
  } else if (err instanceof HTTPException && err.status === 405) {
    problem = baseProblem("METHODE_NIET_TOEGESTAAN", "Deze methode is hier niet toegestaan.");
  } else if (isStorageUnavailable(err)) {
    // The database is down or restarting: not a fault of the request, and over in seconds (docs/postgresql-high-availability.md).
    opts.log.warn({ err: errorForLog(err), requestId: c.get("requestId"), traceId: c.get("trace")?.traceId }, "database unavailable");
    problem = baseProblem(
      "DIENST_ONBEREIKBAAR",
      "De verwijsindex kan de gegevens nu niet bereiken. Probeer het over een halve minuut opnieuw en kijk dan of uw wijziging is opgeslagen.",
    );
  } else {
    opts.log.error({ err: errorForLog(err), requestId: c.get("requestId"), traceId: c.get("trace")?.traceId }, "unhandled error");
    problem = baseProblem("INTERNE_FOUT", "Er ging iets mis aan onze kant. Probeer het opnieuw; blijft het misgaan, neem contact op met de beheerder.");
  }
  c.header("API-Version", opts.apiVersion);
  const trace = c.get("trace");
  if (trace) c.header("traceparent", trace.traceparent);
  for (const [k, v] of Object.entries({ ...SECURITY_HEADERS, ...opts.securityHeaders })) c.header(k, v);
  // An unread oversized body leaves the connection unusable: tell the client not to reuse it.
  if (problem.code === "VERZOEK_TE_GROOT") c.header("Connection", "close");
  if (problem.retryAfterSec !== undefined) c.header("Retry-After", String(problem.retryAfterSec));
  else if (problem.status === 503) c.header("Retry-After", String(RETRY_AFTER_SECONDS));
  return c.body(JSON.stringify(problem.toJSON(c.req.path)), problem.status as 400, { "Content-Type": "application/problem+json" });
}

/** postgres.js's own codes for a connection that is gone or never came, and the socket errors beneath them. */
const CONNECTION_CODES = new Set([
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
]);

/**
 * True when the error (or one it wraps, as drizzle wraps the driver's) says the database cannot be reached: a lost or
 * refused connection, or PostgreSQL's SQLSTATE class 08 (connection exception) and 57P01–57P03 (shutting down, cannot
 * connect now). Not a constraint or syntax error: those stay 500s, because they are our mistake.
 */
export function isStorageUnavailable(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e && typeof e === "object"; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && (CONNECTION_CODES.has(code) || code.startsWith("08") || ["57P01", "57P02", "57P03"].includes(code))) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
