/**
 * The node's HTTP app, built from its dependencies (createApp), so a test can
 * build one in-process against a fresh database. The service kit gives the
 * skeleton (request log, security headers, health, errors); this file adds
 * the node's own: its keys, metrics, sign-in and routes. Handlers only
 * translate between HTTP and the logic functions.
 */
import type { TokenVerifier } from "@vi/auth";
import { createServiceApp } from "@vi/service";
import type { Actor, NodeContext } from "../context";
import { problem } from "../problems";
import { resolveActor } from "./auth";
import { registerClientCardRoutes } from "./routes/client-card";
import { registerMatchesRoutes } from "./routes/matches";
import { registerNoticeRoutes } from "./routes/notices";
import { registerSignalRoutes } from "./routes/signals";
import { startPage } from "./start-page";
import type { NodeApp } from "./types";

export const API_VERSION = "1.0.0";
export const BODY_LIMIT_BYTES = 16 * 1024;

export type { NodeApp };

export interface AppDeps {
  ctx: NodeContext;
  verifier: TokenVerifier;
  /** Readiness: false while starting or draining. */
  isReady?: () => boolean;
  /** The database answers (readiness). */
  ping?: () => Promise<void>;
}

export function createApp(deps: AppDeps): NodeApp {
  const { ctx, verifier } = deps;
  const app: NodeApp = createServiceApp<{ actor: Actor }>({
    apiVersion: API_VERSION,
    log: ctx.log,
    bodyLimitBytes: BODY_LIMIT_BYTES,
    ready: async () => {
      if (deps.isReady && !deps.isReady()) return false;
      await deps.ping?.();
      return true;
    },
    readyBody: { gemeente: ctx.gemeente.code },
    metrics: () => (ctx.fed ? ctx.fed.metrics.toPrometheus(`node_${ctx.gemeente.code.toLowerCase()}`) : ""),
  });

  // Where the links in e-mails lead, until the web application exists.
  app.get("/", (c) => c.html(startPage(ctx.gemeente.naam)));

  app.get("/.well-known/jwks.json", (c) => {
    if (!ctx.fed) throw problem("NIET_GEVONDEN", "Deze verwijsindex is niet met de regio verbonden en publiceert geen sleutels.");
    c.header("Cache-Control", "max-age=60");
    return c.json(ctx.fed.keys.jwks());
  });

  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer", bearerFormat: "JWT" });
  app.doc31("/api/v1/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: `Verwijsindex ${ctx.gemeente.naam}`,
      version: API_VERSION,
      description: "API van de gemeentelijke verwijsindex: signalen afgeven, verlengen en beëindigen, matches en cliëntkaart. Geen BSN in een URL.",
      contact: { name: "Beheer verwijsindex", email: "beheer@verwijsindex.example" },
    },
    servers: [{ url: "/" }],
    security: [{ bearer: [] }],
  });

  app.use("/api/v1/*", async (c, next) => {
    if (c.req.path === "/api/v1/openapi.json") return next();
    c.set("actor", await resolveActor(ctx, verifier, c.req.header("authorization")));
    await next();
  });

  registerSignalRoutes(app, ctx);
  registerMatchesRoutes(app, ctx);
  registerClientCardRoutes(app, ctx);
  registerNoticeRoutes(app, ctx);
  return app;
}
