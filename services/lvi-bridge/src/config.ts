/**
 * Configuration of a region's bridge to the national index (docs/national-chain.md), parsed once at start.
 */
import { checkTlsSettings, OIN_PATTERN, tlsSettings } from "@vi/fsc";
import { checkNatsClientSettings, databaseLoginSettings, natsClientSettings, parseConfig } from "@vi/service";
import { z } from "zod";

export const BridgeConfigSchema = z
  .object({
    /** HTTP inside the region: health, readiness and the bridge's own JWKS (the hub fetches it, BRUG_URL). */
    PORT: z.coerce.number().int().min(0).max(65535).default(8210),
    HOST: z.string().default("127.0.0.1"),
    /** HTTPS with mutual TLS for the national index's deliveries (`/api/v1/landelijke-berichten`). */
    LANDELIJK_PORT: z.coerce.number().int().min(0).max(65535).default(8220),
    LANDELIJK_HOST: z.string().default("127.0.0.1"),
    ADMIN_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    ADMIN_HOST: z.string().default("127.0.0.1"),
    /** The region's id at the national index (e.g. `amsterdam`, `zuid-kennemerland`). */
    REGIO: z.string().regex(/^[a-z][a-z0-9-]{0,62}$/),
    /** The region's gemeenten (CBS codes, comma-separated) whose nodes may ask `rpc.brug`; default the region's of REGIO. */
    REGIO_GEMEENTEN: z.string().optional(),
    DATABASE_URL: z.string().url().optional(),
    PGLITE_DIR: z.string().optional(),
    DB_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
    DB_SCHEMA: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,62}$/)
      .default("brug"),
    ...databaseLoginSettings,
    NATS_URL: z.string().optional(),
    ...natsClientSettings,
    BUS_NAMESPACE: z
      .string()
      .regex(/^[a-z][a-z0-9_-]{0,31}$/)
      .default("vi"),
    /** The hub: its trust registry says whose events and requests verify. */
    HUB_URL: z.string().url().default("http://localhost:8000"),
    KEYS_DIR: z.string().optional(),
    ...tlsSettings,
    /** The national index (https) and its OIN. */
    LANDELIJK_URL: z.string().url(),
    LANDELIJK_OIN: z.string().regex(OIN_PATTERN),
    /** The national pseudonym service (https) and its OIN. */
    PSEUDONIEM_LANDELIJK_URL: z.string().url(),
    PSEUDONIEM_LANDELIJK_OIN: z.string().regex(OIN_PATTERN),
    /** How often the queue is offered to the national index again while it is down (ms; doubles up to 5 s). */
    VERZEND_INTERVAL_MS: z.coerce.number().int().min(50).max(600_000).default(1000),
    RPC_QUEUE: z.string().default("brug"),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  })
  .superRefine((c, issue) => {
    checkTlsSettings(c, issue);
    checkNatsClientSettings(c, issue);
  });

export type BridgeConfig = z.infer<typeof BridgeConfigSchema>;

export function parseBridgeConfig(env: Record<string, string | undefined>): BridgeConfig {
  return parseConfig(BridgeConfigSchema, env, "bridge");
}
