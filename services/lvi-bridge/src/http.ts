/**
 * The bridge's HTTP sides: inside the region (health, readiness, its JWKS for the hub's trust registry), towards
 * the national index (HTTPS, mutual TLS, signed requests and answers: `POST /api/v1/landelijke-berichten`, with an
 * OpenAPI document), and the admin port (/metrics: refused requests by reason, the queue).
 */
import { createRoute, z } from "@hono/zod-openapi";
import { count } from "drizzle-orm";
import type { EventMetrics, ServiceKeys } from "@vi/events";
import { FSC_PROBLEMS, fscGuard, type FscVariables, type NonceGuard, SIGNED_REQUEST_PROBLEMS } from "@vi/fsc";
import { Berichten, Doorgifte, DoorgifteAntwoord } from "@vi/national-index";
import { createAdminApp, createServiceApp, type Logger, problemCatalog, problemResponses, type ServiceApp } from "@vi/service";
import type { BridgeContext } from "./context";
import { receiveBerichten } from "./deliveries";

export const API_VERSION = "1.0.0";

export const BRIDGE_PROBLEMS = problemCatalog({
  ...FSC_PROBLEMS,
  GEMEENTE_BUITEN_REGIO: { status: 422, title: "Gemeente buiten de regio" },
  NODE_ONBEREIKBAAR: { status: 503, title: "Woongemeente niet bereikbaar" },
});

export function createBridgeInternalApp(deps: { log: Logger; keys: ServiceKeys; isReady: () => boolean }): ServiceApp {
  const app = createServiceApp({
    apiVersion: API_VERSION,
    log: deps.log,
    bodyLimitBytes: 1024,
    ready: async () => deps.isReady(),
    readyBody: { service: "brug" },
  });
  app.get("/.well-known/jwks.json", (c) => {
    c.header("Cache-Control", "public, max-age=60");
    return c.json(deps.keys.jwks());
  });
  return app;
}

