/**
 * A node needs its token issuer configured: outside `npm start` and the tests (which pass their own) there is
 * no default, and a node started without one exits with a message naming AUTH_ISSUER.
 */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { parseNodeConfig } from "@vi/node";

describe("AUTH_ISSUER", () => {
  it("has no default: the configuration is refused without it, naming the variable", () => {
    expect(() => parseNodeConfig({ GEMEENTE: "GM0363" })).toThrow(/AUTH_ISSUER: required: the URL of the OpenID Connect provider/);
    expect(() => parseNodeConfig({ AUTH_ISSUER: "geen-url" })).toThrow(/AUTH_ISSUER: must be a URL/);
    expect(parseNodeConfig({ AUTH_ISSUER: "https://login.example.nl" }).AUTH_ISSUER).toBe("https://login.example.nl");
  });

  it("a node process started without it exits non-zero with that message, before it opens anything", () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AUTH_") && k !== "DATABASE_URL" && k !== "NATS_URL"));
    const run = spawnSync(process.execPath, ["--import", "tsx", "services/node/src/main.ts"], {
      env: { ...env, PORT: "0" },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("node could not start: Invalid node configuration:");
    expect(run.stderr).toContain("AUTH_ISSUER: required");
  });
});

describe("PATROON_MAX_JEUGDIGEN and PATROON_VENSTER_MINUTEN (an unusual pattern, docs/adr/0025)", () => {
  const base = { AUTH_ISSUER: "https://login.example.nl" };
  it("default to 25 different youths within 60 minutes", () => {
    const c = parseNodeConfig(base);
    expect([c.PATROON_MAX_JEUGDIGEN, c.PATROON_VENSTER_MINUTEN]).toEqual([25, 60]);
  });
  it("take a whole number of youths and a window of at most a day; 0 switches the bound off", () => {
    const c = parseNodeConfig({ ...base, PATROON_MAX_JEUGDIGEN: "0", PATROON_VENSTER_MINUTEN: "1440" });
    expect([c.PATROON_MAX_JEUGDIGEN, c.PATROON_VENSTER_MINUTEN]).toEqual([0, 1440]);
    expect(() => parseNodeConfig({ ...base, PATROON_MAX_JEUGDIGEN: "2.5" })).toThrow(/PATROON_MAX_JEUGDIGEN/);
    expect(() => parseNodeConfig({ ...base, PATROON_MAX_JEUGDIGEN: "-1" })).toThrow(/PATROON_MAX_JEUGDIGEN/);
    expect(() => parseNodeConfig({ ...base, PATROON_VENSTER_MINUTEN: "1441" })).toThrow(/PATROON_VENSTER_MINUTEN/);
  });
});
