/**
 * The hub's HTTP app, built from its dependencies (createHubApp), so a test
 * can build one in-process. Operations and trust only: no person data is
 * served here, only the region's keys, the nodes' health and figures.
 */
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { sql } from "drizzle-orm";
import type { HubContext } from "./context";
import { HUB_ID } from "./context";
import { indexFigures } from "./matching";
import { listNodes, trustJwks } from "./nodes";
import { Problem } from "./problems";

export const API_VERSION = "1.0.0";

export interface HubAppDeps {
  ctx: HubContext;
  /** Readiness: false while starting or draining. */
  isReady?: () => boolean;
}

export type HubApp = Hono<{ Variables: { requestId: string } }>;

function label(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

const OPENAPI = {
  openapi: "3.1.0",
  info: {
    title: "Verwijsindex regionale hub",
    version: API_VERSION,
    description: "Het vertrouwensregister van de regio en de gezondheid van de aangesloten gemeentelijke nodes. Geen persoonsgegevens.",
    contact: { name: "Beheer verwijsindex", email: "beheer@verwijsindex.example" },
  },
  servers: [{ url: "/" }],
  paths: {
    "/api/v1/vertrouwen/jwks.json": {
      get: {
        tags: ["vertrouwen"],
        summary: "Vertrouwensregister (JWKS)",
        description: "De publieke sleutels van de hub en van iedere node, elk met de dienst (iss) waarvan hij is.",
        responses: {
          "200": {
            description: "JWKS",
            content: { "application/json": { schema: { type: "object", properties: { keys: { type: "array", items: { type: "object" } } } } } },
          },
        },
      },
    },
    "/api/v1/nodes": {
      get: {
        tags: ["nodes"],
        summary: "Gezondheid van de nodes",
        responses: {
          "200": {
            description: "Per node: code, naam, url, status (gereed, onbereikbaar, onbekend) en laatst gezien.",
            content: { "application/json": { schema: { type: "object", properties: { nodes: { type: "array", items: { type: "object" } } } } } },
          },
        },
      },
    },
  },
};

export function createHubApp(deps: HubAppDeps): HubApp {
  const { ctx } = deps;
  const app: HubApp = new Hono();

  app.use("*", async (c, next) => {
    const requestId = crypto.randomUUID();
    c.set("requestId", requestId);
    const started = performance.now();
    await next();
    c.header("API-Version", API_VERSION);
    c.header("X-Request-Id", requestId);
    if (!c.res.headers.has("Cache-Control")) c.header("Cache-Control", "no-store");
    ctx.log.info({ requestId, method: c.req.method, route: c.req.routePath, status: c.res.status, ms: Math.round(performance.now() - started) }, "request");
  });

  app.get("/health", (c) => c.json({ status: "ok" }));
  app.get("/ready", async (c) => {
    try {
      if (deps.isReady && !deps.isReady()) throw new Error("not ready");
      await ctx.db.execute(sql`select 1`);
      return c.json({ status: "ready", service: HUB_ID });
    } catch {
      throw new Problem("NIET_GEREED", "De dienst is (nog) niet gereed.");
    }
  });

  app.get("/.well-known/jwks.json", (c) => {
    c.header("Cache-Control", "public, max-age=60");
    return c.json(ctx.keys.jwks());
  });
  app.get("/api/v1/vertrouwen/jwks.json", async (c) => {
    c.header("Cache-Control", "public, max-age=10");
    return c.json(await trustJwks(ctx));
  });
  app.get("/api/v1/nodes", async (c) => c.json({ nodes: await listNodes(ctx) }));
  app.get("/api/v1/openapi.json", (c) => c.json(OPENAPI));

  app.get("/metrics", async (c) => {
    const [pending, figures, nodes] = await Promise.all([ctx.relay.pending(), indexFigures(ctx), listNodes(ctx)]);
    const lines = [
      ctx.metrics.toPrometheus(HUB_ID).trimEnd(),
      "# HELP vi_outbox_pending Signed events in the outbox not yet published.",
      "# TYPE vi_outbox_pending gauge",
      `vi_outbox_pending{service="hub"} ${pending}`,
      "# HELP vi_hub_index_signalen Signals in the hub's index, by status.",
      "# TYPE vi_hub_index_signalen gauge",
      ...Object.entries(figures.signalen).map(([status, n]) => `vi_hub_index_signalen{status="${label(status)}"} ${n}`),
      "# HELP vi_hub_matches Family matches across gemeenten made by the hub.",
      "# TYPE vi_hub_matches gauge",
      `vi_hub_matches ${figures.matches}`,
      "# HELP vi_hub_node_up 1 when the node answered its last readiness check.",
      "# TYPE vi_hub_node_up gauge",
      ...nodes.map((n) => `vi_hub_node_up{node="${label(n.code)}"} ${n.status === "gereed" ? 1 : 0}`),
    ];
    return c.body(`${lines.join("\n")}\n`, 200, { "Content-Type": "text/plain; version=0.0.4; charset=utf-8" });
  });

  app.notFound((c) => {
    throw new Problem("NIET_GEVONDEN", `Er is geen resource op ${c.req.path}. Zie /api/v1/openapi.json voor de beschikbare paden.`);
  });

  app.onError((err, c) => {
    let problem: Problem;
    if (err instanceof Problem) problem = err;
    else if (err instanceof HTTPException && err.status === 405) problem = new Problem("METHODE_NIET_TOEGESTAAN", "Deze methode is hier niet toegestaan.");
    else {
      ctx.log.error({ err: { name: err.name, message: err.message, stack: err.stack }, requestId: c.get("requestId") }, "unhandled error");
      problem = new Problem("INTERNE_FOUT", "Er ging iets mis aan onze kant. Probeer het opnieuw; blijft het misgaan, neem contact op met de beheerder.");
    }
    c.header("API-Version", API_VERSION);
    return c.body(JSON.stringify(problem.toJSON(c.req.path)), problem.status as 400, { "Content-Type": "application/problem+json" });
  });

  return app;
}
