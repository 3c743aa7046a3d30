/**
 * The HTTP skeleton every service shares: request id and request log,
 * security headers, liveness/readiness/metrics, a body limit and the JSON
 * media-type check on the API, and one error handler that renders every
 * Problem as Problem Details. A service adds only its routes.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import type { Logger } from "pino";
import { errorForLog } from "./log";
import { baseProblem, Problem, validationProblem } from "./problem";

export type ServiceVariables = { requestId: string };
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
  /** Prometheus text for /metrics; absent: no /metrics route. */
  metrics?: () => string | Promise<string>;
}

export function createServiceApp<V extends object = object>(opts: ServiceAppOptions): ServiceApp<V> {
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
    const started = performance.now();
    await next();
    c.header("API-Version", opts.apiVersion);
    c.header("X-Request-Id", requestId);
    if (!c.res.headers.has("Cache-Control")) c.header("Cache-Control", "no-store");
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) c.header(k, v);
    // Paths carry no BSN by construction; bodies and query strings are never logged.
    opts.log.info({ requestId, method: c.req.method, route: c.req.routePath, status: c.res.status, ms: Math.round(performance.now() - started) }, "request");
  });

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
  if (opts.metrics) {
    const metrics = opts.metrics;
    app.get("/metrics", async (c) => c.body(await metrics(), 200, { "Content-Type": "text/plain; version=0.0.4; charset=utf-8" }));
  }

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
  } else {
    opts.log.error({ err: errorForLog(err), requestId: c.get("requestId") }, "unhandled error");
    problem = baseProblem("INTERNE_FOUT", "Er ging iets mis aan onze kant. Probeer het opnieuw; blijft het misgaan, neem contact op met de beheerder.");
  }
  c.header("API-Version", opts.apiVersion);
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) c.header(k, v);
  // An unread oversized body leaves the connection unusable: tell the client not to reuse it.
  if (problem.code === "VERZOEK_TE_GROOT") c.header("Connection", "close");
  return c.body(JSON.stringify(problem.toJSON(c.req.path)), problem.status as 400, { "Content-Type": "application/problem+json" });
}
