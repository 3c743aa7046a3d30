/**
 * Configuration, parsed once at start from the environment. A bad setting
 * stops the process with a clear message.
 */
import { checkNatsClientSettings, ConfigError, corsOriginsSetting, databaseLoginSettings, natsClientSettings, parseConfig } from "@vi/service";
import { z } from "zod";

export const NodeConfigSchema = z
  .object({
    GEMEENTE: z
      .string()
      .regex(/^GM\d{4}$/, "GEMEENTE is a CBS code such as GM0363")
      .default("GM0363"),
    PORT: z.coerce.number().int().min(0).max(65535).optional(),
    HOST: z.string().default("127.0.0.1"),
    /** The admin port (/metrics; docs/adr/0009); unset: no admin side. Never the API's port. */
    ADMIN_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    /** Where the admin port listens; keep it on an internal address. */
    ADMIN_HOST: z.string().default("127.0.0.1"),
    DATABASE_URL: z.string().url().optional(),
    /** The node's own login (DATABASE_USER, DATABASE_PASSWORD_FILE), overriding the URL's; see docs/adr/0019. */
    ...databaseLoginSettings,
    DB_SCHEMA: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,62}$/)
      .optional(),
    DB_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
    PGLITE_DIR: z.string().optional(),
    BRP_URL: z.string().url().default("http://localhost:8100/haalcentraal/api/brp"),
    BRP_API_KEY: z.string().optional(),
    /** Required: no default outside `npm start` and the tests, which pass their own issuer. */
    AUTH_ISSUER: z.url({
      error: (i) =>
        i.input === undefined
          ? "required: the URL of the OpenID Connect provider whose tokens this node accepts (npm start and the tests set it for the demo)"
          : "must be a URL",
    }),
    AUTH_AUDIENCE: z.string().default("verwijsindex"),
    AUTH_JWKS_URL: z.string().url().optional(),
    /** The region's gemeenten, `GM0363=Amsterdam,GM0479=Zaanstad,...`; default Regio Amsterdam. */
    REGIO_GEMEENTEN: z.string().optional(),
    /** Organisation categories the region lets signal besides the law's list, comma-separated; default Regio Amsterdam's (kinderopvang). */
    REGIO_EXTRA_DOMEINEN: z.string().optional(),
    /** The region's register of organisations and professionals (JSON, see docs/demo-data.md for its shape). */
    REGISTER_BESTAND: z.string().optional(),
    /** How often a node joined to the region fetches the hub's whole register as a safety net (changes come as events within seconds); 0: only at start and after a missed change. */
    REGISTER_VERVERS_SECONDEN: z.coerce.number().min(0).default(300),
    SIGNAAL_STANDAARD_DUUR_MAANDEN: z.coerce.number().int().min(1).max(24).default(12),
    RETENTIE_INTERVAL_MINUTEN: z.coerce.number().min(0).default(60),
    /**
     * How long audit rows are kept, in whole years after the row (docs/logging.md, "How long audit rows are kept"):
     * the retention job removes older rows from the start of the chain. 0: kept for ever.
     */
    AUDIT_BEWAARTERMIJN_JAREN: z.coerce.number().int().min(0).max(50).default(5),
    /**
     * How often a node joined to the region sends its audit chain head to the hub (when it moved), the anchor that
     * shows rows removed from the end of the chain (docs/adr/0026); 0: never. Rows written after the last anchor are
     * not covered against removal from the end, so keep it short.
     */
    AUDIT_ANKER_INTERVAL_SECONDEN: z.coerce.number().min(0).default(300),
    /** Matchregie: the order of categories in which the region's rule proposes a regievoerder, comma-separated (first leads). */
    MATCHREGIE_DOMEINVOLGORDE: z
      .string()
      .regex(/^[a-z][a-z-]{1,62}(,[a-z][a-z-]{1,62})*$/, "a comma-separated list of categories such as jeugdhulp,onderwijs")
      .optional(),
    /** Matchregie: days after which a match without contact is mailed once to its professionals and flagged (0: no reminders). */
    MATCHREGIE_HERINNERING_DAGEN: z.coerce.number().int().min(0).max(365).default(14),
    /** How often the reminder job runs (0: off). */
    MATCHREGIE_INTERVAL_MINUTEN: z.coerce.number().min(0).default(60),
    // Federation (all optional: without NATS_URL and without an in-process bus the node runs on its own)
    NATS_URL: z.string().optional(),
    /** The node's NATS user (NKey seed) and TLS (infra/nats); the user is named after the gemeente code. */
    ...natsClientSettings,
    BUS_NAMESPACE: z
      .string()
      .regex(/^[a-z][a-z0-9]*$/)
      .default("vi"),
    HUB_URL: z.string().url().default("http://localhost:8000"),
    /** No longer used: a node holds no pseudonym key; the pseudonym service does (docs/adr/0024). Refused when set. */
    REGIO_PSEUDONIEM_SLEUTEL: z.string().optional(),
    KEYS_DIR: z.string().optional(),
    RPC_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
    /** The most received events (meldingen, refs) applied in one transaction: what is waiting, never waited for (docs/adr/0043). */
    MELDINGEN_BATCH: z.coerce.number().int().min(1).max(1000).default(100),
    /**
     * `aan`: the region has a bridge to the national index (services/lvi-bridge, `rpc.brug`); index events carry
     * national pseudonyms too, and youths without a BSN get a verwijsindexservicenummer (docs/national-chain.md).
     */
    LANDELIJK: z.enum(["aan", "uit"]).default("uit"),
    /** How often signals whose national pseudonyms could not be asked (the bridge was down) are tried again (s). */
    LANDELIJK_HERHAAL_SECONDEN: z.coerce.number().int().min(1).max(3600).default(30),
    BRP_MUTATIES_URL: z.string().url().optional(),
    BRP_MUTATIES_INTERVAL_MS: z.coerce.number().int().min(0).default(5000),
    // E-mail (no SMTP_HOST: meldingen are kept but not mailed)
    SMTP_HOST: z.string().optional(),
    SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(1025),
    SMTP_USER: z.string().optional(),
    SMTP_PASS: z.string().optional(),
    SMTP_FROM: z.string().default("Verwijsindex Regio Amsterdam <noreply@verwijsindex.example>"),
    PUBLIC_URL: z.string().url().optional(),
    // Rate limits (requests per minute; 0: none), in memory per node process.
    /** Registrations (POST /signalen) per professional. */
    RATE_LIMIT_REGISTRATIES_PER_MINUUT: z.coerce.number().int().min(0).default(30),
    /** Reads of personal data (signal list and view, client card, inzage) per professional. */
    RATE_LIMIT_PERSOONSGEGEVENS_PER_MINUUT: z.coerce.number().int().min(0).default(120),
    /** Registrations and reads of personal data together, per client address (an organisation's case system may share one). */
    RATE_LIMIT_PER_ADRES_PER_MINUUT: z.coerce.number().int().min(0).default(1200),
    /** Requests with a refused token per client address; when used up, every request from it waits. */
    RATE_LIMIT_MISLUKTE_AANMELDINGEN_PER_MINUUT: z.coerce.number().int().min(0).default(20),
    /**
     * An unusual pattern (docs/adr/0025): at most this many different youths one professional registers on within
     * PATROON_VENSTER_MINUTEN at this node (counted where they sign in, routed registrations too); beyond it refused
     * (429 ONGEBRUIKELIJK_PATROON) and reported to the convenantmanager. 0: no bound.
     */
    PATROON_MAX_JEUGDIGEN: z.coerce.number().int().min(0).default(25),
    /** The sliding window of PATROON_MAX_JEUGDIGEN, in minutes (at most a day; 0: no bound). */
    PATROON_VENSTER_MINUTEN: z.coerce.number().min(0).max(1440).default(60),
    /** Origins whose web pages may call the API (CORS), comma-separated; default none. */
    CORS_ORIGINS: corsOriginsSetting,
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  })
  .superRefine((c, issue) => {
    checkNatsClientSettings(c, issue);
    if (c.REGIO_PSEUDONIEM_SLEUTEL !== undefined) {
      issue.addIssue({
        code: "custom",
        path: ["REGIO_PSEUDONIEM_SLEUTEL"],
        message: "no longer used: a node holds no pseudonym key, it asks the region's pseudonym service (docs/adr/0024); remove it",
      });
    }
    if (c.SMTP_USER && !c.SMTP_PASS) issue.addIssue({ code: "custom", path: ["SMTP_PASS"], message: "required when SMTP_USER is set" });
  });

