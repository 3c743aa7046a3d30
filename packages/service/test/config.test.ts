import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ConfigError, parseConfig } from "../src/index";

const schema = z
  .object({
    PORT: z.coerce.number().int().min(1).max(65535).default(8000),
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
    DATABASE_URL: z.url(),
    NATS_URL: z.string().optional(),
    FEDERATIE: z.enum(["aan", "uit"]).default("uit"),
  })
  .superRefine((cfg, ctx) => {
    if (cfg.FEDERATIE === "aan" && !cfg.NATS_URL) ctx.addIssue({ code: "custom", path: ["NATS_URL"], message: "required when FEDERATIE=aan" });
  });

const DB = "postgres://vi@localhost:5432/vi";

function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    parseConfig(schema, env, "node");
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error("expected a ConfigError");
}

describe("parseConfig", () => {
  it("applies the defaults of unset variables", () => {
    expect(parseConfig(schema, { DATABASE_URL: DB }, "node")).toEqual({ PORT: 8000, LOG_LEVEL: "info", DATABASE_URL: DB, FEDERATIE: "uit" });
  });

  it("treats an empty variable as unset, so its default applies", () => {
    expect(parseConfig(schema, { DATABASE_URL: DB, PORT: "", LOG_LEVEL: "", NATS_URL: "" }, "node")).toEqual({
      PORT: 8000,
      LOG_LEVEL: "info",
      DATABASE_URL: DB,
      FEDERATIE: "uit",
    });
  });

  it("treats an undefined variable as unset", () => {
    expect(parseConfig(schema, { DATABASE_URL: DB, PORT: undefined }, "node").PORT).toBe(8000);
  });

  it("uses the values that are set, coerced by the schema", () => {
    const cfg = parseConfig(schema, { DATABASE_URL: DB, PORT: "8123", LOG_LEVEL: "debug" }, "node");
    expect(cfg.PORT).toBe(8123);
    expect(cfg.LOG_LEVEL).toBe("debug");
  });

  it("ignores the rest of the environment", () => {
    expect(parseConfig(schema, { DATABASE_URL: DB, PATH: "/usr/bin", HOME: "/root" }, "node")).not.toHaveProperty("PATH");
  });

  it("an empty required variable counts as missing", () => {
    const e = configError({ DATABASE_URL: "" });
    expect(e.message).toMatch(/^ {2}DATABASE_URL: /m);
  });

  it("reports every bad variable by name in one ConfigError", () => {
    const e = configError({ PORT: "abc", LOG_LEVEL: "loud" });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe("ConfigError");
    expect(e.message.startsWith("Invalid node configuration:\n")).toBe(true);
    const named = e.message
      .split("\n")
      .slice(1)
      .map((l) => l.trim().split(":")[0]);
    expect(named.sort()).toEqual(["DATABASE_URL", "LOG_LEVEL", "PORT"]);
  });

  it("includes the cross-field issues of superRefine", () => {
    const e = configError({ DATABASE_URL: DB, FEDERATIE: "aan" });
    expect(e.message).toBe("Invalid node configuration:\n  NATS_URL: required when FEDERATIE=aan");
  });

  it("accepts the cross-field case once it is satisfied", () => {
    expect(parseConfig(schema, { DATABASE_URL: DB, FEDERATIE: "aan", NATS_URL: "nats://localhost:4222" }, "node").NATS_URL).toBe("nats://localhost:4222");
  });

  it("names an issue of the configuration as a whole (configuration)", () => {
    const whole = z
      .object({ A: z.string().optional(), B: z.string().optional() })
      .refine((c) => Boolean(c.A) !== Boolean(c.B), { message: "set exactly one of A and B" });
    expect(() => parseConfig(whole, {}, "hub")).toThrow("Invalid hub configuration:\n  (configuration): set exactly one of A and B");
  });
});
