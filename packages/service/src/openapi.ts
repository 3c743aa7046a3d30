/**
 * The OpenAPI document of a service, as the NL GOV API Design Rules want it
 * (checked by their own Spectral ruleset, `npm run lint:api`, docs/adr/0008):
 *
 * - the servers carry the major version (`https://…/api/v1`), so the paths of
 *   the API are relative to it (`/signalen`); the routes themselves are still
 *   served at `/api/v1/…`, only the document is written relative;
 * - a route outside the API base (the kit's `/health`, `/ready`, `/metrics`,
 *   a service's `/.well-known/jwks.json`) keeps its place through servers of
 *   its own, without the version (and for an RFC 8615 well-known URI with the
 *   `/.well-known` segment, which is not kebab-case, in that server);
 * - every response declares the headers the kit sends on every answer
 *   (`API-Version`, `X-Request-Id`, `traceparent`), and every 503 and 429 `Retry-After`;
 * - every error response lists the stable Problem Details codes it can carry
 *   (an `enum` of `code`, the list in the description, and one example each);
 * - every operation can answer 400 and 431 (the HTTP server's edge: a malformed request, headers too large) and 500.
 *
 * - with `rateLimited`, every operation that needs a token can answer 429 (with `Retry-After`).
 */
import { OpenApiGeneratorV31, type OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { type RouteConfig, z } from "@hono/zod-openapi";
import { type ProblemCatalog, type ProblemSpec, problemType } from "./problem";

/** Seconds a client should wait after a 503 before it tries again (sent as `Retry-After`). */
export const RETRY_AFTER_SECONDS = 5;

/** The Problem Details body (RFC 9457) every service answers errors with. */
export const ProblemDetailsSchema = z
  .object({
    type: z.string().openapi({ description: "URI van het soort probleem.", example: problemType("VERZOEK_ONGELDIG") }),
    title: z.string().openapi({ description: "Korte titel van het soort probleem (Nederlands).", example: "Ongeldig verzoek" }),
    status: z.number().int().openapi({ description: "De HTTP-statuscode.", example: 400 }),
    detail: z.string().openapi({ description: "Wat er mis is en wat u kunt doen (Nederlands).", example: "Het verzoek klopt niet: controleer bsn." }),
    code: z.string().openapi({ description: "Stabiele code van het probleem (HOOFDLETTERS_MET_UNDERSCORE).", example: "VERZOEK_ONGELDIG" }),
    instance: z.string().optional().openapi({ description: "Het pad van het verzoek.", example: "/api/v1/signalen" }),
    invalidParams: z
      .array(z.object({ name: z.string(), code: z.string(), reason: z.string() }))
      .optional()
      .openapi({ description: "Per ongeldig veld: naam, code en reden." }),
  })
  .openapi("ProblemDetails");

const STATUS_TEXT: Record<number, string> = {
  400: "Ongeldig verzoek",
  401: "Niet aangemeld",
  403: "Geen toegang",
  404: "Niet gevonden",
  405: "Methode niet toegestaan",
  409: "Conflict",
  413: "Verzoek te groot",
  415: "Mediatype niet ondersteund",
  422: "Verzoek botst met een regel",
  429: "Te veel verzoeken",
  431: "Kopteksten te groot",
  500: "Interne fout",
  502: "Fout bij een andere dienst",
  503: "Dienst (tijdelijk) niet beschikbaar",
};

type Responses = RouteConfig["responses"];

/**
 * The error responses for `codes`, grouped by their status: each lists its codes (an `enum` of `code`, the
 * description) with one example per code. `codes` must be codes of the catalog: anything else does not compile.
 */
export function problemResponses<C extends string>(catalog: ProblemCatalog<C>, codes: readonly C[], details: Partial<Record<C, string>> = {}): Responses {
  const byStatus = new Map<number, C[]>();
  for (const code of new Set(codes)) {
    const spec: ProblemSpec = catalog.specs[code];
    byStatus.set(spec.status, [...(byStatus.get(spec.status) ?? []), code]);
  }
  const out: Responses = {};
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    const [first, ...rest] = list as [C, ...C[]];
    out[String(status)] = {
      description: `${STATUS_TEXT[status] ?? "Fout"}. Mogelijke codes: ${list.join(", ")}.`,
      content: {
        "application/problem+json": {
          schema: ProblemDetailsSchema.extend({ status: z.literal(status), code: z.enum([first, ...rest]) }),
          examples: Object.fromEntries(
            list.map((code) => {
              const spec: ProblemSpec = catalog.specs[code];
              const detail = details[code] ?? `${spec.title}.`;
              return [code, { summary: spec.title, value: { type: problemType(code), title: spec.title, status, detail, code } }];
            }),
          ),
        },
      },
    };
  }
  return out;
}

export interface ServerSpec {
  /** The origin, and a path before the API base if there is one; without the API base itself. */
  url: string;
  description: string;
  variables?: Record<string, { default: string; description?: string }>;
}

export interface ApiDocumentOptions {
  /** The service's Problem Details codes (the kit adds 400, 431 and 500 to every operation that lacks them). */
  catalog: ProblemCatalog<string>;
  info: { title: string; version: string; description: string; contact: { name: string; email: string; url: string } };
  /** The path the API is served under, with its major version: `/api/v1`. */
  apiBase: string;
  /** Where the service runs, one per environment (https, except the local one). */
  servers: ServerSpec[];
  security?: Record<string, string[]>[];
  /**
   * The service limits the rate of signed-in requests (failed sign-ins per address, and more per route): every
   * operation that needs a token can answer 429 TE_VEEL_VERZOEKEN with Retry-After.
   */
  rateLimited?: boolean;
  tags?: { name: string; description: string }[];
}

