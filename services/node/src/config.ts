/**
 * Configuration, parsed once at start from the environment. A bad setting
 * stops the process with a clear message.
 */
import { z } from "zod";

const bool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

export const NodeConfigSchema = z.object({
  GEMEENTE: z
    .string()
    .regex(/^GM\d{4}$/, "GEMEENTE is a CBS code such as GM0363")
    .default("GM0363"),
  PORT: z.coerce.number().int().min(0).max(65535).optional(),
  HOST: z.string().default("127.0.0.1"),
  DATABASE_URL: z.string().url().optional(),
  DB_SCHEMA: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,62}$/)
    .optional(),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  PGLITE_DIR: z.string().optional(),
  BRP_URL: z.string().url().default("http://localhost:8100/haalcentraal/api/brp"),
  BRP_API_KEY: z.string().optional(),
  AUTH_ISSUER: z.string().url().default("http://localhost:8090"),
  AUTH_AUDIENCE: z.string().default("verwijsindex"),
  AUTH_JWKS_URL: z.string().url().optional(),
  SIGNAAL_STANDAARD_DUUR_MAANDEN: z.coerce.number().int().min(1).max(24).default(12),
  RETENTIE_INTERVAL_MINUTEN: z.coerce.number().min(0).default(60),
  DEMO_DATA: bool.default(false),
  // Federation (all optional: without NATS_URL and without an in-process bus the node runs on its own)
  NATS_URL: z.string().optional(),
  BUS_NAMESPACE: z
    .string()
    .regex(/^[a-z][a-z0-9]*$/)
    .default("vi"),
  HUB_URL: z.string().url().default("http://localhost:8000"),
  REGIO_PSEUDONIEM_SLEUTEL: z.string().min(32, "REGIO_PSEUDONIEM_SLEUTEL must be at least 32 characters").optional(),
  KEYS_DIR: z.string().optional(),
  RPC_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
  BRP_MUTATIES_URL: z.string().url().optional(),
  BRP_MUTATIES_INTERVAL_MS: z.coerce.number().int().min(0).default(5000),
  // E-mail (no SMTP_HOST: meldingen are kept but not mailed)
  SMTP_HOST: z.string().optional(),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(1025),
  SMTP_USER: z.string().optional(),
  SMTP_PASS: z.string().optional(),
  SMTP_FROM: z.string().default("Verwijsindex Regio Amsterdam <noreply@verwijsindex.example>"),
  PUBLIC_URL: z.string().url().optional(),
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
