/**
 * Where the integration tests find PostgreSQL (test/support/global-setup.ts):
 * DATABASE_URL; else a testcontainers PostgreSQL where a Docker engine runs;
 * else the machine's own PostgreSQL on its usual address. Only when none
 * answers do the suites fail, saying what is missing.
 */
import { afterEach, describe, expect, it } from "vitest";
import setup from "./support/global-setup";

const saved = {
  DATABASE_URL: process.env.DATABASE_URL,
  DOCKER_HOST: process.env.DOCKER_HOST,
  TESTCONTAINERS_RYUK_DISABLED: process.env.TESTCONTAINERS_RYUK_DISABLED,
};
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

/** Runs the global setup as vitest would; returns what it provides. */
async function provided(): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  const teardown = await setup({ provide: (k: string, v: string) => void (values[k] = v) } as never);
  await teardown?.();
  return values;
}

describe("the integration tests' PostgreSQL", () => {
  it("without DATABASE_URL and without a Docker engine, it is the machine's PostgreSQL on 127.0.0.1:5432", async () => {
    delete process.env.DATABASE_URL;
    process.env.DOCKER_HOST = "unix:///nonexistent/docker.sock";
    const values = await provided();
    expect(values).toEqual({ databaseUrl: "postgres://postgres@127.0.0.1:5432/postgres", databaseProblem: "" });
  }, 60_000);

  it("DATABASE_URL still overrides", async () => {
    process.env.DATABASE_URL = "postgres://someone@db.example:6543/elsewhere";
    expect((await provided()).databaseUrl).toBe("postgres://someone@db.example:6543/elsewhere");
  });
});
