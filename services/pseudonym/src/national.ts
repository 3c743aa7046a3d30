/**
 * The NATIONAL pseudonym service (docs/national-chain.md, docs/adr/0035): the same OPRF as the region's
 * (RFC 9497, @vi/pseudonym) under a national key of its own (scope `landelijk`, a key file of its own), kept
 * apart from the national index, which holds the pseudonyms it makes: no pseudonymisation key sits where the data
 * it hides sits. It serves the regions' bridges over HTTPS with mutual TLS and signed requests and answers
 * (@vi/fsc); a bridge forwards its nodes' blinded elements and learns nothing. One key version (a national key
 * rotation is not built: it needs every region's index events again; see docs/national-chain.md).
 */
import { X509Certificate } from "node:crypto";
import { createRoute, z } from "@hono/zod-openapi";
import { blindEvaluate, fromWire, OprfInputError, toWire } from "@vi/pseudonym";
import {
  checkTlsSettings,
  FSC_PROBLEMS,
  FscMetrics,
  fscGuard,
  type FscVariables,
  loadTls,
  memoryNonceGuard,
  oinOf,
  OIN_PATTERN,
  startFscServer,
  type TlsMaterial,
  tlsSettings,
} from "@vi/fsc";
import {
  createAdminApp,
  createLogger,
  createServiceApp,
  type Logger,
  parseConfig,
  problemCatalog,
  problemResponses,
  serveHttp,
  startWithCleanups,
  stopHttpServer,
} from "@vi/service";
import { fileKeys, type KeyFile, memoryKeys, openKeyring } from "./store/keyring";

export const NationalPseudonymConfigSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(8201),
    HOST: z.string().default("127.0.0.1"),
    ADMIN_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    ADMIN_HOST: z.string().default("127.0.0.1"),
    /** The national key file (created on first start, mode 0600; a secret). Unset: in memory (a demo only). */
    PSEUDONIEM_SLEUTELS_BESTAND: z.string().optional(),
    /** The OINs of the regions' bridges that may ask, comma-separated. */
    BRUG_OINS: z
      .string()
      .default("")
      .transform((v, issue) => {
        const list = v
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean);
        for (const o of list) if (!OIN_PATTERN.test(o)) issue.addIssue({ code: "custom", message: `${o} is not an OIN (20 digits)` });
        return list;
      }),
    ...tlsSettings,
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  })
  .superRefine((c, issue) => checkTlsSettings(c, issue));
export type NationalPseudonymConfig = z.infer<typeof NationalPseudonymConfigSchema>;

export function parseNationalPseudonymConfig(env: Record<string, string | undefined>): NationalPseudonymConfig {
  return parseConfig(NationalPseudonymConfigSchema, env, "national pseudonym service");
}

export const NATIONAL_PSEUDONYM_PROBLEMS = problemCatalog({
  ...FSC_PROBLEMS,
  ELEMENT_ONGELDIG: { status: 400, title: "Element ongeldig" },
});

const element = z.string().regex(/^[A-Za-z0-9_-]{43}$/, "not an element");
const EvaluatieVraag = z.object({ elementen: z.array(element).min(1).max(2000) }).openapi("EvaluatieVraag");
const EvaluatieAntwoord = z.object({ elementen: z.array(element), sleutelversie: z.number().int().min(1) }).openapi("EvaluatieAntwoord");

export const NATIONAL_PSEUDONYM_API_VERSION = "1.0.0";

