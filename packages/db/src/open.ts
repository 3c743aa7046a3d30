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
  /**
   * Named prepared statements for drizzle's queries (default true; `DB_PREPARE=uit` turns them off, for a comparison in
   * the benchmark). See `preparing` below.
   */
  prepare?: boolean;
}

/**
 * Statements with more parameters than this are not prepared: their text varies with the number of rows or values
 * (bulk inserts, long `in` lists), and each variant would stay in the connection's statement cache.
 */
export const PREPARE_MAX_PARAMS = 64;

/**
 * drizzle hands every query to postgres.js as `unsafe(text, params, { prepare: false })` unless the query was given a
 * name with `.prepare(name)`. Unprepared, postgres.js sends Parse and Describe, waits for the parameter types, then
 * sends Bind and Execute: two round trips, a parse and a plan per statement, and nothing pipelined. This wrapper asks
 * postgres.js to prepare each statement instead: it is parsed once per connection (keyed by its text and types) and
 * then costs one round trip (docs/adr/0044). Transactions and savepoints hand their callback a wrapped client too.
 * The server re-plans a prepared statement when a table it uses changes or `search_path` differs, and postgres.js
 * forgets its statements when a connection is replaced.
 */
// biome-ignore lint/suspicious/noExplicitAny: postgres.js's client is a callable object with generic methods
function preparing<T extends (...args: any[]) => any>(client: T): T {
  return new Proxy(client, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as (...args: unknown[]) => unknown;
      if (prop === "unsafe") {
        return (text: string, params: unknown[] = [], options: Record<string, unknown> = {}) =>
          value.call(target, text, params, { ...options, prepare: params.length <= PREPARE_MAX_PARAMS });
      }
      if (prop === "begin" || prop === "savepoint") {
        // biome-ignore lint/suspicious/noExplicitAny: the callback receives a client of the same kind
        return (...args: any[]) => {
          const cb = args.pop() as (c: T) => unknown;
          return value.call(target, ...args, (inner: T) => cb(preparing(inner)));
        };
      }
      return value;
    },
  });
}

/**
 * Seconds before a lost connection is opened again, after `attempt` failed attempts in a row (postgres.js's `backoff`).
 * postgres.js waits 3^attempt / 100 s, up to 20 s, with one attempt count for the whole pool that only a successful
 * connection resets: after a burst of lost connections (a database restart, a failover) a statement waiting for a
 * connection could wait up to 20 s, and a consumer's transaction with it (docs/performance.md, "Fault tests"). Here the
 * wait doubles from 50 ms to at most one second, with jitter so a pool's connections do not all return at once.
 */
export function reconnectDelayS(attempt: number, random: () => number = Math.random): number {
  return Math.min(0.05 * 2 ** Math.max(0, attempt), 1) * (0.5 + random() / 2);
}

export async function openDatabase(opts: OpenOptions = {}): Promise<Database> {
  if (opts.url) {
    const { default: postgres } = await import("postgres");
    const { drizzle } = await import("drizzle-orm/postgres-js");
    const client = postgres(opts.url, {
      max: opts.max ?? 10,
      onnotice: () => {},
      backoff: reconnectDelayS,
      connection: { application_name: opts.applicationName ?? "verwijsindex" },
      ...(opts.user ? { username: opts.user } : {}),
      ...(opts.password !== undefined ? { password: opts.password } : {}),
    });
    const db = drizzle((opts.prepare ?? process.env.DB_PREPARE !== "uit") ? preparing(client) : client) as unknown as Db;
    return { db, kind: "postgres", close: () => client.end({ timeout: 5 }) };
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const client = opts.dataDir ? new PGlite(opts.dataDir) : new PGlite();
  await client.waitReady;
  const db = drizzle(client) as unknown as Db;
  return { db, kind: "pglite", close: () => client.close() };
}