export function createBridgeNationalApp(deps: { ctx?: BridgeContext; log: Logger; nonces?: NonceGuard }): ServiceApp<FscVariables> {
  const { ctx } = deps;
  const app = createServiceApp<FscVariables>({
    apiVersion: API_VERSION,
    log: deps.log,
    bodyLimitBytes: 4 * 1024 * 1024,
    ready: async () => true,
    readyBody: { service: "brug" },
    document: {
      catalog: BRIDGE_PROBLEMS,
      apiBase: "/api/v1",
      info: {
        title: "Verwijsindex brug naar de landelijke index",
        version: API_VERSION,
        description:
          "De brug van een regio ontvangt hier van de landelijke index de matches over regio's heen en het vervallen daarvan, en meldt die aan de professionals van de regio zoals een match van de hub. Alleen de landelijke index, over HTTPS met wederzijdse TLS; elk verzoek en antwoord ondertekend (koptekst Handtekening). Fouten zijn Problem Details (application/problem+json) met een stabiele code.",
        contact: { name: "Beheer verwijsindex", email: "beheer@verwijsindex.example", url: "https://verwijsindex.example/contact" },
      },
      servers: [
        {
          url: "https://brug.verwijsindex.{regio}.nl",
          description: "Productie (voorbeeld)",
          variables: { regio: { default: "regio-amsterdam", description: "De regio." } },
        },
        { url: "https://localhost:8220", description: "Lokaal (npm start, ontwikkel-CA)" },
      ],
      tags: [
        { name: "berichten", description: "Matches en het vervallen daarvan, van de landelijke index." },
        { name: "doorgiften", description: "Verzoeken van nodes van andere regio's aan een node van deze regio, end-to-end versleuteld." },
        { name: "beheer", description: "Gezondheid, gereedheid en dit document." },
      ],
    },
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "ondertekening", {
    type: "mutualTLS",
    description: "Wederzijdse TLS met een PKIoverheid-certificaat (OIN in serialNumber), en elk verzoek ondertekend in de koptekst Handtekening.",
  });
  const guard =
    ctx && deps.nonces
      ? fscGuard({
          ...ctx.tls,
          nonces: deps.nonces,
          metrics: ctx.fsc,
          allowed: (oin) => oin === ctx.config.LANDELIJK_OIN,
          onRefused: (reason) => ctx.log.warn({ reason }, "signed request refused"),
        })
      : undefined;
  app.use("/api/v1/*", async (c, next) => {
    if (c.req.path === "/api/v1/openapi.json") return next();
    if (!guard) throw BRIDGE_PROBLEMS.problem("CERTIFICAAT_ONGELDIG", "Deze dienst is zonder TLS gestart.");
    return guard(c as never, next);
  });
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/landelijke-berichten",
      tags: ["berichten"],
      summary: "Matches en vervallen matches van de landelijke index",
      description: "Op volgorde; idempotent per match. Elke nieuwe match wordt één keer gemeld aan de professional van deze regio.",
      security: [{ ondertekening: [] }],
      request: { body: { content: { "application/json": { schema: Berichten } }, required: true } },
      responses: {
        200: {
          description: "Verwerkt.",
          content: { "application/json": { schema: z.object({ meldingen: z.number().int(), verwijderd: z.number().int() }).openapi("BerichtenVerwerkt") } },
        },
        ...problemResponses(BRIDGE_PROBLEMS, SIGNED_REQUEST_PROBLEMS),
      },
    }),
    async (c) => c.json(await receiveBerichten(ctx!, c.req.valid("json").berichten), 200),
  );
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/doorgiften",
      tags: ["doorgiften"],
      summary: "Een verzoek van een node van een andere regio aan een node van deze regio",
      description:
        "De landelijke index geeft het versleutelde verzoek door; de brug legt het op de bus van de regio bij de gevraagde node en geeft diens versleutelde antwoord terug. De brug kan geen van beide lezen.",
      security: [{ ondertekening: [] }],
      request: { body: { content: { "application/json": { schema: Doorgifte } }, required: true } },
      responses: {
        200: { description: "Het antwoord van de node.", content: { "application/json": { schema: DoorgifteAntwoord } } },
        ...problemResponses(BRIDGE_PROBLEMS, [...SIGNED_REQUEST_PROBLEMS, "GEMEENTE_BUITEN_REGIO", "NODE_ONBEREIKBAAR"]),
      },
    }),
    async (c) => {
      const d = c.req.valid("json");
      const gemeente = d.onderwerp.slice("rpc.".length);
      if (!ctx!.gemeenten.has(gemeente)) throw BRIDGE_PROBLEMS.problem("GEMEENTE_BUITEN_REGIO", `Gemeente ${gemeente} hoort niet bij deze regio.`);
      try {
        return c.json({ token: await ctx!.bus.request(d.onderwerp, d.token, d.tijdMs) }, 200);
      } catch {
        throw BRIDGE_PROBLEMS.problem(
          "NODE_ONBEREIKBAAR",
          "De verwijsindex van de woongemeente antwoordde niet op tijd. Probeer het over enkele minuten opnieuw.",
        );
      }
    },
  );
  return app;
}

export function createBridgeAdminApp(ctx: BridgeContext, events: EventMetrics) {
  return createAdminApp({
    log: ctx.log,
    metrics: async () => {
      const [q] = await ctx.db.select({ n: count() }).from(ctx.t.wachtrij);
      const f = ctx.figures;
      return [
        ctx.fsc.toPrometheus("brug").trimEnd(),
        events.toPrometheus("brug").trimEnd(),
        "# HELP vi_brug_queue Index changes waiting for the national index.",
        "# TYPE vi_brug_queue gauge",
        `vi_brug_queue ${q?.n ?? 0}`,
        "# HELP vi_brug_sent_total Index changes the national index acknowledged.",
        "# TYPE vi_brug_sent_total counter",
        `vi_brug_sent_total ${f.sent}`,
        "# HELP vi_brug_send_failures_total Attempts to reach the national index that failed.",
        "# TYPE vi_brug_send_failures_total counter",
        `vi_brug_send_failures_total ${f.sendFailures}`,
        "# HELP vi_brug_meldingen_total Cross-region match notices sent to the region's nodes.",
        "# TYPE vi_brug_meldingen_total counter",
        `vi_brug_meldingen_total ${f.meldingen}`,
        "# HELP vi_brug_extern_total Notices of this region's nodes handed to the national index for a node of another region.",
        "# TYPE vi_brug_extern_total counter",
        `vi_brug_extern_total ${f.extern}`,
        "# HELP vi_brug_doorgestuurd_total Notices of another region's nodes delivered to this region's nodes.",
        "# TYPE vi_brug_doorgestuurd_total counter",
        `vi_brug_doorgestuurd_total ${f.doorgestuurd}`,
        "",
      ].join("\n");
    },
  });
}
