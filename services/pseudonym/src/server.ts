/**
 * Starting and stopping the pseudonym service (docs/adr/0024): open the key
 * versions, load its signing keys, connect the bus, serve `rpc.pseudoniem`
 * and HTTP (health, readiness, JWKS). On stop: refuse new work, stop serving,
 * close the bus.
 */
import { join } from "node:path";
import { connectNatsBus, createMemoryBroker, natsLogin, type Bus } from "@vi/bus";
import {
  EventMetrics,
  fileKeyStore,
  loadOrCreateServiceKeys,
  memoryKeyStore,
  memoryReplayGuard,
  PSEUDONYM_SERVICE,
  remoteTrustRegistry,
  type ServiceKeys,
  type TrustRegistry,
} from "@vi/events";
import { regionFromConfig } from "@vi/region";
import { createLogger, errorForLog, type Logger, serveHttp, startHttpServer, startWithCleanups, stopHttpServer } from "@vi/service";
import type { PseudonymConfig } from "./config";
import type { PseudonymContext } from "./context";
import { API_VERSION, createPseudonymAdminApp, createPseudonymApp } from "./http/app";
import { startRpcServer } from "./inbound/rpc";
import { fileKeys, type KeyFile, memoryKeys, openKeyring } from "./store/keyring";

export interface StartPseudonymOptions {
  config: PseudonymConfig;
  bus?: Bus;
  keys?: ServiceKeys;
  trust?: TrustRegistry;
  /** The key versions (tests); default the file of PSEUDONIEM_SLEUTELS_BESTAND, else memory. */
  keyFile?: KeyFile;
  log?: Logger;
  /** Serve HTTP (default true). */
  http?: boolean;
}

export interface RunningPseudonymService {
  url: string;
  port: number;
  adminUrl?: string;
  ctx: PseudonymContext;
  stop(): Promise<void>;
}

/** The hub's id: it alone may change the key versions. */
const HUB = "hub";

export async function startPseudonymService(opts: StartPseudonymOptions): Promise<RunningPseudonymService> {
  const { config } = opts;
  const log = opts.log ?? createLogger(config.LOG_LEVEL, PSEUDONYM_SERVICE);
  return startWithCleanups(log, async (cleanups) => {
    if (!opts.keyFile && !config.PSEUDONIEM_SLEUTELS_BESTAND) {
      // With NATS the region is real: a key lost at a restart would give every youth a new pseudonym.
      if (config.NATS_URL) throw new Error("PSEUDONIEM_SLEUTELS_BESTAND is required when NATS_URL is set (the file of the key versions, a secret)");
      log.warn("PSEUDONIEM_SLEUTELS_BESTAND not set: the key lives in memory, pseudonyms change at a restart");
    }
    const keyFile = opts.keyFile ?? (config.PSEUDONIEM_SLEUTELS_BESTAND ? fileKeys(config.PSEUDONIEM_SLEUTELS_BESTAND) : memoryKeys());
    const keyring = openKeyring(keyFile, config.PSEUDONIEM_SCOPE);
    const region = regionFromConfig(config.REGIO_GEMEENTEN);
    const ctx: PseudonymContext = {
      keyring,
      callers: new Set([...region.gemeenten.map((g) => g.code), HUB]),
      rotators: new Set([HUB]),
      metrics: { requests: 0, elements: 0, refused: {} },
      log,
      now: () => new Date(),
    };

    const keys =
      opts.keys ??
      (await loadOrCreateServiceKeys({
        iss: PSEUDONYM_SERVICE,
        store: config.KEYS_DIR ? fileKeyStore(join(config.KEYS_DIR, "pseudoniem.json")) : memoryKeyStore(),
      }));
    if (keys.iss !== PSEUDONYM_SERVICE) throw new Error(`The pseudonym service signs as "${PSEUDONYM_SERVICE}", not "${keys.iss}"`);
    const trust = opts.trust ?? remoteTrustRegistry({ url: `${config.HUB_URL}/api/v1/vertrouwen/jwks.json` });

    const bus =
      opts.bus ??
      (config.NATS_URL
        ? await connectNatsBus({
            servers: config.NATS_URL,
            name: PSEUDONYM_SERVICE,
            namespace: config.BUS_NAMESPACE,
            log,
            ...natsLogin(config, PSEUDONYM_SERVICE),
          })
        : createMemoryBroker({ namespace: config.BUS_NAMESPACE }).connect(PSEUDONYM_SERVICE));
    if (!opts.bus) cleanups.push("bus", () => bus.close());
    if (!config.NATS_URL && !opts.bus) log.warn("NATS_URL not set: an in-process bus, no node can reach this service");

    const events = new EventMetrics();
    const rpc = await startRpcServer(ctx, { keys, trust, transport: bus, replay: memoryReplayGuard(), metrics: events }, config.RPC_QUEUE);
    cleanups.push("rpc server", () => rpc.stop());

    let ready = true;
    let url = "";
    let port = 0;
    let adminUrl: string | undefined;
    if (opts.http !== false) {
      const started = await startHttpServer({
        fetch: createPseudonymApp({ ctx, keys, isReady: () => ready }).fetch,
        port: config.PORT,
        hostname: config.HOST,
        apiVersion: API_VERSION,
        onUnexpected: (err) => log.error({ err: errorForLog(err) }, "request could not be handled"),
      });
      port = started.port;
      url = `http://localhost:${port}`;
      cleanups.push("http", () => stopHttpServer(started.server));
      if (config.ADMIN_PORT !== undefined) {
        const admin = await serveHttp(cleanups, log, "admin", {
          fetch: createPseudonymAdminApp(ctx, events, log).fetch,
          port: config.ADMIN_PORT,
          hostname: config.ADMIN_HOST,
          apiVersion: API_VERSION,
        });
        adminUrl = admin.url;
      }
    }
    log.info({ port, bus: bus.kind, namespace: bus.namespace, versies: keyring.versions().map((k) => k.versie) }, "pseudonym service started");
    let stopped: Promise<void> | undefined;
    return {
      url,
      port,
      adminUrl,
      ctx,
      stop() {
        stopped ??= (async () => {
          ready = false;
          await cleanups.run();
          log.info("pseudonym service stopped");
        })();
        return stopped;
      },
    };
  });
}
