/**
 * The admin side of a service (docs/adr/0009): `/metrics` (Prometheus) and whatever else only operators may
 * see (the hub's node health), on a port of its own (`ADMIN_PORT`, bound to `ADMIN_HOST`, 127.0.0.1 by
 * default), never on the API's port. It has no API document: it is not part of the API.
 */
import { Hono } from "hono";
import type { Logger } from "pino";
import { SECURITY_HEADERS } from "./app";
import { baseProblem } from "./problem";

export interface AdminAppOptions {
  log: Logger;
  /** Prometheus text for /metrics. */
  metrics: () => string | Promise<string>;
  /** More admin routes (e.g. the hub's `/api/v1/nodes`). */
  routes?: (app: Hono) => void;
}

export function createAdminApp(opts: AdminAppOptions): Hono {
  const app = new Hono();
  app.use("*", async (c, next) => {
    await next();
    if (!c.res.headers.has("Cache-Control")) c.header("Cache-Control", "no-store");
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) c.header(k, v);
  });
  app.get("/health", (c) => c.json({ status: "ok" }));
  app.get("/metrics", async (c) => c.body(await opts.metrics(), 200, { "Content-Type": "text/plain; version=0.0.4; charset=utf-8" }));
  opts.routes?.(app);
  const problem = (status: 404 | 500, p: ReturnType<typeof baseProblem>, path: string) =>
    new Response(JSON.stringify(p.toJSON(path)), { status, headers: { "Content-Type": "application/problem+json", ...SECURITY_HEADERS } });
  app.notFound((c) => problem(404, baseProblem("NIET_GEVONDEN", `Er is geen beheerresource op ${c.req.path}.`), c.req.path));
  app.onError((err, c) => {
    opts.log.error({ err: { name: err.name, message: err.message } }, "admin request failed");
    return problem(500, baseProblem("INTERNE_FOUT", "Er ging iets mis aan onze kant."), c.req.path);
  });
  return app;
}
