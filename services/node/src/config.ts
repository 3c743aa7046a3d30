/**
 * Configuration, parsed once at start from the environment. A bad setting
 * stops the process with a clear message.
 */
import { z } from "zod";

const bool = z
  .enum(["true", "false", "1", "0"])
  .transform((v) => v === "true" || v === "1");

export const NodeConfigSchema = z.object({
  GEMEENTE: z.string().regex(/^GM\d{4}$/, "GEMEENTE is a CBS code such as GM0363").default("GM0363"),
  PORT: z.coerce.number().int().min(0).max(65535).optional(),
  HOST: z.string().default("127.0.0.1"),
  DATABASE_URL: z.string().url().optional(),
  DB_SCHEMA: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/).optional(),
  PGLITE_DIR: z.string().optional(),
  BRP_URL: z.string().url().default("http://localhost:8100/haalcentraal/api/brp"),
  BRP_API_KEY: z.string().optional(),
  AUTH_ISSUER: z.string().url().default("http://localhost:8090"),
  AUTH_AUDIENCE: z.string().default("verwijsindex"),
  AUTH_JWKS_URL: z.string().url().optional(),
  SIGNAAL_STANDAARD_DUUR_MAANDEN: z.coerce.number().int().min(1).max(24).default(12),
  RETENTIE_INTERVAL_MINUTEN: z.coerce.number().min(0).default(60),
  DEMO_DATA: bool.default(false),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type NodeConfig = z.infer<typeof NodeConfigSchema>;

export function parseNodeConfig(env: Record<string, string | undefined>): NodeConfig {
  const parsed = NodeConfigSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== "")));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid node configuration:\n${lines}`);
  }
  return parsed.data;
}
