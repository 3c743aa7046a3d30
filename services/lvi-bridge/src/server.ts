/**
 * Starting and stopping a region's bridge to the national index (docs/national-chain.md): open the database (its
 * own schema, migrations set `brug`), load its signing keys and TLS material, connect the region's bus as `brug`,
 * consume the hub's `brug.index`, send the queue to the national index, serve `rpc.brug`, the HTTPS endpoint for
 * the national index and the region-internal HTTP (JWKS). On stop: refuse new work, stop consuming and serving,
 * finish sending, flush the outbox, close.
 */
import { X509Certificate } from "node:crypto";
import { join } from "node:path";
import { connectNatsBus, createMemoryBroker, natsLogin, type Bus } from "@vi/bus";
import { bridgeTables, dbReplayGuard, migrate, openDatabase, startOutboxRelay, type Database } from "@vi/db";
import {
  BRUG,
  consumers,
  EventMetrics,
  fileKeyStore,
  loadOrCreateServiceKeys,
  memoryKeyStore,
  remoteTrustRegistry,
  type ServiceKeys,
  type TrustRegistry,
} from "@vi/events";
import { FscMetrics, fscClient, loadTls, memoryNonceGuard, oinOf, startFscServer, type TlsMaterial } from "@vi/fsc";
import { REGIONS, regionFromConfig } from "@vi/region";
import { createLogger, databaseLogin, errorForLog, type Logger, serveHttp, startHttpServer, startWithCleanups, stopHttpServer } from "@vi/service";
import type { BridgeConfig } from "./config";
import type { BridgeContext } from "./context";
import { API_VERSION, createBridgeAdminApp, createBridgeInternalApp, createBridgeNationalApp } from "./http";
import { handleBrugIndex } from "./index-consumer";
import { startBridgeRpc } from "./rpc";
import { startKeyPublisher } from "./node-keys";
import { startSender } from "./sender";
import { restNationalSide } from "./national-side";

export interface StartBridgeOptions {
  config: BridgeConfig;
  database?: Database;
  bus?: Bus;
  keys?: ServiceKeys;
  trust?: TrustRegistry;
  tls?: TlsMaterial;
  log?: Logger;
}

export interface RunningBridge {
  /** Inside the region (JWKS, health): the hub's BRUG_URL. */
  url: string;
  port: number;
  /** HTTPS for the national index. */
  nationalUrl: string;
  nationalPort: number;
  adminUrl?: string;
  oin: string;
  ctx: BridgeContext;
  /** Sends the queue now (tests wait on it). */
  send(): Promise<void>;
  /** Publishes the region's node keys to the national index now (tests wait on it); resolves with their number. */
  publishKeys(): Promise<number>;
  stop(): Promise<void>;
}

