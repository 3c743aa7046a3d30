/**
 * Opens the database a service uses: PostgreSQL through postgres.js when a URL
 * is given, else an embedded PGlite (the zero-setup default of the quickstart).
 * Both are driven through drizzle and pass the same contract tests.
 */
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";

// biome-ignore lint/suspicious/noExplicitAny: drizzle's schema parameter; every service passes its own tables
export type Db = PgDatabase<PgQueryResultHKT, Record<string, never>, any>;

export interface Database {
  db: Db;
  kind: "postgres" | "pglite";
  close(): Promise<void>;
}

export interface OpenOptions {
  /** postgres://... ; when absent an embedded PGlite is used. */
  url?: string;
  /** PGlite data directory; in memory when absent. */
  dataDir?: string;
  /** Pool size for postgres.js. */
  max?: number;
  /** Application name shown in pg_stat_activity. */
  applicationName?: string;
  /** The login (overrides the URL's): a service's own role (packages/db/src/roles.ts). */
  user?: string;
  /** Its password (overrides the URL's), e.g. read from a mounted secret file. */
  password?: string;
}

export async function openDatabase(opts: OpenOptions = {}): Promise<Database> {
  if (opts.url) {
    const { default: postgres } = await import("postgres");
    const { drizzle } = await import("drizzle-orm/postgres-js");
    const client = postgres(opts.url, {
      max: opts.max ?? 10,
      onnotice: () => {},
      connection: { application_name: opts.applicationName ?? "verwijsindex" },
      ...(opts.user ? { username: opts.user } : {}),
      ...(opts.password !== undefined ? { password: opts.password } : {}),
    });
    const db = drizzle(client) as unknown as Db;
    return { db, kind: "postgres", close: () => client.end({ timeout: 5 }) };
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const client = opts.dataDir ? new PGlite(opts.dataDir) : new PGlite();
  await client.waitReady;
  const db = drizzle(client) as unknown as Db;
  return { db, kind: "pglite", close: () => client.close() };
}
