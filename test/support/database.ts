/**
 * A fresh PostgreSQL database per test suite (never a shared, seeded one).
 * Fails loudly, never skips, when no PostgreSQL is available.
 */
import { inject } from "vitest";
import postgres from "postgres";
import { randomBytes } from "node:crypto";

export function requireDatabaseUrl(): string {
  const url = inject("databaseUrl");
  if (!url) throw new Error(inject("databaseProblem") || "No PostgreSQL available for the integration tests (DATABASE_URL not set).");
  return url;
}

export async function createTestDatabase(prefix = "vi_test"): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = requireDatabaseUrl();
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE "${name}"`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const a = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await a.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await a.end();
    },
  };
}
