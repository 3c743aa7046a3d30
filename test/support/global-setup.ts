/**
 * Finds the PostgreSQL server the integration tests use, once per run.
 *
 * Order: DATABASE_URL from the environment; else a PostgreSQL container via
 * testcontainers where a Docker engine answers. Where neither is available the
 * integration suites fail (they never skip) with a message saying what is missing.
 */
import type { TestProject } from "vitest/node";

export default async function setup(project: TestProject) {
  let url = process.env.DATABASE_URL;
  let stop: (() => Promise<void>) | undefined;
  let problem = "";
  if (!url) {
    try {
      const { GenericContainer, Wait } = await import("testcontainers");
      const c = await new GenericContainer("postgres:16-alpine")
        .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: "trust" })
        .withExposedPorts(5432)
        .withWaitStrategy(Wait.forLogMessage(/ready to accept connections/, 2))
        .withStartupTimeout(60_000)
        .start();
      url = `postgres://postgres@${c.getHost()}:${c.getMappedPort(5432)}/postgres`;
      stop = async () => void (await c.stop());
    } catch (e) {
      problem =
        "No PostgreSQL for the integration tests: DATABASE_URL is not set and testcontainers found no working Docker engine " +
        `(${(e as Error).message.split("\n")[0]}). Set DATABASE_URL=postgres://user@host:5432/db (bash .ci/run does this).`;
    }
  }
  project.provide("databaseUrl", url ?? "");
  project.provide("databaseProblem", problem);
  return async () => {
    await stop?.();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    databaseProblem: string;
  }
}
