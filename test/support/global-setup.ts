/**
 * Finds the PostgreSQL server the integration tests use, once per run.
 *
 * Order: DATABASE_URL from the environment; else a PostgreSQL container via
 * testcontainers where a Docker engine answers; else the machine's own
 * PostgreSQL on its usual address (LOCAL_DATABASE_URL). Where none is
 * available the integration suites fail (they never skip) with a message
 * saying what is missing.
 */
import postgres from "postgres";
import type { TestProject } from "vitest/node";

/** The machine's PostgreSQL on its usual address, as on the development machines and in CI. */
export const LOCAL_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/postgres";

async function answers(url: string): Promise<boolean> {
  const sql = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 }).catch(() => {});
  }
}

export default async function setup(project: TestProject) {
  let url = process.env.DATABASE_URL;
  let stop: (() => Promise<void>) | undefined;
  let problem = "";
  if (!url) {
    let docker = "";
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
      docker = (e as Error).message.split("\n")[0] ?? "";
    }
    if (!url && (await answers(LOCAL_DATABASE_URL))) url = LOCAL_DATABASE_URL;
    if (!url) {
      problem =
        "No PostgreSQL for the integration tests: DATABASE_URL is not set, testcontainers found no working Docker engine " +
        `(${docker}), and nothing answers at ${LOCAL_DATABASE_URL}. Set DATABASE_URL=postgres://user@host:5432/db (bash .ci/run does this).`;
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
