/**
 * Starting and stopping one municipal node: open the database, migrate under
 * an advisory lock, load the registry, serve HTTP, run the retention job.
 * On stop: refuse new work, close the server, end the pool.
 */
import pino, { type Logger } from "pino";
import { createBrpClient, type BrpClient } from "@vi/brp";
import { createTokenVerifier, type TokenVerifier } from "@vi/auth";
import { migrate, nodeTables, openDatabase, type Database } from "@vi/db";
import { GEMEENTEN, gemeenteByCode } from "@vi/demo";
import { systemClock, type Clock } from "@vi/domain";
import { join } from "node:path";
import { connectNatsBus, type Bus } from "@vi/bus";
import { EventMetrics, fileKeyStore, loadOrCreateServiceKeys, memoryKeyStore, remoteTrustRegistry, type ServiceKeys, type TrustRegistry } from "@vi/events";
import { createMailer, type Mailer } from "@vi/mail";
import { startOutboxRelay } from "@vi/db";
import { API_VERSION, createApp } from "./app";
import { startHttpServer } from "@vi/http";
import type { Federation } from "./federation/federation";
import { createNotifier } from "./federation/notifier";
import { startRpcServer } from "./federation/rpc";
import { rpcHandlers } from "./federation/handlers";
import { startMeldingConsumer } from "./federation/consumer";
import { fetchMutations, processMutations } from "./federation/relocation";
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
  /** An in-process bus (the quickstart's default); else NATS when NATS_URL is set. */
  bus?: Bus;
  keys?: ServiceKeys;
  trust?: TrustRegistry;
  mailer?: Mailer;
}

export interface RunningNode {
  url: string;
  port: number;
  ctx: NodeContext;
  /** Reads the BRP mutation feed once and moves out relocated youths (also runs on a timer). */
  pollMutations(): Promise<void>;
  stop(): Promise<void>;
}

export const REDACT_PATHS = ["bsn", "*.bsn", "*.*.bsn", "req.headers.authorization", "authorization"];

export function createLogger(level: string, name: string, destination?: pino.DestinationStream): Logger {
  const options = { name, level, redact: { paths: REDACT_PATHS, censor: "[verborgen]" } };
  return destination ? pino(options, destination) : pino(options);
}

