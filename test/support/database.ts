/**
 * A fresh PostgreSQL database per test suite (never a shared, seeded one).
 * Fails loudly, never skips, when no PostgreSQL is available.
 *
 * `createDatabase` needs no vitest (the benchmark uses it too); only
 * `createTestDatabase` asks vitest for the server the global setup found.
 */
import postgres from "postgres";
import { randomBytes } from "node:crypto";

async function requireDatabaseUrl(): Promise<string> {
  const { inject } = await import("vitest");
  const url = inject("databaseUrl");
  if (!url) throw new Error(inject("databaseProblem") || "No PostgreSQL available for the integration tests (DATABASE_URL not set).");
  return url;
}

export interface CreatedDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** Creates `<prefix>_<random>` on the server of `adminUrl`; `drop()` removes it, connections and all. */
export async function createDatabase(adminUrl: string, prefix: string): Promise<CreatedDatabase> {
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE "${name}"`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return {
    name,
    url: u.toString(),
    async drop() {
      const a = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await a.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await a.end();
    },
  };
}

/** A database of its own on the PostgreSQL of the integration tests (test/support/global-setup.ts). */
export async function createTestDatabase(prefix = "vi_test"): Promise<CreatedDatabase> {
  return createDatabase(await requireDatabaseUrl(), prefix);
}
