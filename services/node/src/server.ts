/**
 * Starting and stopping one municipal node (the composition root): open the
 * database, migrate under an advisory lock, load the register, join the
 * region (bus, keys, trust, outbox relay, RPC server, consumer), serve HTTP,
 * run the retention job and the BRP mutation poller. A failed start undoes
 * what it started. On stop: refuse new work, close the server, stop the
 * inbound side, flush, end the pool.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createTokenVerifier, type TokenVerifier } from "@vi/auth";
import { type BrpClient, createBrpClient } from "@vi/brp";
import { type Bus, connectNatsBus, natsLogin } from "@vi/bus";
import { type Database, dbReplayGuard, migrate, nodeTables, openDatabase, startOutboxRelay } from "@vi/db";
import { type Clock, DEFAULT_REGIE_ORDER, systemClock } from "@vi/domain";
import {
  combinedTrustRegistry,
  createRpcClient,
  type RpcClient,
  EventMetrics,
  fileKeyStore,
  loadOrCreateServiceKeys,
  memoryKeyStore,
  remoteTrustRegistry,
  type ServiceKeys,
  type TrustRegistry,
} from "@vi/events";
import { createMailer, type Mailer } from "@vi/mail";
import { type Region, regionFromConfig } from "@vi/region";
import { createLogger, databaseLogin, type Logger, serveHttp, startHttpServer, startWithCleanups, stopHttpServer, errorForLog } from "@vi/service";
import { sql } from "drizzle-orm";
import type { NodeConfig } from "./config";
import type { NodeContext } from "./context";
import { API_VERSION, createApp, createNodeAdminApp } from "./http/app";
import { startNoticeConsumer } from "./inbound/notice-consumer";
import { mutationPoller } from "./inbound/mutations";
import { startRpcServer } from "./inbound/rpc-handlers";
import { type AnchorOutcome, auditAnchor } from "./logic/audit-anchor";
import { patternGuard } from "./logic/pattern";
import { runMatchReminders } from "./logic/matchregie";
import { runRetention } from "./logic/retention";
import type { Federation } from "./context";
import type { NationalLink } from "./logic/national-link";
import { createNotifier } from "./outbound/notifier";
import { bridgeNationalLink } from "./outbound/national-link";
import { crossRegionTransport, otherRegionsTrust } from "./outbound/cross-region";
import { enqueueIndex } from "./logic/index-sync";
import { transaction } from "./logic/support";
import { EMPTY_REGISTER, loadRegistry, RegionRegister, registerHolder, registryFor } from "./store/registry";
import { startRegisterConsumer } from "./inbound/register-consumer";
import { refreshRegister } from "./logic/register-sync";

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
  /** The region; default from REGIO_GEMEENTEN (Regio Amsterdam). */
  region?: Region;
  /**
   * The region's register to start with; default from REGISTER_BESTAND, else an empty one (nobody is authorised).
   * A node joined to the region replaces it with the hub's signed register as soon as the hub has one.
   */
  register?: RegionRegister;
  /** The link to the national index (youths without a BSN, docs/adr/0038); absent: such registrations get a 503. */
  nationalLink?: NationalLink;
}

export interface RunningNode {
  url: string;
  port: number;
  /** The admin side (/metrics), when ADMIN_PORT is set. */
  adminUrl?: string;
  ctx: NodeContext;
  /** Reads the BRP mutation feed once and moves out relocated youths (also runs on a timer). */
  pollMutations(): Promise<void>;
  /** Fetches the hub's signed register now (also at start, after a missed change and every REGISTER_VERVERS_SECONDEN); its version. */
  refreshRegister(): Promise<number>;
  /** Sends the audit chain head to the hub now when it moved (also every AUDIT_ANKER_INTERVAL_SECONDEN). */
  anchorAuditChain(): Promise<AnchorOutcome>;
  stop(): Promise<void>;
}

/** The region's register in REGISTER_BESTAND. */
export function registerFromFile(path: string): RegionRegister {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new Error(`REGISTER_BESTAND ${path} cannot be read as JSON: ${(e as Error).message}`);
  }
  const parsed = RegionRegister.safeParse(raw);
  if (!parsed.success) throw new Error(`REGISTER_BESTAND ${path} is not a register: ${parsed.error.issues.map((i) => i.path.join(".")).join(", ")}`);
  return parsed.data;
}

/** While the node holds no register of the hub's yet, it asks again this often. */
const REGISTER_RETRY_MS = 5000;

