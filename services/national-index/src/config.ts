/**
 * Configuration of the reference national index (docs/national-chain.md), parsed once at start from the
 * environment. A bad setting stops the process.
 */
import { checkTlsSettings, OIN_PATTERN, tlsSettings } from "@vi/fsc";
import { databaseLoginSettings, parseConfig } from "@vi/service";
import { z } from "zod";

export interface BridgeEntry {
  regio: string;
  oin: string;
  /** Where the bridge takes the national index's deliveries (https, mutual TLS). */
  url: string;
}

/** `BRUGGEN`: `<regio>=<OIN>=<https url>` per region, comma-separated. */
const bridges = z
  .string()
  .default("")
  .transform((v, issue) => {
    const out: BridgeEntry[] = [];
    for (const item of v
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean)) {
      const [regio, oin, ...rest] = item.split("=");
      const url = rest.join("=");
      if (!regio || !/^[a-z][a-z0-9-]{0,62}$/.test(regio) || !oin || !OIN_PATTERN.test(oin) || !/^https:\/\//.test(url)) {
        issue.addIssue({ code: "custom", message: `"${item}" is not <regio>=<OIN>=<https url>` });
        continue;
      }
      out.push({ regio, oin, url });
    }
    return out;
  });

export const NationalIndexConfigSchema = z
  .object({
    /** HTTPS with mutual TLS: the API for the bridges (docs/national-chain.md). */
    PORT: z.coerce.number().int().min(0).max(65535).default(8200),
    HOST: z.string().default("127.0.0.1"),
    /** The admin port (/metrics: refused requests by reason); unset: none. */
    ADMIN_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    ADMIN_HOST: z.string().default("127.0.0.1"),
    DATABASE_URL: z.string().url().optional(),
    /** The embedded PostgreSQL (PGlite) directory when DATABASE_URL is unset; unset too: in memory. */
    PGLITE_DIR: z.string().optional(),
    DB_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
    DB_SCHEMA: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,62}$/, "DB_SCHEMA: lower-case letters, digits and underscores")
      .default("landelijk"),
    ...databaseLoginSettings,
    ...tlsSettings,
    BRUGGEN: bridges,
    /** How often undelivered matches are offered to the bridges again (ms). */
    AFLEVER_INTERVAL_MS: z.coerce.number().int().min(50).max(600_000).default(1000),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  })
  .superRefine((c, issue) => checkTlsSettings(c, issue));

export type NationalIndexConfig = z.infer<typeof NationalIndexConfigSchema>;

export function parseNationalIndexConfig(env: Record<string, string | undefined>): NationalIndexConfig {
  return parseConfig(NationalIndexConfigSchema, env, "national index");
}