export async function startBridge(opts: StartBridgeOptions): Promise<RunningBridge> {
  const { config } = opts;
  const log = opts.log ?? createLogger(config.LOG_LEVEL, BRUG);
  return startWithCleanups(log, async (cleanups) => {
    const database =
      opts.database ??
      (await openDatabase({
        url: config.DATABASE_URL,
        dataDir: config.PGLITE_DIR,
        max: config.DB_POOL_MAX,
        applicationName: "brug",
        ...databaseLogin(config),
      }));
    if (!opts.database) cleanups.push("database", () => database.close());
    const applied = await migrate(database.db, config.DB_SCHEMA, "brug");
    if (applied.length) log.info({ migrations: applied, schema: config.DB_SCHEMA }, "migrations applied");
    const t = bridgeTables(config.DB_SCHEMA);

    const keys =
      opts.keys ?? (await loadOrCreateServiceKeys({ iss: BRUG, store: config.KEYS_DIR ? fileKeyStore(join(config.KEYS_DIR, "brug.json")) : memoryKeyStore() }));
    if (keys.iss !== BRUG) throw new Error(`The bridge signs as "${BRUG}", not "${keys.iss}"`);
    const trust = opts.trust ?? remoteTrustRegistry({ url: `${config.HUB_URL}/api/v1/vertrouwen/jwks.json` });
    const tls = opts.tls ?? loadTls(config, `brug-${config.REGIO}`);
    const oin = oinOf(new X509Certificate(tls.identity.cert));
    if (!oin) throw new Error("the bridge's certificate has no OIN in its subject serialNumber");

    const bus =
      opts.bus ??
      (config.NATS_URL
        ? await connectNatsBus({ servers: config.NATS_URL, name: BRUG, namespace: config.BUS_NAMESPACE, log, ...natsLogin(config, BRUG) })
        : createMemoryBroker({ namespace: config.BUS_NAMESPACE }).connect(BRUG));
    if (!opts.bus) cleanups.push("bus", () => bus.close());
    await bus.ensureStreams();
    const relay = startOutboxRelay({
      db: database.db,
      table: t.outbox,
      bus,
      onError: (err) => log.warn({ err: errorForLog(err) }, "outbox publish failed; will retry"),
    });
    cleanups.push("outbox relay", () => relay.stop());

    const fsc = new FscMetrics();
    const clientNonces = memoryNonceGuard();
    // The national side behind its interface (docs/adr/0037): our REST profile here; an NTA 8023 adapter could replace it.
    const national = restNationalSide(
      fscClient({ baseUrl: config.LANDELIJK_URL, peerOin: config.LANDELIJK_OIN, tls, nonces: clientNonces, metrics: fsc }),
      fscClient({ baseUrl: config.PSEUDONIEM_LANDELIJK_URL, peerOin: config.PSEUDONIEM_LANDELIJK_OIN, tls, nonces: clientNonces, metrics: fsc }),
    );
    cleanups.push("national side", () => national.close());
    const region = config.REGIO_GEMEENTEN ? regionFromConfig(config.REGIO_GEMEENTEN) : (REGIONS[config.REGIO] ?? regionFromConfig(undefined));
    let sender: ReturnType<typeof startSender> | undefined;
    const events = new EventMetrics();
    const ctx: BridgeContext = {
      db: database.db,
      t,
      config,
      log,
      keys,
      trust,
      bus,
      relay,
      tls,
      oin,
      national,
      gemeenten: new Set(region.gemeenten.map((g) => g.code)),
      fsc,
      events,
      figures: { queued: 0, sent: 0, sendFailures: 0, received: 0, meldingen: 0, verwijderd: 0, doorgestuurd: 0, extern: 0 },
      now: () => new Date(),
      kick: () => sender?.kick(),
    };
    sender = startSender(ctx);
    cleanups.push("sender", () => sender!.stop());

    const consumer = await bus.consume(consumers.brugIndex, async (m) => {
      try {
        await handleBrugIndex(ctx, m);
      } catch (err) {
        log.error({ err: errorForLog(err), deliveryCount: m.deliveryCount }, "brug.index not queued; will be redelivered");
        throw err;
      }
    });
    cleanups.push("index consumer", () => consumer.stop());
    // A node's notice to a node of another region (docs/adr/0042): handed to the national index, which delivers it in
    // order to that region's bridge; while the national index is down the consumer redelivers with a pause.
    const extern = await bus.consume(consumers.brugExtern, async (m) => {
      const [, , aan, van] = m.subject.split(".").slice(-4);
      if (!aan || !van || !ctx.gemeenten.has(van)) {
        log.warn({ subject: m.subject }, "notice to another region from outside the region; dropped");
        return;
      }
      await ctx.national.forwardNotice({ aan, van, token: m.data });
      ctx.figures.extern += 1;
    });
    cleanups.push("extern consumer", () => extern.stop());
    const keyPublisher = startKeyPublisher(ctx);
    cleanups.push("key publisher", async () => keyPublisher.stop());
    const rpc = await startBridgeRpc(ctx);
    cleanups.push("rpc server", () => rpc.stop());

    let ready = true;
    const internal = await startHttpServer({
      fetch: createBridgeInternalApp({ log, keys, isReady: () => ready }).fetch,
      port: config.PORT,
      hostname: config.HOST,
      apiVersion: API_VERSION,
      onUnexpected: (err) => log.error({ err: errorForLog(err) }, "request could not be handled"),
    });
    cleanups.push("http", () => stopHttpServer(internal.server));
    const nationalApp = createBridgeNationalApp({ ctx, log, nonces: dbReplayGuard(database.db, t.ontvangenEvents) });
    const https = await startFscServer({ fetch: nationalApp.fetch, port: config.LANDELIJK_PORT, hostname: config.LANDELIJK_HOST, tls });
    cleanups.push("https", () => stopHttpServer(https.server as never));
    let adminUrl: string | undefined;
    if (config.ADMIN_PORT !== undefined) {
      const admin = await serveHttp(cleanups, log, "admin", {
        fetch: createBridgeAdminApp(ctx, events).fetch,
        port: config.ADMIN_PORT,
        hostname: config.ADMIN_HOST,
        apiVersion: API_VERSION,
      });
      adminUrl = admin.url;
    }
    relay.kick();
    sender.kick();
    log.info({ regio: config.REGIO, oin, port: internal.port, landelijkPort: https.port, bus: bus.kind, namespace: bus.namespace }, "bridge started");
    let stopped: Promise<void> | undefined;
    return {
      url: `http://localhost:${internal.port}`,
      port: internal.port,
      nationalUrl: `https://localhost:${https.port}`,
      nationalPort: https.port,
      adminUrl,
      oin,
      ctx,
      send: () => sender!.flush(),
      publishKeys: () => keyPublisher.publish(),
      stop() {
        stopped ??= (async () => {
          ready = false;
          await relay.flush().catch(() => 0);
          await cleanups.run();
          log.info("bridge stopped");
        })();
        return stopped;
      },
    };
  });
}