export type NodeConfig = z.infer<typeof NodeConfigSchema>;

export function parseNodeConfig(env: Record<string, string | undefined>): NodeConfig {
  return parseConfig(NodeConfigSchema, env, "node");
}

/** The setting that makes one process serve several gemeenten (services/node/src/worker-main.ts, docs/adr/0045). */
export const WORKER_GEMEENTEN = "NODE_GEMEENTEN";

/**
 * Settings that name one gemeente's own resource: its ports, its schema or data directory, its address, and the
 * logins that make it that gemeente to NATS and PostgreSQL. In a worker serving several gemeenten they are given per
 * gemeente (`GM0363_PORT`); shared by several, two gemeenten would bind one port or act under one identity.
 */
export const OWN_SETTINGS = [
  "PORT",
  "ADMIN_PORT",
  "PGLITE_DIR",
  "DB_SCHEMA",
  "PUBLIC_URL",
  "DATABASE_USER",
  "DATABASE_PASSWORD_FILE",
  "NATS_NKEY_SEED_FILE",
  "NATS_NKEY_SEED",
  "NATS_TLS_CERT",
  "NATS_TLS_KEY",
] as const;

/**
 * The configuration of each gemeente one worker process serves: `NODE_GEMEENTEN=GM0363,GM0479` lists them; every
 * setting is the shared one (`SMTP_HOST`) unless the gemeente has its own, prefixed with its code (`GM0363_PORT`).
 * Each gemeente keeps its own schema, keys, NATS user and database login, so it can move to a process or machine of
 * its own with the same settings unprefixed. A bad setting names the gemeente it belongs to.
 */
