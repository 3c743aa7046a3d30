/**
 * Configuration parsed once, at start, from the environment with a zod
 * schema (cross-field checks included, as `superRefine`). An empty variable
 * counts as unset. A bad setting stops the process with a clear message.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

export function parseConfig<S extends z.ZodType>(schema: S, env: Record<string, string | undefined>, what: string): z.infer<S> {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== "")));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".") || "(configuration)"}: ${i.message}`).join("\n");
    throw new ConfigError(`Invalid ${what} configuration:\n${lines}`);
  }
  return parsed.data;
}

/**
 * `CORS_ORIGINS`: a comma-separated list of origins (`https://app.gemeente.nl,http://localhost:5173`), each
 * exactly an origin (scheme, host, optional port; no path, no trailing slash, no `*`). Empty: no origin.
 */
export const corsOriginsSetting = z
  .string()
  .optional()
  .transform((v, issue) => {
    const list = (v ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    for (const o of list) {
      let origin: string | undefined;
      try {
        origin = new URL(o).origin;
      } catch {
        origin = undefined;
      }
      if (origin !== o || !/^https?:/.test(o)) issue.addIssue({ code: "custom", message: `${o} is not an origin such as https://app.gemeente.nl` });
    }
    return list;
  });

/**
 * How a service logs in to NATS (infra/nats, docs/adr/0018): its user's NKey seed (`SU…`) from a file (a
 * mounted secret) or the variable itself, and TLS: the CA that signed the server's certificate, and a client
 * certificate and key when the server asks for one. Without a seed the connection is anonymous, which only a
 * development server without accounts accepts.
 */
export const natsClientSettings = {
  NATS_NKEY_SEED_FILE: z.string().optional(),
  NATS_NKEY_SEED: z
    .string()
    .regex(/^SU[A-Z2-7]{56}$/, "NATS_NKEY_SEED must be a NATS user seed (SU… , 58 characters)")
    .optional(),
  NATS_TLS_CA: z.string().optional(),
  NATS_TLS_CERT: z.string().optional(),
  NATS_TLS_KEY: z.string().optional(),
};

/** The cross-field rules of natsClientSettings, for a schema's superRefine. */
export function checkNatsClientSettings(
  c: { NATS_NKEY_SEED_FILE?: string; NATS_NKEY_SEED?: string; NATS_TLS_CERT?: string; NATS_TLS_KEY?: string },
  issue: z.RefinementCtx,
): void {
  if (c.NATS_NKEY_SEED_FILE && c.NATS_NKEY_SEED) {
    issue.addIssue({ code: "custom", path: ["NATS_NKEY_SEED"], message: "set NATS_NKEY_SEED_FILE or NATS_NKEY_SEED, not both" });
  }
  if (Boolean(c.NATS_TLS_CERT) !== Boolean(c.NATS_TLS_KEY)) {
    issue.addIssue({ code: "custom", path: ["NATS_TLS_KEY"], message: "NATS_TLS_CERT and NATS_TLS_KEY go together" });
  }
}

/** A service's own database login (packages/db/src/roles.ts): its role, and its password from a file (a mounted secret). */
export const databaseLoginSettings = {
  DATABASE_USER: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,62}$/, "DATABASE_USER: a lower-case role name such as vi_gm0363")
    .optional(),
  DATABASE_PASSWORD_FILE: z.string().optional(),
};

/** The user and password of databaseLoginSettings for openDatabase; reads the password file. */
export function databaseLogin(c: { DATABASE_USER?: string; DATABASE_PASSWORD_FILE?: string }): { user?: string; password?: string } {
  let password: string | undefined;
  if (c.DATABASE_PASSWORD_FILE) {
    try {
      password = readFileSync(c.DATABASE_PASSWORD_FILE, "utf8").trim();
    } catch (e) {
      throw new ConfigError(`DATABASE_PASSWORD_FILE ${c.DATABASE_PASSWORD_FILE} cannot be read: ${(e as Error).message}`);
    }
  }
  return { ...(c.DATABASE_USER ? { user: c.DATABASE_USER } : {}), ...(password !== undefined ? { password } : {}) };
}
