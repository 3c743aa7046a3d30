/**
 * The node's HTTP app, built from its dependencies (createApp), so a test can
 * build one in-process against a fresh database. The service kit gives the
 * skeleton (request log, security headers, health, errors); this file adds
 * the node's own: its keys, metrics, sign-in and routes. Handlers only
 * translate between HTTP and the logic functions.
 */
import { z } from "@hono/zod-openapi";
import type { TokenVerifier } from "@vi/auth";
import { type ApiDocumentOptions, clientAddress, createAdminApp, createServiceApp, enforce, Problem, tokenBuckets, tooManyRequests } from "@vi/service";
import type { Actor, NodeContext } from "../context";
import { NODE_PROBLEMS, problem } from "../problems";
import { Jwks } from "../schemas";
import { NAMENS_HEADER, resolveActor } from "./auth";
import { JWKS_VOORBEELD } from "./examples";
import { routeErrors } from "./responses";
import { registerAvgRoutes } from "./routes/avg";
import { registerClientCardRoutes } from "./routes/client-card";
import { registerHandoverRoutes } from "./routes/handover";
import { registerMatchesRoutes } from "./routes/matches";
import { registerMatchregieRoutes } from "./routes/matchregie";
import { registerNoticeRoutes } from "./routes/notices";
import { registerSignalRoutes } from "./routes/signals";
import { startPage } from "./start-page";
import type { NodeApp } from "./types";

export const API_VERSION = "1.0.0";
export const BODY_LIMIT_BYTES = 16 * 1024;

export type { NodeApp };

/** The port `npm start` gives a gemeente's node: 8000 + the CBS number. */
const defaultPort = (code: string) => 8000 + Number(code.slice(2));

/** Where a node runs: https in production (the gemeente chooses its address), http on a developer's machine (docs/adr/0008). */
export function nodeDocument(gemeente: { code: string; naam: string }): ApiDocumentOptions {
  const slug = gemeente.naam
    .toLowerCase()
    .normalize("NFD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  return {
    catalog: NODE_PROBLEMS,
    apiBase: "/api/v1",
    info: {
      title: `Verwijsindex ${gemeente.naam}`,
      version: API_VERSION,
      description:
        "API van de gemeentelijke verwijsindex: signalen afgeven, verlengen en beëindigen, matches en cliëntkaart. Geen BSN in een URL. Fouten zijn Problem Details (application/problem+json) met een stabiele code; per antwoord staan de mogelijke codes erbij. Aangemelde verzoeken hebben een rate limit (per professional en per adres: registraties, opvragingen van persoonsgegevens, mislukte aanmeldingen): 429 TE_VEEL_VERZOEKEN met Retry-After. Een bekend pad met een andere methode geeft 405 METHODE_NIET_TOEGESTAAN met Allow. CORS alleen voor de ingestelde herkomsten (CORS_ORIGINS); een preflight vraagt geen token.",
      contact: { name: "Beheer verwijsindex", email: "beheer@verwijsindex.example", url: "https://verwijsindex.example/contact" },
    },
    servers: [
      {
        url: "https://verwijsindex.{gemeente}.nl",
        description: "Productie (voorbeeld: iedere gemeente kiest haar eigen adres)",
        variables: { gemeente: { default: slug, description: "De gemeente van deze node." } },
      },
      { url: `http://localhost:${defaultPort(gemeente.code)}`, description: "Lokaal (npm start)" },
    ],
    security: [{ bearer: [] }],
    rateLimited: true,
    tags: [
      { name: "signalen", description: "Uw signalen: afgeven, lezen, verlengen, beëindigen, intrekken." },
      { name: "matches", description: "Uw matches met andere professionals." },
      { name: "clientkaart", description: "De cliëntkaart van de jeugdige van uw signaal." },
      { name: "inzage", description: "Inzage voor ouders of de jeugdige." },
      { name: "meldingen", description: "Meldingen van matches, verhuizingen, herinneringen en overdrachten." },
      { name: "matchregie", description: "Voor de matchregisseur van de gemeente: de matches van de gemeente en hun opvolging." },
      { name: "avg", description: "Het AVG-loket van de gemeente: opvragen, exporteren, corrigeren en verwijderen (alleen de privacyfunctionaris)." },
      { name: "overdracht", description: "Signalen van een vertrekkende professional overdragen aan een collega (alleen de coördinator van de organisatie)." },
      { name: "beheer", description: "Gezondheid, gereedheid, sleutels en dit document (meetwaarden staan op de beheerpoort)." },
    ],
  };
}

export interface AppDeps {
  ctx: NodeContext;
  verifier: TokenVerifier;
  /** Readiness: false while starting or draining. */
  isReady?: () => boolean;
  /** The database answers (readiness). */
  ping?: () => Promise<void>;
  /** Origins whose pages may call the API (CORS_ORIGINS). */
  corsOrigins?: readonly string[];
  /** Requests per minute (0: none); absent: none. */
  rateLimits?: NodeRateLimits;
}

export interface NodeRateLimits {
  registratiesPerMinuut: number;
  persoonsgegevensPerMinuut: number;
  perAdresPerMinuut: number;
  mislukteAanmeldingenPerMinuut: number;
}

