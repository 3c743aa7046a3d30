/**
 * Opens the database a service uses: PostgreSQL through postgres.js when a URL
 * is given, else an embedded PGlite (the zero-setup default of the quickstart).
 * Both are driven through drizzle and pass the same contract tests.
 */
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type { Sql } from "postgres";

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
    const db = drizzle(preparing(client)) as unknown as Db;
    return { db, kind: "postgres", close: () => client.end({ timeout: 5 }) };
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const client = opts.dataDir ? new PGlite(opts.dataDir) : new PGlite();
  await client.waitReady;
  const db = drizzle(client) as unknown as Db;
  return { db, kind: "pglite", close: () => client.close() };
}

type Unsafe = Sql["unsafe"];
type Callback = (sql: Sql) => unknown;

/**
 * The client drizzle drives, with every parameterised query a named prepared statement (docs/adr/0040). drizzle
 * asks postgres.js for an unnamed statement unless a query is `.prepare()`d by name, and postgres.js then sends
 * each one as Parse/Describe, waits, and Bind/Execute: two round trips, and a fresh parse and plan every time.
 * Prepared, a statement is parsed once per connection and later runs in one round trip. postgres.js keys its
 * cache by the SQL text, so the same query shape from anywhere reuses it; the server keeps the statements until
 * the connection ends (postgres.js renews connections after 30 to 60 minutes). Queries without parameters stay on
 * the simple protocol (a migration's several statements). Transactions and savepoints get the same client.
 */
export function preparing(sql: Sql): Sql {
  return new Proxy(sql, {
    get(target, prop) {
      if (prop === "unsafe") {
        const unsafe: Unsafe = (query, params, options) => target.unsafe(query, params, { ...options, prepare: true });
        return unsafe;
      }
      if (prop === "begin" || prop === "savepoint") {
        const open = Reflect.get(target, prop) as (...args: unknown[]) => Promise<unknown>;
        return (...args: unknown[]) => {
          const callback = args.pop() as Callback;
          return open(...args, (inner: Sql) => callback(preparing(inner)));
        };
      }
      return Reflect.get(target, prop);
    },
  });
}
