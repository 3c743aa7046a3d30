/**
 * One process serving several municipal nodes (services/node/src/worker-main.ts, docs/adr/0045): which settings each
 * gemeente gets, what is refused, and that a failed start leaves nothing running. The worker serving a region under
 * load and surviving kill -9 is test/faults/node-worker-kill.test.ts.
 */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { type NodeConfig, parseWorkerConfigs, type RunningNode, startNodes } from "@vi/node";

const base = { AUTH_ISSUER: "https://login.example.nl", SMTP_HOST: "smtp.example.nl" };

describe("parseWorkerConfigs", () => {
  it("gives each gemeente the shared settings, overridden by its own (GM0363_PORT), never another gemeente's", () => {
    const [ams, zaan] = parseWorkerConfigs({
      ...base,
      NODE_GEMEENTEN: "GM0363, GM0479",
      GM0363_PORT: "8363",
      GM0363_DB_SCHEMA: "amsterdam",
      GM0363_SMTP_HOST: "smtp.amsterdam.nl",
      GM0479_PORT: "8479",
      GM0479_DATABASE_USER: "vi_gm0479",
    });
    expect([ams!.GEMEENTE, ams!.PORT, ams!.DB_SCHEMA, ams!.SMTP_HOST, ams!.DATABASE_USER]).toEqual([
      "GM0363",
      8363,
      "amsterdam",
      "smtp.amsterdam.nl",
      undefined,
    ]);
    expect([zaan!.GEMEENTE, zaan!.PORT, zaan!.DB_SCHEMA, zaan!.SMTP_HOST, zaan!.DATABASE_USER]).toEqual([
      "GM0479",
      8479,
      undefined,
      "smtp.example.nl",
      "vi_gm0479",
    ]);
    expect(ams!.AUTH_ISSUER).toBe("https://login.example.nl");
  });

  it("a single gemeente may take its own settings unprefixed, as main.ts would", () => {
    const [only] = parseWorkerConfigs({ ...base, NODE_GEMEENTEN: "GM0384", PORT: "8384", DB_SCHEMA: "diemen" });
    expect([only!.GEMEENTE, only!.PORT, only!.DB_SCHEMA]).toEqual(["GM0384", 8384, "diemen"]);
  });

  it("refuses a missing or bad list, a gemeente named twice, GEMEENTE, and a gemeente's own setting shared by several", () => {
    expect(() => parseWorkerConfigs(base)).toThrow(/NODE_GEMEENTEN: required/);
    expect(() => parseWorkerConfigs({ ...base, NODE_GEMEENTEN: "GM0363,Amsterdam" })).toThrow(/Amsterdam is not a CBS code/);
    expect(() => parseWorkerConfigs({ ...base, NODE_GEMEENTEN: "GM0363,GM0479,GM0363" })).toThrow(/GM0363 named more than once/);
    expect(() => parseWorkerConfigs({ ...base, NODE_GEMEENTEN: "GM0363", GEMEENTE: "GM0363" })).toThrow(/GEMEENTE: not used by a worker/);
    for (const key of ["PORT", "ADMIN_PORT", "DB_SCHEMA", "PGLITE_DIR", "DATABASE_USER", "NATS_NKEY_SEED_FILE", "PUBLIC_URL"]) {
      const value = key.endsWith("PORT") ? "8000" : key === "PUBLIC_URL" ? "https://vi.example.nl" : "x";
      expect(() => parseWorkerConfigs({ ...base, NODE_GEMEENTEN: "GM0363,GM0479", [key]: value }), key).toThrow(
        new RegExp(`${key}: one gemeente's own setting, not shared by 2; give it per gemeente, such as GM0363_${key}`),
      );
    }
  });

  it("a bad setting of one gemeente names that gemeente", () => {
    expect(() => parseWorkerConfigs({ ...base, NODE_GEMEENTEN: "GM0363,GM0479", GM0479_PORT: "negentig" })).toThrow(
      /Invalid node GM0479 configuration:\n {2}PORT/,
    );
  });

  it("a worker process with a bad setting exits non-zero with that message before it opens anything", () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== "DATABASE_URL" && k !== "NATS_URL" && k !== "GEMEENTE"));
    const run = spawnSync(process.execPath, ["--import", "tsx", "services/node/src/worker-main.ts"], {
      env: { ...env, ...base, NODE_GEMEENTEN: "GM0363,GM0479", PORT: "0" },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("node worker could not start: Invalid node worker configuration:");
    expect(run.stderr).toContain("PORT: one gemeente's own setting");
  });
});

describe("startNodes", () => {
  const configs = parseWorkerConfigs({ ...base, NODE_GEMEENTEN: "GM0363,GM0479,GM0384" });
  const fakeNode = (config: NodeConfig, stopped: string[]): RunningNode =>
    ({
      url: `http://127.0.0.1:${config.GEMEENTE.slice(2)}`,
      stop: async () => {
        stopped.push(config.GEMEENTE);
      },
    }) as unknown as RunningNode;

  it("starts the gemeenten in order and stops them all", async () => {
    const started: string[] = [];
    const stopped: string[] = [];
    const running = await startNodes(configs, async ({ config }) => {
      started.push(config.GEMEENTE);
      return fakeNode(config, stopped);
    });
    expect(started).toEqual(["GM0363", "GM0479", "GM0384"]);
    expect(running.nodes).toHaveLength(3);
    await running.stop();
    expect(stopped.sort()).toEqual(["GM0363", "GM0384", "GM0479"]);
  });

  it("when one cannot start, stops those already started and names the gemeente that failed", async () => {
    const stopped: string[] = [];
    const attempt = startNodes(configs, async ({ config }) => {
      if (config.GEMEENTE === "GM0479") throw new Error("database unreachable");
      return fakeNode(config, stopped);
    });
    await expect(attempt).rejects.toThrow("GM0479: database unreachable");
    expect(stopped).toEqual(["GM0363"]);
  });
});
