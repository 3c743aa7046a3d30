/**
 * Starting and stopping one municipal node: open the database, migrate under
 * an advisory lock, load the registry, serve HTTP, run the retention job.
 * On stop: refuse new work, close the server, end the pool.
 */
import { serve, type ServerType } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import pino, { type Logger } from "pino";
import { createBrpClient, type BrpClient } from "@vi/brp";
import { createTokenVerifier, type TokenVerifier } from "@vi/auth";
import { migrate, nodeTables, openDatabase, type Database } from "@vi/db";
import { GEMEENTEN, gemeenteByCode } from "@vi/demo";
import { systemClock, type Clock } from "@vi/domain";
import { createApp } from "./app";
import type { NodeConfig } from "./config";
import type { NodeContext } from "./context";
import { demoRegistry } from "./demo";
import { runRetention } from "./logic/retention";
import { loadRegistry } from "./logic/seed";

export interface StartOptions {
  config: NodeConfig;
  /** Overrides for tests and the all-in-one starter. */
  database?: Database;
  verifier?: TokenVerifier;
  brp?: BrpClient;
  clock?: Clock;
  log?: Logger;
}

export interface RunningNode {
  url: string;
  port: number;
  ctx: NodeContext;
  stop(): Promise<void>;
}

export const REDACT_PATHS = ["bsn", "*.bsn", "*.*.bsn", "req.headers.authorization", "authorization"];

export function createLogger(level: string, name: string, destination?: pino.DestinationStream): Logger {
  const options = { name, level, redact: { paths: REDACT_PATHS, censor: "[verborgen]" } };
  return destination ? pino(options, destination) : pino(options);
}

export async function startNode(opts: StartOptions): Promise<RunningNode> {
  const { config } = opts;
  const gemeente = gemeenteByCode(config.GEMEENTE) ?? { code: config.GEMEENTE, naam: config.GEMEENTE, cbs: config.GEMEENTE.slice(2), port: 8000 + Number(config.GEMEENTE.slice(2)) };
  const log = opts.log ?? createLogger(config.LOG_LEVEL, `node-${gemeente.code}`);
  const schemaName = config.DB_SCHEMA ?? gemeente.code.toLowerCase();
  const ownsDatabase = !opts.database;
  const database =
    opts.database ?? (await openDatabase({ url: config.DATABASE_URL, dataDir: config.PGLITE_DIR, applicationName: `node-${gemeente.code}` }));
  const applied = await migrate(database.db, schemaName);
  if (applied.length) log.info({ migrations: applied, schema: schemaName }, "migrations applied");
  const t = nodeTables(schemaName);
  if (config.DEMO_DATA) await loadRegistry(database.db, t, demoRegistry(gemeente.code));

  const ownsBrp = !opts.brp;
  const brp = opts.brp ?? createBrpClient({ baseUrl: config.BRP_URL, apiKey: config.BRP_API_KEY });
  const verifier =
    opts.verifier ??
    createTokenVerifier({
      issuer: config.AUTH_ISSUER,
      audience: config.AUTH_AUDIENCE,
      jwksUrl: config.AUTH_JWKS_URL ?? `${config.AUTH_ISSUER}/jwks.json`,
    });
  const ctx: NodeContext = {
    db: database.db,
    t,
    brp,
    clock: opts.clock ?? systemClock,
    log,
    gemeente: { code: gemeente.code, naam: gemeente.naam },
    regioGemeenten: GEMEENTEN.map((g) => g.code),
    standaardDuurMaanden: config.SIGNAAL_STANDAARD_DUUR_MAANDEN,
  };

  let ready = true;
  const app = createApp({ ctx, verifier, isReady: () => ready });
  const port = config.PORT ?? gemeente.port;
  const server: ServerType = serve({ fetch: app.fetch, port, hostname: config.HOST });
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const actualPort = (server.address() as AddressInfo).port;

  let retentionTimer: NodeJS.Timeout | undefined;
  let retentionRunning: Promise<unknown> | undefined;
  const retention = () => {
    retentionRunning = runRetention(ctx).catch((err: Error) => log.error({ err: { message: err.message } }, "retention run failed"));
  };
  if (config.RETENTIE_INTERVAL_MINUTEN > 0) {
    retention();
    retentionTimer = setInterval(retention, config.RETENTIE_INTERVAL_MINUTEN * 60_000);
    retentionTimer.unref();
  }

  log.info({ port: actualPort, gemeente: gemeente.code, database: database.kind, schema: schemaName }, "node listening");
  return {
    url: `http://localhost:${actualPort}`,
    port: actualPort,
    ctx,
    async stop() {
      ready = false;
      if (retentionTimer) clearInterval(retentionTimer);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
      });
      await retentionRunning;
      if (ownsBrp) await brp.close();
      if (ownsDatabase) await database.close();
      log.info("node stopped");
    },
  };
}
