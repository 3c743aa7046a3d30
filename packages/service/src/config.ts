/**
 * Configuration parsed once, at start, from the environment with a zod
 * schema (cross-field checks included, as `superRefine`). An empty variable
 * counts as unset. A bad setting stops the process with a clear message.
 */
import type { z } from "zod";

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
