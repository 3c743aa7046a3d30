/**
 * The national index's API (docs/national-chain.md), over HTTPS with mutual TLS: every request signed by a
 * region's bridge (its OIN, from BRUGGEN) and every answer signed for it (@vi/fsc). The OpenAPI document is served
 * without a signature; everything else under /api/v1 needs one.
 */
import { createRoute } from "@hono/zod-openapi";
import { createAdminApp, createServiceApp, type ApiDocumentOptions, type Logger, problemResponses, type ServiceApp } from "@vi/service";
import { fscGuard, type FscVariables, memoryNonceGuard, type NonceGuard, SIGNED_REQUEST_PROBLEMS } from "@vi/fsc";
import { z } from "@hono/zod-openapi";
import {
  BruggenLijst,
  Doorgifte,
  DoorgifteAntwoord,
  MeldingDoorsturen,
  NodeSleutels,
  NodeSleutelsLijst,
  SignalenIn,
  SignalenVerwerkt,
  VsnAntwoord,
  VsnVraag,
} from "../contract";
import { createRelay, type Relay } from "../relay";
import type { NationalContext } from "../context";
import { listBridges, recordBridge, vsnOf, countVsn } from "../directory";
import { receiveRecords, recordFigures } from "../records";
import { NATIONAL_PROBLEMS, type NationalProblemCode, problem } from "../problems";

export const API_VERSION = "1.0.0";
const BODY_LIMIT_BYTES = 2 * 1024 * 1024;

const DOCUMENT: ApiDocumentOptions = {
  catalog: NATIONAL_PROBLEMS,
  apiBase: "/api/v1",
  info: {
    title: "Verwijsindex landelijke index (referentie-implementatie)",
    version: API_VERSION,
    description:
      "De landelijke index voor de bruggen van de regio's: signalen met alleen landelijke pseudoniemen en versleutelde contactgegevens, matches over regio's heen, verwijsindexservicenummers. Alleen over HTTPS met wederzijdse TLS (een PKIoverheid-certificaat met het OIN van de organisatie); elk verzoek en elk antwoord is ondertekend (koptekst Handtekening: een JWS over methode, pad, inhoud, tijd, nonce en ontvanger). Fouten zijn Problem Details (application/problem+json) met een stabiele code.",
    contact: { name: "Beheer verwijsindex", email: "beheer@verwijsindex.example", url: "https://verwijsindex.example/contact" },
  },
  servers: [
    { url: "https://landelijk.verwijsindex.example", description: "Productie (voorbeeld)" },
    { url: "https://localhost:8200", description: "Lokaal (npm start, ontwikkel-CA)" },
  ],
  tags: [
    { name: "signalen", description: "De signalen van de regio's (pseudoniem) en de matches daartussen." },
    { name: "bruggen", description: "De bruggen van de regio's en hun certificaten." },
    { name: "vsn", description: "Verwijsindexservicenummers voor jeugdigen zonder BSN." },
    {
      name: "doorgiften",
      description:
        "Verzoeken en meldingen van een node aan een node van een andere regio, end-to-end versleuteld: de landelijke index ziet welke gemeente welke vraagt, nooit over wie.",
    },
    { name: "beheer", description: "Gezondheid, gereedheid en dit document." },
  ],
};

const SIGNED: NationalProblemCode[] = [...SIGNED_REQUEST_PROBLEMS];
const errors = (...codes: NationalProblemCode[]) => problemResponses(NATIONAL_PROBLEMS, codes);
const security = [{ ondertekening: [] }];

export type NationalApp = ServiceApp<FscVariables>;