export async function startNode(opts: StartOptions): Promise<RunningNode> {
  const { config } = opts;
  const gemeente = gemeenteByCode(config.GEMEENTE) ?? {
    code: config.GEMEENTE,
    naam: config.GEMEENTE,
    cbs: config.GEMEENTE.slice(2),
    port: 8000 + Number(config.GEMEENTE.slice(2)),
  };
  const log = opts.log ?? createLogger(config.LOG_LEVEL, `node-${gemeente.code}`);
  const schemaName = config.DB_SCHEMA ?? gemeente.code.toLowerCase();
  const ownsDatabase = !opts.database;
  const database =
    opts.database ??
    (await openDatabase({ url: config.DATABASE_URL, dataDir: config.PGLITE_DIR, max: config.DB_POOL_MAX, applicationName: `node-${gemeente.code}` }));
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
  const port = config.PORT ?? gemeente.port;
  const publicUrl = config.PUBLIC_URL ?? `http://localhost:${port}`;

  let fed: Federation | undefined;
  let ownsBus = false;
  let bus = opts.bus;
  if (!bus && config.NATS_URL) {
    bus = await connectNatsBus({ servers: config.NATS_URL, name: `node-${gemeente.code}`, namespace: config.BUS_NAMESPACE, log });
    ownsBus = true;
  }
  if (bus) {
    if (!config.REGIO_PSEUDONIEM_SLEUTEL)
      throw new Error("REGIO_PSEUDONIEM_SLEUTEL (at least 32 characters, shared by the region's nodes) is required when the node joins the region");
    await bus.ensureStreams();
    const keys =
      opts.keys ??
      (await loadOrCreateServiceKeys({
        iss: gemeente.code,
        store: config.KEYS_DIR ? fileKeyStore(join(config.KEYS_DIR, `${gemeente.code.toLowerCase()}.json`)) : memoryKeyStore(),
      }));
    const trust = opts.trust ?? remoteTrustRegistry({ url: `${config.HUB_URL}/api/v1/vertrouwen/jwks.json` });
    const relay = startOutboxRelay({
      db: database.db,
      table: t.outbox,
      bus,
      onError: (err) => log.warn({ err: { message: err.message } }, "outbox publish failed; will retry"),
    });
    fed = { bus, keys, trust, metrics: new EventMetrics(), relay, regionKey: config.REGIO_PSEUDONIEM_SLEUTEL, rpcTimeoutMs: config.RPC_TIMEOUT_MS };
  }
  const mailer =
    opts.mailer ??
    (config.SMTP_HOST
      ? createMailer({ host: config.SMTP_HOST, port: config.SMTP_PORT, user: config.SMTP_USER, pass: config.SMTP_PASS, from: config.SMTP_FROM })
      : undefined);
  const notifier = createNotifier({ db: database.db, t, mailer, log, gemeenteNaam: gemeente.naam, link: publicUrl });

  const ctx: NodeContext = {
    db: database.db,
    t,
    brp,
    clock: opts.clock ?? systemClock,
    log,
    gemeente: { code: gemeente.code, naam: gemeente.naam },
    regioGemeenten: GEMEENTEN.map((g) => g.code),
    standaardDuurMaanden: config.SIGNAAL_STANDAARD_DUUR_MAANDEN,
    fed,
    notifier,
    publicUrl,
  };

  let ready = true;
  const app = createApp({ ctx, verifier, isReady: () => ready });
  const { server, port: actualPort } = await startHttpServer({
    fetch: app.fetch,
    port,
    hostname: config.HOST,
    apiVersion: API_VERSION,
    onUnexpected: (err) => log.error({ err: { message: (err as Error)?.message } }, "request could not be handled"),
  });

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

  const stoppers: { stop(): Promise<void> }[] = [];
  let mutationTimer: NodeJS.Timeout | undefined;
  let mutationCursor = 0;
  let mutationRun: Promise<unknown> | undefined;
  const pollMutations = async () => {
    const feed = config.BRP_MUTATIES_URL ?? new URL("/beheer/mutaties", config.BRP_URL).toString();
    const mutations = await fetchMutations(feed, mutationCursor);
    await processMutations(ctx, mutations);
    for (const m of mutations) mutationCursor = Math.max(mutationCursor, m.seq + 1);
  };
  if (fed) {
    stoppers.push(await startRpcServer(ctx, rpcHandlers));
    stoppers.push(await startMeldingConsumer(ctx));
    if (config.BRP_MUTATIES_INTERVAL_MS > 0) {
      mutationTimer = setInterval(() => {
        if (mutationRun) return;
        mutationRun = pollMutations()
          .catch((err: Error) => log.warn({ err: { message: err.message } }, "BRP mutation poll failed"))
          .finally(() => (mutationRun = undefined));
      }, config.BRP_MUTATIES_INTERVAL_MS);
      mutationTimer.unref();
    }
    fed.relay.kick();
  }
  notifier.start();

  log.info({ port: actualPort, gemeente: gemeente.code, database: database.kind, schema: schemaName, federated: Boolean(fed) }, "node listening");
  return {
    url: `http://localhost:${actualPort}`,
    port: actualPort,
    ctx,
    pollMutations,
    async stop() {
      ready = false;
      if (retentionTimer) clearInterval(retentionTimer);
      if (mutationTimer) clearInterval(mutationTimer);
      // First stop taking requests; in-flight ones get a grace period, then their connections are closed.
      await new Promise<void>((resolve) => {
        const srv = server as unknown as { closeIdleConnections?: () => void; closeAllConnections?: () => void };
        const force = setTimeout(() => srv.closeAllConnections?.(), 5000);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        srv.closeIdleConnections?.();
      });
      await mutationRun;
      for (const s of stoppers) await s.stop();
      await fed?.relay.stop();
      await notifier.stop();
      await mailer?.close();
      if (ownsBus) await bus?.close();
      await retentionRunning;
      if (ownsBrp) await brp.close();
      if (ownsDatabase) await database.close();
      log.info("node stopped");
    },
  };
}