/** Which limited kind of request this is: a registration, a read of personal data, or neither. */
function limitedKind(method: string, path: string): "registratie" | "persoonsgegevens" | undefined {
  if (path === "/api/v1/signalen" || path === "/api/v1/signalen/") return method === "POST" ? "registratie" : method === "GET" ? "persoonsgegevens" : undefined;
  if (method === "POST" && (path === "/api/v1/avg/zoeken" || path === "/api/v1/avg/zoeken/")) return "persoonsgegevens";
  if (method === "GET" && /^\/api\/v1\/signalen\/[^/]+(\/clientkaart|\/inzage)?\/?$/.test(path)) return "persoonsgegevens";
  // A match opened by the matchregisseur shows the youth's name.
  if (method === "GET" && /^\/api\/v1\/matchregie\/matches\/[^/]+\/?$/.test(path)) return "persoonsgegevens";
  return undefined;
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
    document: nodeDocument(ctx.gemeente),
    corsOrigins: deps.corsOrigins,
  });

  app.openAPIRegistry.registerPath({
    method: "get",
    path: "/.well-known/jwks.json",
    tags: ["beheer"],
    summary: "De publieke sleutels van deze node (JWKS)",
    description: "Waarmee de hub en de andere nodes de ondertekende berichten van deze node controleren. 404 als de node niet met de regio verbonden is.",
    security: [],
    responses: {
      200: { description: "JWKS (Ed25519).", content: { "application/json": { schema: Jwks, example: JWKS_VOORBEELD } } },
      ...routeErrors.jwks,
    },
  });

  // Where the links in e-mails lead, until the web application exists.
  app.openAPIRegistry.registerPath({
    method: "get",
    path: "/",
    tags: ["beheer"],
    summary: "Startpagina van deze verwijsindex (HTML)",
    description: "Waar de link in e-mails naartoe leidt zolang er geen webapplicatie is: een korte pagina in het Nederlands met waar u uw meldingen vindt.",
    security: [],
    responses: {
      200: { description: "De startpagina.", content: { "text/html": { schema: z.string(), example: '<!doctype html><html lang="nl">…</html>' } } },
    },
  });
  app.get("/", (c) => c.html(startPage(ctx.gemeente.naam)));

  app.get("/.well-known/jwks.json", (c) => {
    if (!ctx.fed) throw problem("NIET_GEVONDEN", "Deze verwijsindex is niet met de regio verbonden en publiceert geen sleutels.");
    c.header("Cache-Control", "max-age=60");
    return c.json(ctx.fed.keys.jwks());
  });

  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer", bearerFormat: "JWT" });

  const limits = deps.rateLimits;
  const buckets = {
    registratie: tokenBuckets({ perMinute: limits?.registratiesPerMinuut ?? 0 }),
    persoonsgegevens: tokenBuckets({ perMinute: limits?.persoonsgegevensPerMinuut ?? 0 }),
    adres: tokenBuckets({ perMinute: limits?.perAdresPerMinuut ?? 0 }),
    mislukt: tokenBuckets({ perMinute: limits?.mislukteAanmeldingenPerMinuut ?? 0 }),
  };
  app.use("/api/v1/*", async (c, next) => {
    if (c.req.path === "/api/v1/openapi.json") return next();
    // Failed sign-ins per address: once used up, the address waits before any token is even looked at.
    const address = clientAddress(c);
    const wait = buckets.mislukt.waitSec(address);
    if (wait > 0) throw tooManyRequests(wait, "mislukte aanmeldingen");
    let actor: Actor;
    try {
      actor = await resolveActor(ctx, verifier, c.req.header("authorization"), c.req.header(NAMENS_HEADER));
    } catch (e) {
      if (e instanceof Problem && e.status === 401) buckets.mislukt.take(address);
      throw e;
    }
    c.set("actor", actor);
    const kind = limitedKind(c.req.method, c.req.path);
    if (kind === "registratie")
      enforce(
        [
          [buckets.registratie, actor.professionalId],
          [buckets.adres, address],
        ],
        "registraties",
      );
    if (kind === "persoonsgegevens")
      enforce(
        [
          [buckets.persoonsgegevens, actor.professionalId],
          [buckets.adres, address],
        ],
        "opvragingen van persoonsgegevens",
      );
    await next();
  });

  registerSignalRoutes(app, ctx);
  registerMatchesRoutes(app, ctx);
  registerClientCardRoutes(app, ctx);
  registerNoticeRoutes(app, ctx);
  registerMatchregieRoutes(app, ctx);
  registerAvgRoutes(app, ctx);
  registerHandoverRoutes(app, ctx);
  return app;
}

/** The node's admin side (ADMIN_PORT, docs/adr/0009): its metrics, for operators only. */
export function createNodeAdminApp(ctx: NodeContext) {
  return createAdminApp({
    log: ctx.log,
    metrics: () => (ctx.fed ? ctx.fed.metrics.toPrometheus(`node_${ctx.gemeente.code.toLowerCase()}`) : ""),
  });
}