export function createNationalApp(deps: {
  ctx: NationalContext;
  relay?: Relay;
  nonces?: NonceGuard;
  isReady?: () => boolean;
  ping?: () => Promise<void>;
}): NationalApp {
  const { ctx } = deps;
  const relay = deps.relay ?? createRelay(ctx);
  const app = createServiceApp<FscVariables>({
    apiVersion: API_VERSION,
    log: ctx.log,
    bodyLimitBytes: BODY_LIMIT_BYTES,
    ready: async () => {
      await deps.ping?.();
      return deps.isReady?.() ?? true;
    },
    readyBody: { service: "landelijke-index" },
    document: DOCUMENT,
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "ondertekening", {
    type: "mutualTLS",
    description: "Wederzijdse TLS met een PKIoverheid-certificaat (OIN in serialNumber), en elk verzoek ondertekend in de koptekst Handtekening.",
  });
  const guard = ctx.tls
    ? fscGuard({
        ...ctx.tls,
        nonces: deps.nonces ?? memoryNonceGuard(),
        metrics: ctx.metrics,
        allowed: (oin) => ctx.regioOf.has(oin),
        onRefused: (reason) => ctx.log.warn({ reason }, "signed request refused"),
      })
    : undefined;
  app.use("/api/v1/*", async (c, next) => {
    if (c.req.path === "/api/v1/openapi.json") return next();
    if (!guard) throw problem("CERTIFICAAT_ONGELDIG", "Deze dienst is zonder TLS gestart.");
    return guard(c as never, next);
  });
  const regioOf = (c: { get(k: "fsc"): FscVariables["fsc"] }) => {
    const caller = c.get("fsc");
    const regio = ctx.regioOf.get(caller.oin);
    if (!regio) throw problem("REGIO_ONBEKEND", "Uw organisatie is niet als brug van een regio bekend.");
    return { regio, caller };
  };

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/signalen",
      tags: ["signalen"],
      summary: "Wijzigingen van signalen van een regio",
      description:
        "De brug van een regio stuurt de wijzigingen van haar signalen, op volgorde (nieuw, gewijzigd, gearchiveerd, verwijderd). Idempotent per signaal en versie. Een actief signaal wordt gematcht met signalen van andere regio's; elke nieuwe match wordt één keer aan de betrokken bruggen afgeleverd.",
      security,
      request: { body: { content: { "application/json": { schema: SignalenIn } }, required: true } },
      responses: {
        200: { description: "Verwerkt.", content: { "application/json": { schema: SignalenVerwerkt, example: { verwerkt: 1, matches: 0 } } } },
        ...errors(...SIGNED, "REGIO_ONBEKEND"),
      },
    }),
    async (c) => {
      const { regio, caller } = regioOf(c);
      await recordBridge(ctx, regio, caller.oin, caller.cert.toString());
      const body = c.req.valid("json");
      return c.json(await receiveRecords(ctx, regio, body.signalen), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/bruggen",
      tags: ["bruggen"],
      summary: "De bruggen en hun certificaten",
      description: "Elke brug die zich meldde, met het certificaat waaraan de andere bruggen de contactgegevens van professionals versleutelen.",
      security,
      responses: {
        200: { description: "De bruggen.", content: { "application/json": { schema: BruggenLijst } } },
        ...errors(...SIGNED, "REGIO_ONBEKEND"),
      },
    }),
    async (c) => {
      const { regio, caller } = regioOf(c);
      await recordBridge(ctx, regio, caller.oin, caller.cert.toString());
      return c.json({ bruggen: await listBridges(ctx) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/verwijsindexservicenummers",
      tags: ["vsn"],
      summary: "Het verwijsindexservicenummer van de feiten van een jeugdige zonder BSN",
      description: "Dezelfde feiten (hun landelijke pseudoniem) geven altijd hetzelfde nummer. De feiten zelf komen hier nooit.",
      security,
      request: { body: { content: { "application/json": { schema: VsnVraag } }, required: true } },
      responses: {
        200: { description: "Het nummer.", content: { "application/json": { schema: VsnAntwoord, example: { vsn: "123456782" } } } },
        ...errors(...SIGNED, "REGIO_ONBEKEND"),
      },
    }),
    async (c) => {
      regioOf(c);
      return c.json({ vsn: await vsnOf(ctx, c.req.valid("json").feiten) }, 200);
    },
  );
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/doorgiften",
      tags: ["doorgiften"],
      summary: "Een verzoek aan een node van een andere regio doorgeven",
      description:
        "De brug van de vragende regio geeft het verzoek van een node door; de landelijke index geeft het aan de brug van de regio van de gevraagde gemeente en geeft het antwoord terug. Verzoek en antwoord zijn versleuteld aan de nodes zelf.",
      security,
      request: { body: { content: { "application/json": { schema: Doorgifte } }, required: true } },
      responses: {
        200: { description: "Het antwoord van de gevraagde node.", content: { "application/json": { schema: DoorgifteAntwoord } } },
        ...errors(...SIGNED, "REGIO_ONBEKEND", "GEMEENTE_ONBEKEND", "BRUG_ONBEREIKBAAR"),
      },
    }),
    async (c) => {
      const { regio } = regioOf(c);
      return c.json(await relay.doorgeven(regio, c.req.valid("json")), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/meldingen",
      tags: ["doorgiften"],
      summary: "Een melding aan een node van een andere regio",
      description:
        "De brug van de regio van de afzender geeft een ondertekende, versleutelde melding door; de landelijke index levert haar af bij de brug van de regio van de ontvanger, op volgorde en tot die haar bevestigt.",
      security,
      request: { body: { content: { "application/json": { schema: MeldingDoorsturen } }, required: true } },
      responses: {
        202: { description: "Aangenomen.", content: { "application/json": { schema: z.object({}).openapi("MeldingAangenomen") } } },
        ...errors(...SIGNED, "REGIO_ONBEKEND", "GEMEENTE_ONBEKEND", "SLEUTEL_BUITEN_REGIO"),
      },
    }),
    async (c) => {
      const { regio } = regioOf(c);
      await relay.queueMelding(regio, c.req.valid("json"));
      return c.json({}, 202);
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/api/v1/nodesleutels",
      tags: ["bruggen"],
      summary: "De publieke sleutels van de nodes van de eigen regio",
      description:
        "Een brug publiceert de sleutels van de nodes van haar eigen regio (ondertekenen en versleutelen); een sleutel van een gemeente buiten haar regio wordt geweigerd.",
      security,
      request: { body: { content: { "application/json": { schema: NodeSleutels } }, required: true } },
      responses: {
        200: {
          description: "Vastgelegd.",
          content: { "application/json": { schema: z.object({ aantal: z.number().int() }).openapi("NodeSleutelsVastgelegd"), example: { aantal: 2 } } },
        },
        ...errors(...SIGNED, "REGIO_ONBEKEND", "SLEUTEL_BUITEN_REGIO"),
      },
    }),
    async (c) => {
      const { regio, caller } = regioOf(c);
      // The periodic publication also announces the bridge (its certificate, for the directory).
      await recordBridge(ctx, regio, caller.oin, caller.cert.toString());
      const body = c.req.valid("json");
      await relay.publishKeys(regio, body);
      return c.json({ aantal: body.sleutels.length }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/nodesleutels",
      tags: ["bruggen"],
      summary: "De publieke sleutels van de nodes van alle regio's",
      description: "Per regio de sleutels die haar brug publiceerde.",
      security,
      responses: {
        200: { description: "De sleutels per regio.", content: { "application/json": { schema: NodeSleutelsLijst } } },
        ...errors(...SIGNED, "REGIO_ONBEKEND"),
      },
    }),
    async (c) => {
      regioOf(c);
      return c.json({ regios: await relay.listKeys() }, 200);
    },
  );
  return app;
}

