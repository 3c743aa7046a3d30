/**
 * Configuration of the regional hub, parsed once at start from the
 * environment. A bad setting stops the process with a clear message.
 */
import { INDEX_PAGE_MAX } from "@vi/events";
import { REGIO_AMSTERDAM, type Region, regionOf } from "@vi/region";
import { checkNatsClientSettings, corsOriginsSetting, databaseLoginSettings, natsClientSettings, parseConfig } from "@vi/service";
import { z } from "zod";

export interface NodeEntry {
  code: string;
  naam: string;
  url: string;
}

const NODE_CODE = /^GM\d{4}$/;

/** `GM0363=http://localhost:8363,GM0479=http://localhost:8479` → entries; names from the demo's regions where known (a Zuid-Kennemerland hub shows Haarlem, not GM0392). */
export function parseNodes(value: string, region: Region = REGIO_AMSTERDAM): NodeEntry[] {
  const seen = new Set<string>();
  return value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((item) => {
      const eq = item.indexOf("=");
      if (eq <= 0) throw new Error(`NODES: "${item}" is not CODE=URL`);
      const code = item.slice(0, eq).trim();
      const url = item
        .slice(eq + 1)
        .trim()
        .replace(/\/+$/, "");
      if (!NODE_CODE.test(code)) throw new Error(`NODES: "${code}" is not a CBS code such as GM0363`);
      if (seen.has(code)) throw new Error(`NODES: ${code} appears twice`);
      seen.add(code);
      const parsed = URL.canParse(url) ? new URL(url) : undefined;
      if (!parsed || !["http:", "https:"].includes(parsed.protocol)) throw new Error(`NODES: the URL of ${code} is not an http(s) URL`);
      return { code, naam: region.includes(code) ? region.naamVan(code) : (regionOf(code)?.region.naamVan(code) ?? region.naamVan(code)), url };
    });
}

/** The region's nodes on their default local ports. */
export function defaultNodes(region: Region = REGIO_AMSTERDAM): NodeEntry[] {
  return region.gemeenten.map((g) => ({ code: g.code, naam: g.naam, url: `http://localhost:${g.port}` }));
}

export const HubConfigSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(8000),
    HOST: z.string().default("127.0.0.1"),
    /** The admin port (/metrics and /api/v1/nodes; docs/adr/0009); unset: no admin side. Never the API's port. */
    ADMIN_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    /** Where the admin port listens; keep it on an internal address. */
    ADMIN_HOST: z.string().default("127.0.0.1"),
    DATABASE_URL: z.string().url().optional(),
    /** The hub's own login (DATABASE_USER, DATABASE_PASSWORD_FILE), overriding the URL's; see docs/adr/0019. */
    ...databaseLoginSettings,
    PGLITE_DIR: z.string().optional(),
    DB_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
    DB_SCHEMA: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,62}$/, "DB_SCHEMA: lower-case letters, digits and underscores")
      .default("hub"),
    NATS_URL: z.string().optional(),
    /** The hub's NATS user (NKey seed, user `hub`) and TLS (infra/nats). */
    ...natsClientSettings,
    BUS_NAMESPACE: z
      .string()
      .regex(/^[a-z][a-z0-9_-]{0,31}$/)
      .default("vi"),
    NODES: z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (v === undefined) return defaultNodes();
        try {
          return parseNodes(v);
        } catch (e) {
          ctx.addIssue({ code: "custom", message: (e as Error).message });
          return z.NEVER;
        }
      }),
    KEYS_DIR: z.string().optional(),
    /**
     * The most index events applied in one transaction (docs/adr/0043): what is waiting when the consumer is free,
     * never waited for, so a lone event is applied at once. 1: one event per transaction.
     */
    INDEX_BATCH: z.coerce.number().int().min(1).max(1000).default(100),
    /** The pseudonym service's base URL (docs/adr/0024): its signing keys join the region's trust registry. */
    /**
     * The region's bridge to the national index (services/lvi-bridge; its JWKS): when set, the hub republishes every
     * index change with national pseudonyms to the bridge (`evt.brug.index`, docs/national-chain.md).
     */
    BRUG_URL: z.string().url().optional(),
    PSEUDONIEM_URL: z.string().url().optional(),
    /** How often the node registry (JWKS, readiness) is refreshed; 0: only at start and on refreshNodes(). */
    NODES_REFRESH_SECONDS: z.coerce.number().min(0).default(10),
    /** Timeout of one RPC to a node during a rebuild. */
    REBUILD_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
    /**
     * Signals per page a rebuild asks a node for (`index.opvragen`, at most INDEX_PAGE_MAX). A node sends fewer when
     * they would not fit in one message of the bus (its maximum payload), so this bounds the work per page, not the size.
     * 1000 since the pages are read from the pseudonyms the youths keep (docs/adr/0047): each page costs a request, a
     * transaction and a lock, so fewer pages are faster; a node asks the pseudonym service in requests of 250 anyway.
     */
    REBUILD_PAGE_SIZE: z.coerce.number().int().min(1).max(INDEX_PAGE_MAX).default(INDEX_PAGE_MAX),
    /**
     * Nodes a rebuild pages at the same time (docs/adr/0040): a page a node cannot answer from the pseudonyms its
     * youths keep makes it ask the pseudonym service for its values, and thirteen nodes at once overload it. The others
     * wait their turn.
     */
    REBUILD_PARALLEL: z.coerce.number().int().min(1).max(100).default(2),
    /**
     * Times a rebuild asks a node for the same page again after a transient failure (no answer, or a refusal because
     * the node or a service it needs could not be reached) before it counts the node as unreachable; 0: never.
     */
    REBUILD_RETRIES: z.coerce.number().int().min(0).max(10).default(3),
    /** The wait before the first retry of a page, in milliseconds; it doubles for each further retry. */
    REBUILD_RETRY_MS: z.coerce.number().int().min(0).max(60_000).default(500),
    /** The OpenID Connect provider whose tokens the register API accepts; unset: the register API accepts no token at all. */
    AUTH_ISSUER: z.url().optional(),
    AUTH_AUDIENCE: z.string().default("verwijsindex-hub"),
    AUTH_JWKS_URL: z.url().optional(),
    /**
     * A register (JSON, the shape of packages/demo/register.json) loaded into the hub's register when that is still
     * empty: the demo, the tests, a region's first start. From then on the hub's tables are the source.
     */
    REGISTER_BESTAND: z.string().optional(),
    /**
     * The follow-up term of the region's figures (docs/adr/0039): the share of matches with contact recorded within
     * this many days, over the matches at least this old. Default 14, the reminders' default (MATCHREGIE_HERINNERING_DAGEN).
     */
    OPVOLGING_DAGEN: z.coerce.number().int().min(1).max(365).default(14),
    /** Origins whose web pages may call the hub's API (CORS), comma-separated; default none. */
    CORS_ORIGINS: corsOriginsSetting,
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  })
  .superRefine((c, issue) => checkNatsClientSettings(c, issue));

export type HubConfig = z.infer<typeof HubConfigSchema>;

export function parseHubConfig(env: Record<string, string | undefined>): HubConfig {
  return parseConfig(HubConfigSchema, env, "hub");
}
