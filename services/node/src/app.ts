/**
 * The node's HTTP app, built from its dependencies (createApp), so a test can
 * build one in-process against a fresh database. Handlers only translate
 * between HTTP and the logic functions.
 */
import { OpenAPIHono, type z } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { sql } from "drizzle-orm";
import type { TokenVerifier } from "@vi/auth";
import type { Actor, NodeContext } from "./context";
import { Problem, type InvalidParam } from "./problems";
import { resolveActor } from "./auth";
import { registerSignalenRoutes } from "./routes/signalen";
import { registerMatchesRoutes } from "./routes/matches";
import { registerClientkaartRoutes } from "./routes/clientkaart";
import { registerMeldingenRoutes } from "./routes/meldingen";

export const API_VERSION = "1.0.0";
export const BODY_LIMIT_BYTES = 16 * 1024;

export type AppEnv = { Variables: { actor: Actor; requestId: string } };
export type NodeApp = OpenAPIHono<AppEnv>;

export interface AppDeps {
  ctx: NodeContext;
  verifier: TokenVerifier;
  /** Readiness: false while starting or draining. */
  isReady?: () => boolean;
}

const ISSUE_REASONS: Record<string, string> = {
  invalid_type: "Verkeerd type of ontbrekend veld.",
  unrecognized_keys: "Onbekend veld; laat het weg.",
  too_big: "Te lang of te groot.",
  too_small: "Te kort of te klein.",
  invalid_format: "Ongeldig formaat.",
  invalid_value: "Ongeldige waarde.",
};

export function zodProblem(error: z.ZodError): Problem {
  const invalidParams: InvalidParam[] = error.issues.flatMap((issue) => {
    const base = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((k) => ({ name: base ? `${base}.${k}` : k, code: "unrecognized_keys", reason: ISSUE_REASONS.unrecognized_keys! }));
    }
    const custom = issue.message && !issue.message.startsWith("Invalid") && !issue.message.startsWith("Too") && !issue.message.startsWith("Unrecognized");
    return [{ name: base || "(body)", code: issue.code, reason: custom ? issue.message : (ISSUE_REASONS[issue.code] ?? "Ongeldige waarde.") }];
  });
  const names = [...new Set(invalidParams.map((p) => p.name))].join(", ");
  return new Problem("VERZOEK_ONGELDIG", `Het verzoek klopt niet: controleer ${names}.`, invalidParams);
}

export function createApp(deps: AppDeps): NodeApp {
  const { ctx, verifier } = deps;
  const app: NodeApp = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw zodProblem(result.error);
    },
  });

  app.use("*", async (c, next) => {
    const requestId = crypto.randomUUID();
    c.set("requestId", requestId);
    const started = performance.now();
    await next();
    c.header("API-Version", API_VERSION);
    c.header("X-Request-Id", requestId);
    c.header("Cache-Control", "no-store");
    // Paths carry no BSN by construction; bodies and query strings are never logged.
    ctx.log.info({ requestId, method: c.req.method, route: c.req.routePath, status: c.res.status, ms: Math.round(performance.now() - started) }, "request");
  });

  app.get("/health", (c) => c.json({ status: "ok" }));
  app.get("/.well-known/jwks.json", (c) => {
    if (!ctx.fed) throw new Problem("NIET_GEVONDEN", "Deze verwijsindex is niet met de regio verbonden en publiceert geen sleutels.");
    c.header("Cache-Control", "max-age=60");
    return c.json(ctx.fed.keys.jwks());
  });
  app.get("/metrics", (c) => {
    const lines = ctx.fed ? ctx.fed.metrics.toPrometheus(`node_${ctx.gemeente.code.toLowerCase()}`) : "";
    return c.text(lines, 200, { "Content-Type": "text/plain; version=0.0.4" });
  });
  app.get("/ready", async (c) => {
    try {
      if (deps.isReady && !deps.isReady()) throw new Error("not ready");
      await ctx.db.execute(sql`select 1`);
      return c.json({ status: "ready", gemeente: ctx.gemeente.code });
    } catch {
      throw new Problem("NIET_GEREED", "De dienst is (nog) niet gereed.");
    }
  });

  app.use(
    "/api/v1/*",
    bodyLimit({
      maxSize: BODY_LIMIT_BYTES,
      onError: () => {
        throw new Problem("VERZOEK_TE_GROOT", `Het verzoek is groter dan ${BODY_LIMIT_BYTES / 1024} KiB.`);
      },
    }),
  );
  app.use("/api/v1/*", async (c, next) => {
    const hasBody = c.req.header("content-length") ? c.req.header("content-length") !== "0" : c.req.header("transfer-encoding") !== undefined;
    if (hasBody && !["GET", "HEAD"].includes(c.req.method)) {
      const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
      if (type !== "application/json") {
        throw new Problem("MEDIATYPE_NIET_ONDERSTEUND", "Stuur de gegevens als JSON (Content-Type: application/json).");
      }
    }
    await next();
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

  registerSignalenRoutes(app, ctx);
  registerMatchesRoutes(app, ctx);
  registerClientkaartRoutes(app, ctx);
  registerMeldingenRoutes(app, ctx);

  app.notFound((c) => {
    throw new Problem("NIET_GEVONDEN", `Er is geen resource op ${c.req.path}. Zie /api/v1/openapi.json voor de beschikbare paden.`);
  });

  app.onError((err, c) => {
    let problem: Problem;
    if (err instanceof Problem) problem = err;
    else if (err instanceof HTTPException && err.status === 400) {
      problem = new Problem("JSON_ONGELDIG", "De body is geen geldige JSON. Controleer aanhalingstekens, komma's en haakjes.");
    } else if (err instanceof HTTPException && err.status === 413) {
      problem = new Problem("VERZOEK_TE_GROOT", `Het verzoek is groter dan ${BODY_LIMIT_BYTES / 1024} KiB.`);
    } else {
      ctx.log.error({ err: { name: err.name, message: err.message, stack: err.stack }, requestId: c.get("requestId") }, "unhandled error");
      problem = new Problem("INTERNE_FOUT", "Er ging iets mis aan onze kant. Probeer het opnieuw; blijft het misgaan, neem contact op met de beheerder.");
    }
    c.header("API-Version", API_VERSION);
    // An unread oversized body leaves the connection unusable: tell the client not to reuse it.
    if (problem.code === "VERZOEK_TE_GROOT") c.header("Connection", "close");
    return c.body(JSON.stringify(problem.toJSON(c.req.path)), problem.status as 400, {
      "Content-Type": "application/problem+json",
    });
  });

  return app;
}