export function parseWorkerConfigs(env: Record<string, string | undefined>): NodeConfig[] {
  const list = (env[WORKER_GEMEENTEN] ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const problems: string[] = [];
  if (list.length === 0) problems.push(`${WORKER_GEMEENTEN}: required, the gemeenten this process serves, such as GM0363,GM0479`);
  for (const code of list) if (!/^GM\d{4}$/.test(code)) problems.push(`${WORKER_GEMEENTEN}: ${code} is not a CBS code such as GM0363`);
  const twice = list.filter((c, i) => list.indexOf(c) !== i);
  if (twice.length) problems.push(`${WORKER_GEMEENTEN}: ${[...new Set(twice)].join(", ")} named more than once`);
  if (env.GEMEENTE) problems.push(`GEMEENTE: not used by a worker (${WORKER_GEMEENTEN} names its gemeenten); remove it`);
  if (list.length > 1) {
    for (const key of OWN_SETTINGS) {
      if (env[key]) problems.push(`${key}: one gemeente's own setting, not shared by ${list.length}; give it per gemeente, such as ${list[0]}_${key}`);
    }
  }
  if (problems.length) throw new ConfigError(`Invalid node worker configuration:\n${problems.map((p) => `  ${p}`).join("\n")}`);
  // Another gemeente's own settings are not this one's: only unprefixed settings are shared.
  const shared = Object.fromEntries(Object.entries(env).filter(([k]) => !/^GM\d{4}_/.test(k)));
  return list.map((code) => {
    const prefix = `${code}_`;
    const own = Object.fromEntries(
      Object.entries(env)
        .filter(([k]) => k.startsWith(prefix))
        .map(([k, v]) => [k.slice(prefix.length), v]),
    );
    return parseConfig(NodeConfigSchema, { ...shared, ...own, GEMEENTE: code }, `node ${code}`);
  });
}
