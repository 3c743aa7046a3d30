/**
 * Starting and stopping the regional hub: open the database, migrate (schema
 * `hub`), sync the node registry, load keys and trust, connect the bus, run
 * the outbox relay and the `hub-index` consumer, refresh the nodes' keys and
 * health periodically, serve HTTP. On stop: refuse new work, stop the
 * consumer (waiting for the event in hand), flush the outbox, close.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createTokenVerifier, type TokenVerifier } from "@vi/auth";
import { connectNatsBus, createMemoryBroker, natsLogin, type Bus } from "@vi/bus";
import { dbReplayGuard, hubTables, migrate, openDatabase, startOutboxRelay, type Database } from "@vi/db";
import { EventMetrics, fileKeyStore, loadOrCreateServiceKeys, memoryKeyStore, type ServiceKeys, type TrustRegistry } from "@vi/events";
import { API_VERSION, createHubAdminApp, createHubApp } from "./app";
import { createLogger, databaseLogin, errorForLog, type Logger, serveHttp, startHttpServer, startWithCleanups, stopHttpServer } from "@vi/service";
import { sql } from "drizzle-orm";
import { systemClock } from "@vi/domain";
import { consumers } from "@vi/events";
import type { HubConfig } from "./config";
import { HUB_ID, type Clock, type HubContext } from "./context";
import { handleAuditAnchorEvent } from "./audit-anchor-consumer";
import { handleIndexEvents } from "./index-consumer";
import { refreshNodes, refreshServices, registryTrust, syncNodes } from "./nodes";
import { rebuildIndex, type RebuildReport } from "./rebuild";
import { rotateKey, type RotationReport } from "./rotation";
import { type RegisterSeed, seedRegister } from "./register";

export interface StartHubOptions {
  config: HubConfig;
  /** Overrides for tests and the all-in-one starter. */
  database?: Database;
  bus?: Bus;
  keys?: ServiceKeys;
  /** Trust for incoming events; default: the hub's keys plus the nodes' registered keys. */
  trust?: TrustRegistry;
  log?: Logger;
  clock?: Clock;
  fetch?: typeof fetch;
  /** Start the `hub-index` consumer (default true; the rebuild CLI does not consume). */
  consume?: boolean;
  /** Serve HTTP (default true). */
  http?: boolean;
  /** Verifies register API tokens; default from AUTH_ISSUER (none: the register API accepts no token). */
  verifier?: TokenVerifier;
  /** Loaded into the register when it is empty; default from REGISTER_BESTAND. */
  registerSeed?: RegisterSeed;
}

/** The register file (REGISTER_BESTAND) the hub's empty register is loaded from. */
export function registerSeedFromFile(path: string): RegisterSeed {
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8")) as RegisterSeed;
    if (!Array.isArray(parsed.organisaties) || !Array.isArray(parsed.professionals)) throw new Error("no organisaties or professionals");
    return { organisaties: parsed.organisaties, professionals: parsed.professionals, instellingsadressen: parsed.instellingsadressen ?? [] };
  } catch (e) {
    throw new Error(`REGISTER_BESTAND ${path} is not a register: ${(e as Error).message}`);
  }
}

export interface RunningHub {
  url: string;
  port: number;
  /** The admin side (/metrics, /api/v1/nodes), when ADMIN_PORT is set. */
  adminUrl?: string;
  ctx: HubContext;
  rebuild(): Promise<RebuildReport>;
  /** Rotates the pseudonym key (docs/adr/0024). */
  rotateKey(): Promise<RotationReport>;
  refreshNodes(): Promise<void>;
  stop(): Promise<void>;
}