export function createNationalPseudonymApp(deps: {
  log: Logger;
  tls?: TlsMaterial;
  allowed: ReadonlySet<string>;
  keyring: ReturnType<typeof openKeyring>;
  metrics: FscMetrics;
  counts: { requests: number; elements: number };
}) {
  const app = createServiceApp<FscVariables>({
    apiVersion: NATIONAL_PSEUDONYM_API_VERSION,
    log: deps.log,
    bodyLimitBytes: 256 * 1024,
    ready: async () => true,
    readyBody: { service: "landelijke-pseudoniemendienst" },
    document: {
      catalog: NATIONAL_PSEUDONYM_PROBLEMS,
      apiBase: "/api/v1",
      info: {
        title: "Verwijsindex landelijke pseudoniemendienst",
        version: NATIONAL_PSEUDONYM_API_VERSION,
        description:
          "Evalueert geblindeerde elementen (RFC 9497 OPRF, ristretto255-SHA512) onder de landelijke sleutel, voor de bruggen van de regio's. Ziet nooit een waarde of een pseudoniem. Alleen over HTTPS met wederzijdse TLS; elk verzoek en antwoord ondertekend (koptekst Handtekening). Fouten zijn Problem Details (application/problem+json) met een stabiele code.",
        contact: { name: "Beheer verwijsindex", email: "beheer@verwijsindex.example", url: "https://verwijsindex.example/contact" },
      },
      servers: [
        { url: "https://pseudoniemen.verwijsindex.example", description: "Productie (voorbeeld)" },
        { url: "https://localhost:8201", description: "Lokaal (npm start, ontwikkel-CA)" },
      ],
      tags: [
        { name: "evaluaties", description: "Geblindeerde elementen evalueren onder de landelijke sleutel." },
        { name: "beheer", description: "Gezondheid, gereedheid en dit document." },
      ],
    },
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "ondertekening", {
    type: "mutualTLS",
    description: "Wederzijdse TLS met een PKIoverheid-certificaat (OIN in serialNumber), en elk verzoek ondertekend in de koptekst Handtekening.",
  });
  const guard = deps.tls ? fscGuard({ ...deps.tls, nonces: memoryNonceGuard(), metrics: deps.metrics, allowed: (oin) => deps.allowed.has(oin) }) : undefined;
  app.use("/api/v1/*", async (c, next) => {
    if (c.req.path === "/api/v1/openapi.json") return next();
    if (!guard) throw NATIONAL_PSEUDONYM_PROBLEMS.problem("CERTIFICAAT_ONGELDIG", "Deze dienst is zonder TLS gestart.");
    return guard(c as never, next);
  });
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/evaluaties",
      tags: ["evaluaties"],
      summary: "Geblindeerde elementen evalueren",
      description: "De brug stuurt de geblindeerde elementen van een node door; het antwoord zijn de geëvalueerde elementen en de sleutelversie.",
      security: [{ ondertekening: [] }],
      request: { body: { content: { "application/json": { schema: EvaluatieVraag } }, required: true } },
      responses: {
        200: { description: "Geëvalueerd.", content: { "application/json": { schema: EvaluatieAntwoord } } },
        ...problemResponses(NATIONAL_PSEUDONYM_PROBLEMS, [
          "VERZOEK_ONGELDIG",
          "ELEMENT_ONGELDIG",
          "HANDTEKENING_ONTBREEKT",
          "HANDTEKENING_ONGELDIG",
          "VERZOEK_HERHAALD",
          "HANDTEKENING_VERLOPEN",
          "CERTIFICAAT_ONGELDIG",
          "VERKEERDE_ONTVANGER",
          "ORGANISATIE_NIET_TOEGESTAAN",
        ]),
      },
    }),
    async (c) => {
      const { elementen } = c.req.valid("json");
      const key = deps.keyring.versions().at(-1)!;
      let out: string[];
      try {
        out = elementen.map((e) => toWire(blindEvaluate(key.secretKey, fromWire(e))));
      } catch (e) {
        if (e instanceof OprfInputError || e instanceof TypeError)
          throw NATIONAL_PSEUDONYM_PROBLEMS.problem("ELEMENT_ONGELDIG", "Een aangeboden element is geen geldig ristretto255-element.");
        throw e;
      }
      deps.counts.requests += 1;
      deps.counts.elements += elementen.length;
      return c.json({ elementen: out, sleutelversie: key.versie }, 200);
    },
  );
  return app;
}

export interface RunningNationalPseudonymService {
  url: string;
  port: number;
  oin: string;
  adminUrl?: string;
  metrics: FscMetrics;
  stop(): Promise<void>;
}

export async function startNationalPseudonymService(opts: {
  config: NationalPseudonymConfig;
  tls?: TlsMaterial;
  keyFile?: KeyFile;
  log?: Logger;
}): Promise<RunningNationalPseudonymService> {
  const { config } = opts;
  const log = opts.log ?? createLogger(config.LOG_LEVEL, "landelijke-pseudoniemendienst");
  return startWithCleanups(log, async (cleanups) => {
    if (!opts.keyFile && !config.PSEUDONIEM_SLEUTELS_BESTAND) log.warn("PSEUDONIEM_SLEUTELS_BESTAND not set: the national key lives in memory");
    const keyring = openKeyring(
      opts.keyFile ?? (config.PSEUDONIEM_SLEUTELS_BESTAND ? fileKeys(config.PSEUDONIEM_SLEUTELS_BESTAND) : memoryKeys()),
      "landelijk",
    );
    const tls = opts.tls ?? loadTls(config, "landelijke-pseudoniemendienst");
    const oin = oinOf(new X509Certificate(tls.identity.cert));
    if (!oin) throw new Error("the national pseudonym service's certificate has no OIN");
    const metrics = new FscMetrics();
    const counts = { requests: 0, elements: 0 };
    const app = createNationalPseudonymApp({ log, tls, allowed: new Set(config.BRUG_OINS), keyring, metrics, counts });
    const started = await startFscServer({ fetch: app.fetch, port: config.PORT, hostname: config.HOST, tls });
    cleanups.push("https", () => stopHttpServer(started.server as never));
    let adminUrl: string | undefined;
    if (config.ADMIN_PORT !== undefined) {
      const admin = await serveHttp(cleanups, log, "admin", {
        fetch: createAdminApp({
          log,
          metrics: () =>
            [
              metrics.toPrometheus("landelijke-pseudoniemendienst").trimEnd(),
              "# HELP vi_pseudoniem_landelijk_requests_total Evaluation requests answered.",
              "# TYPE vi_pseudoniem_landelijk_requests_total counter",
              `vi_pseudoniem_landelijk_requests_total ${counts.requests}`,
              "",
            ].join("\n"),
        }).fetch,
        port: config.ADMIN_PORT,
        hostname: config.ADMIN_HOST,
        apiVersion: NATIONAL_PSEUDONYM_API_VERSION,
      });
      adminUrl = admin.url;
    }
    log.info({ port: started.port, oin, bruggen: config.BRUG_OINS.length }, "national pseudonym service started");
    let stopped: Promise<void> | undefined;
    return {
      url: `https://localhost:${started.port}`,
      port: started.port,
      oin,
      adminUrl,
      metrics,
      stop() {
        stopped ??= cleanups.run();
        return stopped;
      },
    };
  });
}
