/**
 * Configuration parsed once, at start, from the environment with a zod
 * schema (cross-field checks included, as `superRefine`). An empty variable
 * counts as unset. A bad setting stops the process with a clear message.
 */
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