export async function startHub(opts: StartHubOptions): Promise<RunningHub> {
  const { config } = opts;
  const log = opts.log ?? createLogger(config.LOG_LEVEL, HUB_ID);
  const clock: Clock = opts.clock ?? systemClock;
  const schema = config.DB_SCHEMA;

  return startWithCleanups(log, async (cleanups) => {
    const database =
      opts.database ??
      (await openDatabase({
        url: config.DATABASE_URL,
        dataDir: config.PGLITE_DIR,
        max: config.DB_POOL_MAX,
        applicationName: "hub",
        ...databaseLogin(config),
      }));
    if (!opts.database) cleanups.push("database", () => database.close());
    const applied = await migrate(database.db, schema, "hub");
    if (applied.length) log.info({ migrations: applied, schema }, "migrations applied");
    const t = hubTables(schema);
    await syncNodes({ db: database.db, t }, config.NODES);

    const keys =
      opts.keys ??
      (await loadOrCreateServiceKeys({
        iss: HUB_ID,
        store: config.KEYS_DIR ? fileKeyStore(join(config.KEYS_DIR, "hub.json")) : memoryKeyStore(),
        now: () => clock.now(),
      }));
    if (keys.iss !== HUB_ID) throw new Error(`The hub signs as "${HUB_ID}", not "${keys.iss}"`);

    const bus =
      opts.bus ??
      (config.NATS_URL
        ? await connectNatsBus({ servers: config.NATS_URL, name: HUB_ID, namespace: config.BUS_NAMESPACE, log, ...natsLogin(config, HUB_ID) })
        : createMemoryBroker({ namespace: config.BUS_NAMESPACE }).connect(HUB_ID));
    if (!opts.bus) cleanups.push("bus", () => bus.close());
    if (!config.NATS_URL && !opts.bus) log.warn("NATS_URL not set: an in-process bus, no node can reach this hub");
    await bus.ensureStreams();

    const relay = startOutboxRelay({
      db: database.db,
      table: t.outbox,
      bus,
      onError: (err) => log.error({ err: errorForLog(err) }, "outbox relay: publish failed, will retry"),
    });
    cleanups.push("outbox relay", () => relay.stop());

    const base = { db: database.db, t, keys, log, clock, fetch: opts.fetch ?? fetch, serviceKeys: new Map(), config };
    let refetchUnknown: (() => Promise<void>) | undefined;
    const registry = registryTrust(base, { refetchUnknown: () => refetchUnknown?.() ?? Promise.resolve() });
    await registry.reload();
    const ctx: HubContext = {
      ...base,
      config,
      schema,
      bus,
      trust: opts.trust ?? registry,
      publishedTrust: () => registry.published(),
      metrics: new EventMetrics(),
      relay,
    };

    refetchUnknown = async () => {
      await Promise.all([refreshNodes(ctx), refreshServices(ctx)]);
      await registry.reload();
    };
    const replayGuard = dbReplayGuard(database.db, t.ontvangenEvents);
    const refresh = async () => {
      await Promise.all([refreshNodes(ctx), refreshServices(ctx)]);
      await registry.reload();
      // jtis of events that can no longer be accepted by anyone need not be kept
      await replayGuard.purge(clock.now());
    };
    // The first round before consuming, so events from known nodes verify at once.
    await refresh().catch((err: Error) => log.warn({ err: errorForLog(err) }, "node refresh failed"));
    let refreshTimer: NodeJS.Timeout | undefined;
    let refreshing: Promise<unknown> | undefined;
    if (config.NODES_REFRESH_SECONDS > 0) {
      refreshTimer = setInterval(() => {
        if (refreshing) return;
        refreshing = refresh()
          .catch((err: Error) => log.warn({ err: errorForLog(err) }, "node refresh failed"))
          .finally(() => (refreshing = undefined));
      }, config.NODES_REFRESH_SECONDS * 1000);
      refreshTimer.unref();
    }
    cleanups.push("node refresh", async () => {
      if (refreshTimer) clearInterval(refreshTimer);
      await refreshing;
    });

    if (opts.consume !== false) {
      const consumer = await bus.consumeBatch({ ...consumers.hubIndex, maxBatch: config.INDEX_BATCH }, async (ms) => {
        try {
          await handleIndexEvents(ctx, ms);
        } catch (err) {
          // A batch that fails is handed over again one event at a time (packages/bus, consumeBatch).
          const deliveryCount = Math.max(...ms.map((m) => m.deliveryCount));
          log.error({ err: errorForLog(err), events: ms.length, deliveryCount }, "index event not applied; will be redelivered");
          throw err;
        }
      });
      cleanups.push("index consumer", () => consumer.stop());
      const anchors = await bus.consume(consumers.hubAuditketen, async (m) => {
        try {
          await handleAuditAnchorEvent(ctx, m);
        } catch (err) {
          log.error({ err: errorForLog(err), deliveryCount: m.deliveryCount }, "audit chain head not stored; will be redelivered");
          throw err;
        }
      });
      cleanups.push("audit chain head consumer", () => anchors.stop());
    }
    const seed = opts.registerSeed ?? (config.REGISTER_BESTAND ? registerSeedFromFile(config.REGISTER_BESTAND) : undefined);
    if (seed && (await seedRegister(ctx, seed))) log.info({ organisaties: seed.organisaties.length, personen: seed.professionals.length }, "register loaded");
    relay.kick();

    let ready = true;
    let url = "";
    let port = 0;
    let adminUrl: string | undefined;
    if (opts.http !== false) {
      const app = createHubApp({
        ctx,
        corsOrigins: config.CORS_ORIGINS,
        verifier:
          opts.verifier ??
          (config.AUTH_ISSUER
            ? createTokenVerifier({
                issuer: config.AUTH_ISSUER,
                audience: config.AUTH_AUDIENCE,
                jwksUrl: config.AUTH_JWKS_URL ?? `${config.AUTH_ISSUER}/jwks.json`,
              })
            : undefined),
        isReady: () => ready,
        ping: async () => void (await database.db.execute(sql`select 1`)),
      });
      const started = await startHttpServer({
        fetch: app.fetch,
        port: config.PORT,
        hostname: config.HOST,
        apiVersion: API_VERSION,
        onUnexpected: (err) => log.error({ err: errorForLog(err) }, "request could not be handled"),
      });
      const server = started.server;
      port = started.port;
      url = `http://localhost:${port}`;
      cleanups.push("http", () => stopHttpServer(server));
      if (config.ADMIN_PORT !== undefined) {
        const admin = await serveHttp(cleanups, log, "admin", {
          fetch: createHubAdminApp(ctx).fetch,
          port: config.ADMIN_PORT,
          hostname: config.ADMIN_HOST,
          apiVersion: API_VERSION,
        });
        adminUrl = admin.url;
      }
    }

    log.info({ port, database: database.kind, schema, bus: bus.kind, namespace: bus.namespace, nodes: config.NODES.length }, "hub started");
    let stopped: Promise<void> | undefined;
    return {
      url,
      port,
      adminUrl,
      ctx,
      rebuild: () => rebuildIndex(ctx),
      rotateKey: () => rotateKey(ctx),
      refreshNodes: refresh,
      stop() {
        stopped ??= (async () => {
          ready = false;
          // cleanups run in reverse: HTTP, consumer, refresh timer, relay, bus, database
          await relay.flush().catch(() => 0);
          await cleanups.run();
          log.info("hub stopped");
        })();
        return stopped;
      },
    };
  });
}
