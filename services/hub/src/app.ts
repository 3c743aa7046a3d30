/**
 * The hub's HTTP app, built from its dependencies (createHubApp), so a test
 * can build one in-process. Operations and trust only: no person data is
 * served here, only the region's keys, the nodes' health and figures. The
 * skeleton (request log, security headers, health, errors) is the service
 * kit's; the OpenAPI document is generated from the zod schemas below.
 */
import { createRoute } from "@hono/zod-openapi";
import type { TokenVerifier } from "@vi/auth";
import { type ApiDocumentOptions, createAdminApp, createServiceApp } from "@vi/service";
import type { HubContext } from "./context";
import { HUB_ID } from "./context";
import { indexFigures } from "./matching";
import { listNodes, trustJwks } from "./nodes";
import { HUB_PROBLEMS } from "./problems";
import { registerRegioRoutes } from "./regio-routes";
import { type HubApp, type HubVariables, registerRegisterRoutes } from "./register-routes";
import { Jwks } from "./schemas";

export const API_VERSION = "1.0.0";
const BODY_LIMIT_BYTES = 16 * 1024;

/** Where the hub runs: https in production (the region chooses its address), http on a developer's machine (docs/adr/0008). */
const HUB_DOCUMENT: ApiDocumentOptions = {
  catalog: HUB_PROBLEMS,
  apiBase: "/api/v1",
  info: {
    title: "Verwijsindex regionale hub",
    version: API_VERSION,
    description:
      "Het vertrouwensregister van de regio, en het register van de regio: de organisaties met een convenant en de professionals die zij aanwezen (de enige bron van autorisatie; de nodes krijgen het ondertekend). Geen gegevens over jeugdigen. Fouten zijn Problem Details (application/problem+json) met een stabiele code. Een bekend pad met een andere methode geeft 405 METHODE_NIET_TOEGESTAAN met Allow. CORS alleen voor de ingestelde herkomsten (CORS_ORIGINS). Het register vraagt een token van de ingestelde identiteitsprovider.",
    contact: { name: "Beheer verwijsindex", email: "beheer@verwijsindex.example", url: "https://verwijsindex.example/contact" },
  },
  servers: [
    {
      url: "https://hub.verwijsindex.{regio}.nl",
      description: "Productie (voorbeeld: de regio kiest haar eigen adres)",
      variables: { regio: { default: "regio-amsterdam", description: "De regio van deze hub." } },
    },
    { url: "http://localhost:8000", description: "Lokaal (npm start)" },
  ],
  tags: [
    { name: "vertrouwen", description: "Het vertrouwensregister: de publieke sleutels van hub en nodes." },
    { name: "register", description: "Het register van de regio: organisaties, hun convenanten en de aanwijzingen van hun professionals." },
    { name: "regio", description: "Voor de convenantmanager: de gezondheid van de nodes en de cijfers van de regio (alleen aantallen)." },
    { name: "beheer", description: "Gezondheid, gereedheid en dit document (meetwaarden en de gezondheid van de nodes staan op de beheerpoort)." },
  ],
};

const KEY = { kty: "OKP", crv: "Ed25519", x: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo", alg: "EdDSA", use: "sig" };
const ENC_KEY = { kty: "OKP", crv: "X25519", x: "gEHL2DPYQSeOWmO956Y_5xYMjrlOd4b2CugmiK4ERSM", alg: "ECDH-ES", use: "enc" };
const HUB_JWKS_VOORBEELD = {
  keys: [
    { ...KEY, kid: "hub-2026-11-28", iss: "hub" },
    { ...ENC_KEY, kid: "hub-enc-2026-11-28", iss: "hub" },
  ],
};
const TRUST_VOORBEELD = {
  keys: [...HUB_JWKS_VOORBEELD.keys, { ...KEY, kid: "GM0363-2026-11-28", iss: "GM0363" }, { ...ENC_KEY, kid: "GM0363-enc-2026-11-28", iss: "GM0363" }],
};

export interface HubAppDeps {
  ctx: HubContext;
  /** Readiness: false while starting or draining. */
  isReady?: () => boolean;
  /** The database answers (readiness). */
  ping?: () => Promise<void>;
  /** Origins whose pages may call the API (CORS_ORIGINS). */
  corsOrigins?: readonly string[];
  /** Verifies the tokens of people using the register API; without it the register API accepts no token. */
  verifier?: TokenVerifier;
}

export type { HubApp };

function label(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

export function createHubApp(deps: HubAppDeps): HubApp {
  const { ctx } = deps;
  const app: HubApp = createServiceApp<HubVariables>({
    apiVersion: API_VERSION,
    log: ctx.log,
    bodyLimitBytes: BODY_LIMIT_BYTES,
    ready: async () => {
      if (deps.isReady && !deps.isReady()) return false;
      await deps.ping?.();
      return true;
    },
    readyBody: { service: HUB_ID },
    document: HUB_DOCUMENT,
    corsOrigins: deps.corsOrigins,
  });

  app.openAPIRegistry.registerPath({
    method: "get",
    path: "/.well-known/jwks.json",
    tags: ["vertrouwen"],
    summary: "De publieke sleutels van de hub (JWKS)",
    responses: {
      200: {
        description: "JWKS: Ed25519 om te ondertekenen (use sig), X25519 om naar te versleutelen (use enc).",
        content: { "application/json": { schema: Jwks, example: HUB_JWKS_VOORBEELD } },
      },
    },
  });
  app.get("/.well-known/jwks.json", (c) => {
    c.header("Cache-Control", "public, max-age=60");
    return c.json(ctx.keys.jwks());
  });

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/vertrouwen/jwks.json",
      tags: ["vertrouwen"],
      summary: "Vertrouwensregister (JWKS)",
      description: "De publieke sleutels van de hub en van iedere node, elk met de dienst (iss) waarvan hij is.",
      responses: { 200: { description: "JWKS", content: { "application/json": { schema: Jwks, example: TRUST_VOORBEELD } } } },
    }),
    async (c) => {
      c.header("Cache-Control", "public, max-age=10");
      return c.json(ctx.publishedTrust?.() ?? (await trustJwks(ctx)), 200);
    },
  );

  registerRegisterRoutes(app, ctx, deps.verifier);
  registerRegioRoutes(app, ctx, deps.verifier);
  return app;
}

/**
 * The hub's admin side (ADMIN_PORT, docs/adr/0009): its metrics and the nodes' health, for operators only.
 */
export function createHubAdminApp(ctx: HubContext) {
  return createAdminApp({
    log: ctx.log,
    metrics: async () => {
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
      return `${lines.join("\n")}\n`;
    },
    routes: (app) => {
      app.get("/api/v1/nodes", async (c) => c.json({ nodes: await listNodes(ctx) }));
    },
  });
}
