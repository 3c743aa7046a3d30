/**
 * Starting and stopping the reference national index: open the database (its own schema, migrations set
 * `landelijk`), load its TLS material (files or the dev CA), serve the API over HTTPS with mutual TLS, deliver
 * matches to the bridges. On stop: refuse new work, close HTTPS, finish the delivery round, close the database.
 */
import { X509Certificate } from "node:crypto";
import { dbReplayGuard, migrate, nationalTables, openDatabase, type Database } from "@vi/db";
import { FscMetrics, loadTls, oinOf, startFscServer, type TlsMaterial } from "@vi/fsc";
import { createLogger, databaseLogin, type Logger, serveHttp, startWithCleanups, stopHttpServer } from "@vi/service";
import { sql } from "drizzle-orm";
import type { NationalIndexConfig } from "./config";
import type { NationalContext } from "./context";
import { API_VERSION, createNationalAdminApp, createNationalApp } from "./http/app";
import { startDeliveries } from "./deliveries";
import { createRelay } from "./relay";

export interface StartNationalIndexOptions {
  config: NationalIndexConfig;
  database?: Database;
  /** TLS material (tests); default from TLS_* or DEV_CA_DIR. */
  tls?: TlsMaterial;
  log?: Logger;
  now?: () => Date;
}

export interface RunningNationalIndex {
  url: string;
  port: number;
  adminUrl?: string;
  oin: string;
  ctx: NationalContext;
  /** Delivers what is pending now (tests wait on it). */
  deliver(): Promise<void>;
  stop(): Promise<void>;
}

export async function startNationalIndex(opts: StartNationalIndexOptions): Promise<RunningNationalIndex> {
  const { config } = opts;
  const log = opts.log ?? createLogger(config.LOG_LEVEL, "landelijke-index");
  return startWithCleanups(log, async (cleanups) => {
    const database =
      opts.database ??
      (await openDatabase({
        url: config.DATABASE_URL,
        dataDir: config.PGLITE_DIR,
        max: config.DB_POOL_MAX,
        applicationName: "landelijke-index",
        ...databaseLogin(config),
      }));
    if (!opts.database) cleanups.push("database", () => database.close());
    const schema = config.DB_SCHEMA;
    const applied = await migrate(database.db, schema, "landelijk");
    if (applied.length) log.info({ migrations: applied, schema }, "migrations applied");
    const tls = opts.tls ?? loadTls(config, "landelijke-index");
    const oin = oinOf(new X509Certificate(tls.identity.cert));
    if (!oin) throw new Error("the national index's certificate has no OIN in its subject serialNumber");

    let deliveries: ReturnType<typeof startDeliveries> | undefined;
    const ctx: NationalContext = {
      db: database.db,
      t: nationalTables(schema),
      schema,
      config,
      log,
      tls,
      oin,
      bridges: new Map(config.BRUGGEN.map((b) => [b.regio, b])),
      regioOf: new Map(config.BRUGGEN.map((b) => [b.oin, b.regio])),
      metrics: new FscMetrics(),
      figures: { records: 0, matches: 0, delivered: 0, deliveryFailures: 0, relayed: 0 },
      now: opts.now ?? (() => new Date()),
      kick: () => deliveries?.kick(),
    };
    deliveries = startDeliveries(ctx);
    cleanups.push("deliveries", () => deliveries!.stop());

    const relay = createRelay(ctx);
    cleanups.push("relay", () => relay.close());
    let ready = true;
    const app = createNationalApp({
      ctx,
      relay,
      nonces: dbReplayGuard(database.db, ctx.t.ontvangenEvents),
      isReady: () => ready,
      ping: async () => void (await database.db.execute(sql`select 1`)),
    });
    const started = await startFscServer({ fetch: app.fetch, port: config.PORT, hostname: config.HOST, tls });
    cleanups.push("https", () => stopHttpServer(started.server as never));
    let adminUrl: string | undefined;
    if (config.ADMIN_PORT !== undefined) {
      const admin = await serveHttp(cleanups, log, "admin", {
        fetch: createNationalAdminApp(ctx, log).fetch,
        port: config.ADMIN_PORT,
        hostname: config.ADMIN_HOST,
        apiVersion: API_VERSION,
      });
      adminUrl = admin.url;
    }
    deliveries.kick();
    log.info({ port: started.port, oin, database: database.kind, schema, bruggen: config.BRUGGEN.map((b) => b.regio) }, "national index started");
    let stopped: Promise<void> | undefined;
    return {
      url: `https://localhost:${started.port}`,
      port: started.port,
      adminUrl,
      oin,
      ctx,
      deliver: () => deliveries!.flush(),
      stop() {
        stopped ??= (async () => {
          ready = false;
          await cleanups.run();
          log.info("national index stopped");
        })();
        return stopped;
      },
    };
  });
}