export function createNationalAdminApp(ctx: NationalContext, log: Logger) {
  return createAdminApp({
    log,
    metrics: async () => {
      const f = await recordFigures(ctx);
      return [
        ctx.metrics.toPrometheus("landelijke-index").trimEnd(),
        "# HELP vi_landelijk_records Signals of the regions held.",
        "# TYPE vi_landelijk_records gauge",
        `vi_landelijk_records ${f.records}`,
        "# HELP vi_landelijk_matches Cross-region matches held.",
        "# TYPE vi_landelijk_matches gauge",
        `vi_landelijk_matches ${f.matches}`,
        "# HELP vi_landelijk_deliveries_pending Deliveries to bridges not yet acknowledged.",
        "# TYPE vi_landelijk_deliveries_pending gauge",
        `vi_landelijk_deliveries_pending ${f.afleveringen}`,
        "# HELP vi_landelijk_deliveries_total Deliveries acknowledged by a bridge.",
        "# TYPE vi_landelijk_deliveries_total counter",
        `vi_landelijk_deliveries_total ${ctx.figures.delivered}`,
        "# HELP vi_landelijk_delivery_failures_total Delivery attempts that failed (retried).",
        "# TYPE vi_landelijk_delivery_failures_total counter",
        `vi_landelijk_delivery_failures_total ${ctx.figures.deliveryFailures}`,
        "# HELP vi_landelijk_vsn Verwijsindexservicenummers given.",
        "# TYPE vi_landelijk_vsn gauge",
        `vi_landelijk_vsn ${await countVsn(ctx)}`,
        "# HELP vi_landelijk_relayed_total Requests relayed between the nodes of two regions.",
        "# TYPE vi_landelijk_relayed_total counter",
        `vi_landelijk_relayed_total ${ctx.figures.relayed}`,
        "",
      ].join("\n");
    },
  });
}