export async function startNode(opts: StartOptions): Promise<RunningNode> {
  const { config } = opts;
  const region = opts.region ?? regionFromConfig(config.REGIO_GEMEENTEN, undefined, config.REGIO_EXTRA_DOMEINEN);
  const known = region.gemeente(config.GEMEENTE);
  const gemeente = { code: config.GEMEENTE, naam: known?.naam ?? config.GEMEENTE, port: known?.port ?? 8000 + Number(config.GEMEENTE.slice(2)) };
  const log = opts.log ?? createLogger(config.LOG_LEVEL, `node-${gemeente.code}`);
  const schemaName = config.DB_SCHEMA ?? gemeente.code.toLowerCase();

  return startWithCleanups(log, async (cleanups) => {
    const database =
      opts.database ??
      (await openDatabase({
        url: config.DATABASE_URL,
        dataDir: config.PGLITE_DIR,
        max: config.DB_POOL_MAX,
        applicationName: `node-${gemeente.code}`,
        ...databaseLogin(config),
      }));
    if (!opts.database) cleanups.push("database", () => database.close());
    const applied = await migrate(database.db, schemaName);
    if (applied.length) log.info({ migrations: applied, schema: schemaName }, "migrations applied");
    const t = nodeTables(schemaName);
    // The whole region's register stays in memory (who is connected where); this gemeente's part is also stored.
    const register = opts.register ?? (config.REGISTER_BESTAND ? registerFromFile(config.REGISTER_BESTAND) : EMPTY_REGISTER);
    await loadRegistry(database.db, t, registryFor(register, gemeente.code));
    const held = registerHolder(register);

    const brp = opts.brp ?? createBrpClient({ baseUrl: config.BRP_URL, apiKey: config.BRP_API_KEY });
    if (!opts.brp) cleanups.push("brp", () => brp.close());
    const verifier =
      opts.verifier ??
      createTokenVerifier({ issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE, jwksUrl: config.AUTH_JWKS_URL ?? `${config.AUTH_ISSUER}/jwks.json` });
    const port = config.PORT ?? gemeente.port;
    let publicUrl = config.PUBLIC_URL ?? `http://localhost:${port}`;

    let fed: Federation | undefined;
    let bus = opts.bus;
    if (!bus && config.NATS_URL) {
      bus = await connectNatsBus({
        servers: config.NATS_URL,
        name: `node-${gemeente.code}`,
        namespace: config.BUS_NAMESPACE,
        log,
        ...natsLogin(config, gemeente.code),
      });
      if (!bus.manages) log.info({ user: gemeente.code }, "NATS: a service user; streams and consumers are provisioned");
      const owned = bus;
      cleanups.push("bus", () => owned.close());
    }
    if (bus) {
      await bus.ensureStreams();
      const keys =
        opts.keys ??
        (await loadOrCreateServiceKeys({
          iss: gemeente.code,
          store: config.KEYS_DIR ? fileKeyStore(join(config.KEYS_DIR, `${gemeente.code.toLowerCase()}.json`)) : memoryKeyStore(),
        }));
      const regionTrust = opts.trust ?? remoteTrustRegistry({ url: `${config.HUB_URL}/api/v1/vertrouwen/jwks.json` });
      const national = config.LANDELIJK === "aan";
      // Across regions (docs/adr/0042): the other regions' node keys from the national directory, through the bridge.
      let rpcForKeys: RpcClient | undefined;
      const trust = national
        ? combinedTrustRegistry(
            regionTrust,
            otherRegionsTrust(region, () => rpcForKeys),
          )
        : regionTrust;
      const relay = startOutboxRelay({
        db: database.db,
        table: t.outbox,
        bus,
        onError: (err) => log.warn({ err: errorForLog(err) }, "outbox publish failed; will retry"),
      });
      cleanups.push("outbox relay", () => relay.stop());
      const metrics = new EventMetrics();
      const rpc = createRpcClient({
        self: gemeente.code,
        keys,
        trust,
        transport: national ? crossRegionTransport(bus, region, () => rpcForKeys) : bus,
        replay: dbReplayGuard(database.db, t.ontvangenEvents),
        metrics,
        timeoutMs: config.RPC_TIMEOUT_MS,
        onRejectedReply: (from, reason) => log.warn({ reason, from }, "rpc reply rejected"),
      });
      rpcForKeys = rpc;
      fed = { bus, keys, trust, metrics, relay, rpc };
    }
    const mailer =
      opts.mailer ??
      (config.SMTP_HOST
        ? createMailer({ host: config.SMTP_HOST, port: config.SMTP_PORT, user: config.SMTP_USER, pass: config.SMTP_PASS, from: config.SMTP_FROM })
        : undefined);
    if (mailer && !opts.mailer) cleanups.push("mailer", () => mailer.close());
    const notifier = createNotifier({ db: database.db, t, mailer, log, gemeenteNaam: gemeente.naam, link: () => publicUrl });
    cleanups.push("notifier", () => notifier.stop());

    const ctx: NodeContext = {
      db: database.db,
      t,
      brp,
      clock: opts.clock ?? systemClock,
      log,
      gemeente: { code: gemeente.code, naam: gemeente.naam },
      region,
      standaardDuurMaanden: config.SIGNAAL_STANDAARD_DUUR_MAANDEN,
      auditBewaartermijnJaren: config.AUDIT_BEWAARTERMIJN_JAREN,
      matchregie: {
        domeinVolgorde: config.MATCHREGIE_DOMEINVOLGORDE ? config.MATCHREGIE_DOMEINVOLGORDE.split(",") : DEFAULT_REGIE_ORDER,
        herinneringDagen: config.MATCHREGIE_HERINNERING_DAGEN,
      },
      fed,
      notifier,
      publicUrl,
      register: held.view,
      registerSource: held,
      ...(opts.nationalLink ? { national: opts.nationalLink } : {}),
      patroon: patternGuard({ maxJeugdigen: config.PATROON_MAX_JEUGDIGEN, vensterMinuten: config.PATROON_VENSTER_MINUTEN }),
      mailer,
      ...(fed && config.LANDELIJK === "aan" ? { national: bridgeNationalLink(fed.rpc), nationalPending: new Set<string>() } : {}),
    };

    const timers = new Set<NodeJS.Timeout>();
    let retentionRunning: Promise<unknown> | undefined;
    let remindersRunning: Promise<unknown> | undefined;
    let mutationRun: Promise<unknown> | undefined;
    cleanups.push("timers", async () => {
      for (const timer of timers) clearInterval(timer);
      await mutationRun;
      await retentionRunning;
      await remindersRunning;
    });

    // Index events that went without national pseudonyms (the bridge was down) are sent again (docs/national-chain.md).
    if (ctx.nationalPending) {
      const pending = ctx.nationalPending;
      let resending: Promise<unknown> | undefined;
      const timer = setInterval(() => {
        if (resending || pending.size === 0) return;
        const ids = [...pending].slice(0, 500);
        resending = transaction(ctx, (tx) => enqueueIndex(tx, ctx, ids))
          .then(() => fed?.relay.kick())
          .catch((err: Error) => log.warn({ err: errorForLog(err) }, "national pseudonyms not sent again; will retry"))
          .finally(() => (resending = undefined));
      }, config.LANDELIJK_HERHAAL_SECONDEN * 1000);
      timer.unref();
      timers.add(timer);
    }
    const feed = config.BRP_MUTATIES_URL ?? new URL("/beheer/mutaties", config.BRP_URL).toString();
    const pollMutations = mutationPoller(ctx, feed);
    if (fed) {
      const rpcServer = await startRpcServer(ctx);
      cleanups.push("rpc server", () => rpcServer.stop());
      const consumer = await startNoticeConsumer(ctx, config.MELDINGEN_BATCH);
      cleanups.push("melding consumer", () => consumer.stop());
      const registerConsumer = await startRegisterConsumer(ctx, config.HUB_URL);
      cleanups.push("register consumer", () => registerConsumer.stop());
      fed.relay.kick();
    }
    let registerRun: Promise<number> | undefined;
    let lastRegisterSync = 0;
    const syncRegister = (): Promise<number> => {
      if (!fed) return Promise.resolve(held.versie());
      registerRun ??= refreshRegister(ctx, config.HUB_URL)
        .then((v) => {
          lastRegisterSync = Date.now();
          return v;
        })
        .finally(() => (registerRun = undefined));
      return registerRun;
    };

    // Also without the region: a move within the gemeente, a death or new parents change the youth's family facts.
    if (config.BRP_MUTATIES_INTERVAL_MS > 0) {
      const timer = setInterval(() => {
        if (mutationRun) return;
        mutationRun = pollMutations()
          .catch((err: Error) => log.warn({ err: errorForLog(err) }, "BRP mutation poll failed"))
          .finally(() => (mutationRun = undefined));
      }, config.BRP_MUTATIES_INTERVAL_MS);
      timer.unref();
      timers.add(timer);
    }
    notifier.start();

    let ready = true;
    const app = createApp({
      ctx,
      verifier,
      corsOrigins: config.CORS_ORIGINS,
      rateLimits: {
        registratiesPerMinuut: config.RATE_LIMIT_REGISTRATIES_PER_MINUUT,
        persoonsgegevensPerMinuut: config.RATE_LIMIT_PERSOONSGEGEVENS_PER_MINUUT,
        perAdresPerMinuut: config.RATE_LIMIT_PER_ADRES_PER_MINUUT,
        mislukteAanmeldingenPerMinuut: config.RATE_LIMIT_MISLUKTE_AANMELDINGEN_PER_MINUUT,
      },
      isReady: () => ready,
      ping: async () => void (await database.db.execute(sql`select 1`)),
    });
    const { server, port: actualPort } = await startHttpServer({
      fetch: app.fetch,
      port,
      hostname: config.HOST,
      apiVersion: API_VERSION,
      onUnexpected: (err) => log.error({ err: errorForLog(err) }, "request could not be handled"),
    });
    if (!config.PUBLIC_URL && port === 0) {
      // Listening on a port the system chose: links in mails and the context name that port.
      publicUrl = `http://localhost:${actualPort}`;
      ctx.publicUrl = publicUrl;
    }
    // First stop taking requests; in-flight ones get a grace period, then their connections are closed.
    cleanups.push("http", () => stopHttpServer(server));
    let adminUrl: string | undefined;
    if (config.ADMIN_PORT !== undefined) {
      const admin = await serveHttp(cleanups, log, "admin", {
        fetch: createNodeAdminApp(ctx).fetch,
        port: config.ADMIN_PORT,
        hostname: config.ADMIN_HOST,
        apiVersion: API_VERSION,
      });
      adminUrl = admin.url;
    }

    if (fed) {
      // The hub's register at start (now that this node serves its keys, which the hub checks the request with);
      // without a hub (yet), the bootstrap register, asked again every few seconds until the hub answers.
      const sync = () =>
        syncRegister().catch((err: Error) => log.warn({ err: errorForLog(err) }, "the hub's register could not be fetched; holding the register held so far"));
      await sync();
      const timer = setInterval(() => {
        const due = held.versie() === 0 || (config.REGISTER_VERVERS_SECONDEN > 0 && Date.now() - lastRegisterSync >= config.REGISTER_VERVERS_SECONDEN * 1000);
        if (due && !registerRun) void sync();
      }, REGISTER_RETRY_MS);
      timer.unref();
      timers.add(timer);
      cleanups.push("register refresh", async () => void (await registerRun?.catch(() => 0)));
    }

    // The audit chain head to the hub (docs/adr/0026): one run at a time; a failed one is logged and tried next time.
    const anchor = auditAnchor(ctx);
    let anchorRun: Promise<AnchorOutcome> | undefined;
    const anchorAuditChain = (): Promise<AnchorOutcome> => {
      anchorRun ??= anchor().finally(() => (anchorRun = undefined));
      return anchorRun;
    };
    if (fed && config.AUDIT_ANKER_INTERVAL_SECONDEN > 0) {
      const timer = setInterval(() => {
        if (!anchorRun) void anchorAuditChain().catch((err: Error) => log.warn({ err: errorForLog(err) }, "audit chain head not sent; will retry"));
      }, config.AUDIT_ANKER_INTERVAL_SECONDEN * 1000);
      timer.unref();
      timers.add(timer);
      cleanups.push("audit anchor", async () => void (await anchorRun?.catch(() => undefined)));
    }

    if (config.RETENTIE_INTERVAL_MINUTEN > 0) {
      const retention = () => {
        retentionRunning = runRetention(ctx).catch((err: Error) => log.error({ err: errorForLog(err) }, "retention run failed"));
      };
      retention();
      const timer = setInterval(retention, config.RETENTIE_INTERVAL_MINUTEN * 60_000);
      timer.unref();
      timers.add(timer);
    }

    if (config.MATCHREGIE_INTERVAL_MINUTEN > 0 && config.MATCHREGIE_HERINNERING_DAGEN > 0) {
      const reminders = () => {
        if (remindersRunning) return;
        remindersRunning = runMatchReminders(ctx)
          .catch((err: Error) => log.error({ err: errorForLog(err) }, "matchregie reminder run failed"))
          .finally(() => (remindersRunning = undefined));
      };
      reminders();
      const timer = setInterval(reminders, config.MATCHREGIE_INTERVAL_MINUTEN * 60_000);
      timer.unref();
      timers.add(timer);
    }

    log.info({ port: actualPort, gemeente: gemeente.code, database: database.kind, schema: schemaName, federated: Boolean(fed) }, "node listening");
    let stopped: Promise<void> | undefined;
    return {
      url: `http://localhost:${actualPort}`,
      port: actualPort,
      adminUrl,
      ctx,
      pollMutations,
      refreshRegister: syncRegister,
      anchorAuditChain,
      stop() {
        stopped ??= (async () => {
          ready = false;
          await cleanups.run();
          log.info("node stopped");
        })();
        return stopped;
      },
    };
  });
}
