/**
 * Configuration of the pseudonym service (docs/adr/0024), parsed once at
 * start from the environment. A bad setting stops the process.
 */
import { checkNatsClientSettings, natsClientSettings, parseConfig } from "@vi/service";
import { z } from "zod";

export const PseudonymConfigSchema = z
  .object({
    /** HTTP: health, readiness and the service's own JWKS (its signing keys); no API, no personal data. */
    PORT: z.coerce.number().int().min(0).max(65535).default(8001),
    HOST: z.string().default("127.0.0.1"),
    /** The admin port (/metrics; docs/adr/0009); unset: none. */
    ADMIN_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    ADMIN_HOST: z.string().default("127.0.0.1"),
    NATS_URL: z.string().optional(),
    /** The service's NATS user (NKey seed, user `pseudoniem`) and TLS (infra/nats). */
    ...natsClientSettings,
    BUS_NAMESPACE: z
      .string()
      .regex(/^[a-z][a-z0-9_-]{0,31}$/)
      .default("vi"),
    /** The hub: its trust registry says whose requests verify. */
    HUB_URL: z.string().url().default("http://localhost:8000"),
    /** The region's gemeenten (CBS codes, comma-separated) whose nodes may ask; default the region's from @vi/region. */
    REGIO_GEMEENTEN: z.string().optional(),
    /** The signing keys' directory (pseudoniem.json); unset: generated in memory at each start. */
    KEYS_DIR: z.string().optional(),
    /**
     * The file of the OPRF key versions (created with version 1 on first start, mode 0600; a secret: keep it on
     * a volume or in a secret store, never in the repository). Required with NATS_URL (checked at start): a key
     * lost at a restart would give every youth a new pseudonym.
     */
    PSEUDONIEM_SLEUTELS_BESTAND: z.string().optional(),
    /** The key scope: `regio` for a region's service, `landelijk` for the national one (docs/adr/0024). */
    PSEUDONIEM_SCOPE: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,31}$/)
      .default("regio"),
    RPC_QUEUE: z.string().default("pseudoniem"),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  })
  .superRefine((c, issue) => checkNatsClientSettings(c, issue));

export type PseudonymConfig = z.infer<typeof PseudonymConfigSchema>;

export function parsePseudonymConfig(env: Record<string, string | undefined>): PseudonymConfig {
  return parseConfig(PseudonymConfigSchema, env, "pseudonym service");
}