const HEADERS = {
  "API-Version": {
    description: "De volledige versie van de API (semver); op elk antwoord.",
    schema: { type: "string", example: "1.0.0" },
  },
  "X-Request-Id": {
    description: "Kenmerk van dit verzoek, zoals het in de logregels staat.",
    schema: { type: "string", format: "uuid" },
  },
  traceparent: {
    description:
      "W3C Trace Context: het trace-id van het verzoek (overgenomen uit een meegestuurde traceparent, anders nieuw), zoals het in logregels en auditregels staat.",
    schema: { type: "string", pattern: "^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$", example: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" },
  },
  "Retry-After": {
    description: "Na hoeveel seconden u het opnieuw kunt proberen.",
    schema: { type: "integer", example: RETRY_AFTER_SECONDS },
  },
} as const;

type Json = Record<string, unknown>;

const HEADER_REFS = Object.fromEntries(["API-Version", "X-Request-Id", "traceparent"].map((h) => [h, { $ref: `#/components/headers/${h}` }]));

/** A route's responses with the kit's edge answers added and the kit's headers declared on each. */
function completeResponses(responses: Responses, edge: Responses): Responses {
  const out: Responses = {};
  for (const [status, r] of Object.entries({ ...edge, ...responses }).sort(([a], [b]) => a.localeCompare(b))) {
    if ("$ref" in r) {
      out[status] = r;
      continue;
    }
    if (r.headers instanceof z.ZodObject) throw new Error("OpenAPI: declare response headers as a HeadersObject, not a zod object");
    out[status] = {
      ...r,
      headers: {
        ...HEADER_REFS,
        ...(status === "503" || status === "429" ? { "Retry-After": { $ref: "#/components/headers/Retry-After" } } : {}),
        ...r.headers,
      },
    };
  }
  return out;
}

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"] as const;

function withPathParameter(item: Json, parameter: Json): Json {
  const out: Json = { ...item };
  for (const method of METHODS) {
    const op = out[method] as { parameters?: unknown[] } | undefined;
    if (op) out[method] = { ...op, parameters: [...(op.parameters ?? []), parameter] };
  }
  return out;
}

/** The document as served: built from the app's registered routes, rewritten as this file's header describes. */
export function buildApiDocument(registry: Pick<OpenAPIRegistry, "definitions">, opts: ApiDocumentOptions): Json {
  const { catalog } = opts;
  // What the HTTP server and the error handler answer on any route (a route's own response of a status wins).
  const edge = problemResponses(catalog, ["VERZOEK_ONGELDIG", "KOPTEKST_TE_GROOT", "INTERNE_FOUT", "DIENST_ONBEREIKBAAR"], {
    VERZOEK_ONGELDIG: "Het HTTP-verzoek zelf klopt niet (verzoekregel, methode of URL). Controleer de URL en de methode.",
    KOPTEKST_TE_GROOT: "De URL of de kopteksten van het verzoek zijn te groot. Maak de URL korter of stuur minder kopteksten.",
    INTERNE_FOUT: "Er ging iets mis aan onze kant. Probeer het opnieuw; blijft het misgaan, neem contact op met de beheerder.",
    DIENST_ONBEREIKBAAR:
      "De verwijsindex kan de gegevens nu niet bereiken. Probeer het over een halve minuut opnieuw en kijk dan of uw wijziging is opgeslagen.",
  });
  const limited = {
    ...edge,
    ...problemResponses(catalog, ["TE_VEEL_VERZOEKEN"], {
      TE_VEEL_VERZOEKEN: "Te veel verzoeken in korte tijd. Probeer het over 12 seconden opnieuw.",
    }),
  };
  const definitions = registry.definitions.map((d) => {
    if (d.type !== "route") return d;
    const signedIn = d.route.security === undefined ? (opts.security?.length ?? 0) > 0 : d.route.security.length > 0;
    return { ...d, route: { ...d.route, responses: completeResponses(d.route.responses, opts.rateLimited && signedIn ? limited : edge) } };
  });
  const raw = new OpenApiGeneratorV31(definitions).generateDocument({
    openapi: "3.1.0",
    info: opts.info,
    servers: opts.servers.map((s) => ({ ...s, url: `${s.url}${opts.apiBase}` })),
    ...(opts.security ? { security: opts.security } : {}),
    ...(opts.tags ? { tags: opts.tags } : {}),
  }) as unknown as Json & { paths?: Record<string, Json>; components?: Json };

  const paths: Record<string, Json> = {};
  for (const [key, generated] of Object.entries(raw.paths ?? {})) {
    let item = generated;
    let rel: string;
    let itemServers: ServerSpec[] | undefined;
    if (key === opts.apiBase || key.startsWith(`${opts.apiBase}/`)) {
      rel = key.slice(opts.apiBase.length) || "/";
    } else if (key.startsWith("/.well-known/") && !key.slice("/.well-known/".length).includes("/")) {
      // RFC 8615: `/.well-known/<name>`. Neither segment is kebab-case (nlgov:paths-kebab-case), so the first
      // goes into the path's servers and the name becomes a path parameter that takes exactly that value.
      const name = key.slice("/.well-known/".length);
      rel = "/{naam}";
      itemServers = opts.servers.map((s) => ({ ...s, url: `${s.url}/.well-known` }));
      item = withPathParameter(item, {
        name: "naam",
        in: "path",
        required: true,
        description: "De naam van de well-known URI (RFC 8615).",
        schema: { type: "string", enum: [name] },
      });
    } else {
      rel = key;
      itemServers = opts.servers;
    }
    if (paths[rel]) throw new Error(`OpenAPI: ${key} and another route both become ${rel}`);
    paths[rel] = itemServers ? { ...item, servers: itemServers } : item;
  }
  return { ...raw, paths, components: { ...raw.components, headers: HEADERS } };
}
