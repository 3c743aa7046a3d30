/**
 * The bus on NATS JetStream (nats.js v3).
 *
 * Retry delays are the client's: a failed handler `nak(delay)`s its message.
 * The consumer has no server-side `backoff`, because JetStream then uses
 * `backoff[0]` as the ack wait and redelivers a message whose handler is
 * still running (nats-server#5861). `ack_wait` only covers a process that
 * died mid-handler; a live handler keeps its message with `working()`.
 * The server's `max_deliver` is `maxDeliver + 1`: the extra delivery only
 * happens when the last attempt was never settled (crash), and then sends the
 * message to the dead-letter stream instead of dropping it silently.
 *
 * Two ways to stand on a server. A connection that may use the JetStream
 * admin API (a development server without accounts, or the provisioning
 * user) creates and updates streams and durable consumers itself. A service
 * user of an authenticated server may not (infra/nats, docs/adr/0018): its
 * streams and consumers were made by the provisioning step
 * (`npm run nats:provision`), and the bus binds to its own durable consumer,
 * checking that it was provisioned as the service expects.
 */
import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  jetstream,
  jetstreamManager,
  type ConsumerConfig,
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
  type StoredMsg,
} from "@nats-io/jetstream";
import { ClosedConnectionError, headers as natsHeaders, nanos, nkeyAuthenticator, PermissionViolationError, type NatsConnection } from "@nats-io/nats-core";
import { readFileSync } from "node:fs";
import { connect } from "@nats-io/transport-node";
import { inboxPrefixOf } from "./access";
import {
  DEFAULT_REQUEST_TIMEOUT_MS,
  DUPLICATE_WINDOW_MS,
  H_DELIVERY_COUNT,
  H_DURABLE,
  H_ERROR,
  H_MSG_ID,
  H_ORIGINAL_SUBJECT,
  checkMsgId,
  checkPublishSubject,
  checkReplicas,
  checkStreamLimits,
  DEFAULT_STREAM_LIMITS,
  DEFAULT_MAX_PAYLOAD,
  checkRpcSubject,
  checkSubject,
  errorText,
  names,
  resolveConsumerOptions,
  resolveMaxBatch,
  subjectMatches,
  type Names,
  type ResolvedConsumerOptions,
  type StreamLimits,
} from "./common";
import { handleBatchDelivery, type Delivered, type Settle } from "./delivery";
import {
  BusError,
  consoleLogger,
  type BatchConsumerOptions,
  type BatchHandler,
  type Bus,
  type BusLogger,
  type BusMessage,
  type ConsumerOptions,
  type DeadLetter,
  type Handler,
  type RequestHandler,
  type Stoppable,
} from "./types";

export interface NatsBusOptions {
  /** The server's URL, or the URLs of a cluster's servers separated by commas (NATS_URL); the client fails over between them. */
  servers: string;
  /** Connection name, shown by the server (e.g. the service id). */
  name: string;
  namespace?: string;
  log?: BusLogger;
  /** The NKey seed (`SU…`) of this service's NATS user; without it the connection is anonymous (a development server only). */
  nkeySeed?: string;
  /** TLS: the CA file that signed the server's certificate; a client certificate and key when the server asks for one. */
  tls?: { caFile?: string; certFile?: string; keyFile?: string };
  /** Prefix of this connection's reply subjects, `_INBOX_<user>` (a user may subscribe only to its own). Default `_INBOX`. */
  inboxPrefix?: string;
  /** Limits of the streams this bus creates (when it may manage them); default DEFAULT_STREAM_LIMITS. */
  streamLimits?: Partial<Record<"evt" | "dlq", StreamLimits>>;
  /**
   * Copies of each stream the JetStream cluster keeps (when this bus manages the streams): 3 on a three-server
   * cluster, so one server may fail without losing a message (docs/adr/0033); 1 (the default) on a single server.
   * Given, it is applied to existing streams as well.
   */
  replicas?: number;
}

const decoder = new TextDecoder();
/** How long one pull request of a consumer waits for messages before nats.js renews it (see startConsumer). */
const PULL_EXPIRES_MS = 5000;

function isApiError(err: unknown, code: number): boolean {
  return err instanceof JetStreamApiError && err.code === code;
}

/** A refusal by the server's permissions (nats.js wraps it in a RequestError for a request). */
function isPermissionError(err: unknown): boolean {
  return err instanceof PermissionViolationError || (err instanceof Error && err.cause instanceof PermissionViolationError);
}

function serverAtLeast(version: string | undefined, major: number, minor: number): boolean {
  const m = /^v?(\d+)\.(\d+)/.exec(version ?? "");
  if (!m) return false;
  const [maj, min] = [Number(m[1]), Number(m[2])];
  return maj > major || (maj === major && min >= minor);
}

class NatsBus implements Bus {
  readonly kind = "nats" as const;
  readonly namespace: string;
  readonly manages: boolean;
  private readonly js: JetStreamClient;
  private closing: Promise<void> | undefined;
  private readonly stoppers = new Set<Stoppable>();

  constructor(
    private readonly nc: NatsConnection,
    private readonly jsm: JetStreamManager,
    private readonly n: Names,
    private readonly log: BusLogger,
    manages: boolean,
    private readonly limits: { evt?: StreamLimits; dlq?: StreamLimits },
    private readonly replicas?: number,
  ) {
    this.namespace = n.namespace;
    this.manages = manages;
    this.js = jetstream(nc);
  }

  private live(): void {
    if (this.closing || this.nc.isClosed()) throw new BusError("NIET_VERBONDEN", "bus is closed");
  }

  async ensureStreams(): Promise<void> {
    this.live();
    if (!this.manages) return; // provisioned (npm run nats:provision); this user may not look
    for (const kind of ["evt", "dlq"] as const) {
      const name = this.n.stream(kind);
      const subjects = [this.n.abs(`${kind}.>`)];
      const duplicate_window = nanos(DUPLICATE_WINDOW_MS);
      const given = this.limits[kind];
      const limits = given ?? DEFAULT_STREAM_LIMITS[kind];
      const limitConfig = { max_age: nanos(limits.maxAgeMs), max_bytes: limits.maxBytes, discard: DiscardPolicy.New };
      const replicaConfig = this.replicas !== undefined ? { num_replicas: this.replicas } : {};
      try {
        const info = await this.jsm.streams.info(name);
        // Limits given here win; without them a stream keeps its own, and one that has none (made before limits existed) gets the defaults.
        const unlimited = !info.config.max_age || !info.config.max_bytes || info.config.max_bytes < 0;
        await this.jsm.streams.update(name, { subjects, duplicate_window, ...(given || unlimited ? limitConfig : {}), ...replicaConfig });
      } catch (err) {
        if (!isApiError(err, JetStreamApiCodes.StreamNotFound)) throw err;
        try {
          await this.jsm.streams.add({
            name,
            subjects,
            duplicate_window,
            storage: StorageType.File,
            retention: RetentionPolicy.Limits,
            ...limitConfig,
            ...replicaConfig,
          });
        } catch (addErr) {
          // another process created it in between
          await this.jsm.streams.update(name, { subjects, duplicate_window }).catch(() => Promise.reject(addErr));
        }
      }
    }
  }

  async ensureConsumer(opts: ConsumerOptions): Promise<void> {
    const cfg = resolveConsumerOptions(opts);
    this.live();
    const stream = this.n.stream(cfg.stream);
    const filter = this.filterConfig(cfg);
    if (this.manages) await this.createOrUpdateConsumer(stream, cfg, filter.server);
    else await this.checkProvisioned(stream, cfg, filter.server);
  }

  async publish(subject: string, data: string, msgId: string): Promise<void> {
    checkPublishSubject(subject);
    checkMsgId(msgId);
    await this.jsPublish(subject, data, msgId);
  }

  private async jsPublish(subject: string, data: string, msgId: string, hdrs?: Record<string, string>): Promise<void> {
    if (this.nc.isClosed()) throw new BusError("NIET_VERBONDEN", "bus is closed");
    let h: ReturnType<typeof natsHeaders> | undefined;
    if (hdrs) {
      h = natsHeaders();
      for (const [k, v] of Object.entries(hdrs)) h.set(k, v);
    }
    try {
      // a duplicate msgId comes back as a PubAck with duplicate: true — accepted
      await this.js.publish(this.n.abs(subject), String(data), { msgID: msgId, ...(h ? { headers: h } : {}) });
    } catch (err) {
      if (err instanceof ClosedConnectionError || this.nc.isClosed()) {
        throw new BusError("NIET_VERBONDEN", "bus is closed", { cause: err });
      }
      throw new BusError("PUBLICATIE_MISLUKT", `publish on '${subject}' failed: ${errorText(err)}`, { cause: err });
    }
  }

  /** filter_subjects needs server 2.10; on older servers several filters become one stream-wide filter plus a client-side check. */
  private filterConfig(cfg: ResolvedConsumerOptions): { server: Partial<ConsumerConfig>; client?: string[] } {
    const abs = cfg.filterSubjects.map((f) => this.n.abs(f));
    if (abs.length === 1) return { server: { filter_subject: abs[0], filter_subjects: undefined } };
    if (serverAtLeast(this.nc.info?.version, 2, 10)) return { server: { filter_subject: undefined, filter_subjects: abs } };
    return { server: { filter_subject: this.n.abs(`${cfg.stream}.>`), filter_subjects: undefined }, client: abs };
  }

  /** Without the right to manage: the durable must exist, made by the provisioning step as this service would have made it. */
  private async checkProvisioned(stream: string, cfg: ResolvedConsumerOptions, filter: Partial<ConsumerConfig>): Promise<void> {
    let info: Awaited<ReturnType<JetStreamManager["consumers"]["info"]>>;
    try {
      info = await this.jsm.consumers.info(stream, cfg.durable);
    } catch (err) {
      if (isApiError(err, JetStreamApiCodes.ConsumerNotFound) || isApiError(err, JetStreamApiCodes.StreamNotFound)) {
        throw new Error(`durable consumer ${cfg.durable} on stream ${stream} is not provisioned (npm run nats:provision)`, { cause: err });
      }
      if (isPermissionError(err)) {
        throw new Error(`this NATS user may not use durable consumer ${cfg.durable} on stream ${stream} (see infra/nats)`, { cause: err });
      }
      throw err;
    }
    const c = info.config;
    const want = {
      filter: [...(filter.filter_subjects ?? (filter.filter_subject ? [filter.filter_subject] : []))].sort().join(","),
      max_deliver: cfg.maxDeliver + 1,
      ack_wait: nanos(cfg.ackWaitMs),
    };
    const have = {
      filter: [...(c.filter_subjects?.length ? c.filter_subjects : c.filter_subject ? [c.filter_subject] : [])].sort().join(","),
      max_deliver: c.max_deliver,
      ack_wait: c.ack_wait,
    };
    if (want.filter !== have.filter || want.max_deliver !== have.max_deliver || want.ack_wait !== have.ack_wait) {
      throw new Error(
        `durable consumer ${cfg.durable} on stream ${stream} was provisioned as ${JSON.stringify(have)}, this service needs ${JSON.stringify(want)} (npm run nats:provision)`,
      );
    }
  }

  private async createOrUpdateConsumer(stream: string, cfg: ResolvedConsumerOptions, filter: Partial<ConsumerConfig>): Promise<void> {
    const changeable: Partial<ConsumerConfig> = {
      ack_wait: nanos(cfg.ackWaitMs),
      max_deliver: cfg.maxDeliver + 1,
      ...filter,
    };
    const update = () => this.jsm.consumers.update(stream, cfg.durable, changeable);
    try {
      await update();
    } catch (err) {
      if (isApiError(err, JetStreamApiCodes.StreamNotFound)) {
        throw new Error(`stream ${stream} does not exist; call ensureStreams() first`, { cause: err });
      }
      if (!isApiError(err, JetStreamApiCodes.ConsumerNotFound)) throw err;
      try {
        await this.jsm.consumers.add(stream, {
          durable_name: cfg.durable,
          ack_policy: AckPolicy.Explicit,
          deliver_policy: DeliverPolicy.All,
          ...changeable,
        });
      } catch (addErr) {
        if (isApiError(addErr, JetStreamApiCodes.StreamNotFound)) {
          throw new Error(`stream ${stream} does not exist; call ensureStreams() first`, { cause: addErr });
        }
        await update().catch(() => Promise.reject(addErr)); // created by someone else meanwhile
      }
    }
  }

  async consume(opts: ConsumerOptions, handler: Handler): Promise<Stoppable> {
    // One at a time is a batch of one: the same decisions (handleBatchDelivery hands a single message to handleDelivery).
    return this.startConsumer(resolveConsumerOptions(opts), 1, ([m]) => (m ? handler(m) : Promise.resolve()));
  }

  async consumeBatch(opts: BatchConsumerOptions, handler: BatchHandler): Promise<Stoppable> {
    return this.startConsumer(resolveConsumerOptions(opts), resolveMaxBatch(opts.maxBatch), handler);
  }

  private async startConsumer(cfg: ResolvedConsumerOptions, max: number, handler: BatchHandler): Promise<Stoppable> {
    this.live();
    const stream = this.n.stream(cfg.stream);
    const filter = this.filterConfig(cfg);
    if (this.manages) await this.createOrUpdateConsumer(stream, cfg, filter.server);
    else await this.checkProvisioned(stream, cfg, filter.server);
    const consumer = await this.js.consumers.get(stream, cfg.durable);
    // One message buffered (which keeps ack_wait honest and lets instances share work). A batch consumer then fetches
    // what the server says is waiting behind that message, at most a batch's worth, before handling them together.
    // (A larger buffer is not used: nats.js 3.3 runs a queued pull request after stop(), to an inbox no longer
    // listened to, so the messages it brings wait out ack_wait instead of going to the next consumer.)
    // A pull request lives PULL_EXPIRES_MS; the server sends a heartbeat every half of that while it waits, and nats.js
    // pulls anew after two missed heartbeats. With nats.js's 30 s a pull lost with a cluster's server (its leader
    // killed) left the consumer idle for 30 s, its backlog untouched (docs/performance.md, "Fault tests").
    const messages: ConsumerMessages = await consumer.consume({ max_messages: 1, expires: PULL_EXPIRES_MS });
    let stopping = false;

    void (async () => {
      for await (const s of messages.status()) {
        if (s.type === "consumer_deleted" || s.type === "consumer_not_found" || s.type === "stream_not_found") {
          this.log.warn({ durable: cfg.durable, stream, status: s }, "consumer problem; retrying");
        }
      }
    })().catch(() => undefined);

    const loop = (async () => {
      try {
        for await (const m of messages) {
          if (stopping) {
            m.nak(); // buffered but not handled: give it back at once
            continue;
          }
          const taken = [m];
          const more = Math.min(m.info.pending, max - 1);
          if (more > 0) {
            try {
              // Waiting now, so the fetch ends as soon as they are here (or after 1 s when another instance took some).
              for await (const x of await consumer.fetch({ max_messages: more, expires: 1000 })) taken.push(x);
            } catch (err) {
              this.log.warn({ durable: cfg.durable, error: errorText(err) }, "fetching a batch failed; handling what came");
            }
          }
          await this.handleBatch(taken, cfg, filter.client, handler);
        }
      } catch (err) {
        if (!stopping) this.log.error({ durable: cfg.durable, error: errorText(err) }, "consumer stopped unexpectedly");
      }
    })();

    let stopped: Promise<void> | undefined;
    const stopper: Stoppable = {
      stop: () =>
        (stopped ??= (async () => {
          stopping = true;
          messages.stop();
          await loop;
          if (!this.nc.isClosed()) await this.nc.flush().catch(() => undefined); // naks and terms are fire-and-forget
          this.stoppers.delete(stopper);
        })()),
    };
    this.stoppers.add(stopper);
    return stopper;
  }

  private settleFor(m: JsMsg, msg: BusMessage, cfg: ResolvedConsumerOptions): Settle {
    return {
      ack: async () => {
        // ackAck: a stopped consumer must not see this message again
        const ok = await m.ackAck().catch(() => false);
        if (!ok) this.log.warn({ durable: cfg.durable, seq: m.seq }, "ack not confirmed; the message may be redelivered");
      },
      nak: (delay) => m.nak(delay),
      term: () => m.term(),
      deadLetter: (error) =>
        this.jsPublish(`dlq.${cfg.durable}`, msg.data, `${cfg.durable}:${msg.msgId}`, {
          [H_ORIGINAL_SUBJECT]: msg.subject,
          [H_MSG_ID]: msg.msgId,
          [H_ERROR]: error,
          [H_DURABLE]: cfg.durable,
          [H_DELIVERY_COUNT]: String(msg.deliveryCount),
        }),
    };
  }

  private async handleBatch(ms: JsMsg[], cfg: ResolvedConsumerOptions, clientFilter: string[] | undefined, handler: BatchHandler): Promise<void> {
    const delivered: Delivered[] = [];
    for (const m of ms) {
      const msg: BusMessage = {
        subject: this.n.rel(m.subject) ?? m.subject,
        data: m.string(),
        msgId: m.headers?.get("Nats-Msg-Id") || `${m.info.stream}:${m.seq}`,
        deliveryCount: m.info.deliveryCount,
      };
      const settle = this.settleFor(m, msg, cfg);
      // A server without filter_subjects delivers the whole stream: what this consumer does not want is acked unseen.
      if (clientFilter && !clientFilter.some((f) => subjectMatches(f, m.subject))) await settle.ack();
      else delivered.push({ msg, settle });
    }
    if (delivered.length === 0) return;
    const keepAlive = setInterval(
      () => {
        for (const m of ms) m.working();
      },
      Math.max(500, Math.floor(cfg.ackWaitMs / 3)),
    );
    keepAlive.unref?.();
    try {
      await handleBatchDelivery(delivered, cfg, handler, this.log);
    } finally {
      clearInterval(keepAlive);
    }
  }

  async request(subject: string, data: string, timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS): Promise<string> {
    checkRpcSubject(subject, "request", false);
    this.live();
    try {
      const reply = await this.nc.request(this.n.abs(subject), String(data), { timeout: timeoutMs });
      return reply.string();
    } catch (err) {
      if (err instanceof ClosedConnectionError || this.nc.isClosed()) {
        throw new BusError("NIET_VERBONDEN", "bus is closed", { cause: err });
      }
      // RequestError (no responders) or TimeoutError
      throw new BusError("GEEN_ANTWOORD", `no reply on '${subject}': ${errorText(err)}`, { cause: err });
    }
  }

  async serve(subject: string, handler: RequestHandler, opts?: { queue?: string }): Promise<Stoppable> {
    checkRpcSubject(subject, "serve", true);
    if (opts?.queue !== undefined) checkSubject(opts.queue, "serve queue", false);
    this.live();
    const inFlight = new Set<Promise<void>>();
    const sub = this.nc.subscribe(this.n.abs(subject), {
      ...(opts?.queue !== undefined ? { queue: opts.queue } : {}),
      callback: (err, m) => {
        if (err) {
          this.log.error({ subject, error: errorText(err) }, "serve subscription failed");
          return;
        }
        const p = (async () => {
          try {
            m.respond(String(await handler(m.string())));
          } catch (e) {
            this.log.error({ subject, error: errorText(e) }, "request handler threw; no reply sent");
          }
        })();
        inFlight.add(p);
        void p.finally(() => inFlight.delete(p));
      },
    });
    await this.nc.flush(); // the server knows the subscription before serve() resolves
    let stopped: Promise<void> | undefined;
    const stopper: Stoppable = {
      stop: () =>
        (stopped ??= (async () => {
          if (!sub.isClosed()) await sub.drain().catch(() => undefined);
          await Promise.allSettled([...inFlight]);
          if (!this.nc.isClosed()) await this.nc.flush().catch(() => undefined);
          this.stoppers.delete(stopper);
        })()),
    };
    this.stoppers.add(stopper);
    return stopper;
  }

  maxPayload(): number {
    // The server's limit as it told this connection (each server of a cluster may say its own; they share one configuration).
    return this.nc.info?.max_payload ?? DEFAULT_MAX_PAYLOAD;
  }

  async deadLetters(durable: string): Promise<DeadLetter[]> {
    checkSubject(durable, "deadLetters", false);
    this.live();
    const stream = this.n.stream("dlq");
    const subject = this.n.abs(`dlq.${durable}`);
    const out: DeadLetter[] = [];
    // direct reads by subject: nothing is consumed or acknowledged
    for (let seq = 1; ; ) {
      let sm: StoredMsg | null;
      try {
        sm = await this.jsm.streams.getMessage(stream, { seq, next_by_subj: subject } as unknown as { seq: number });
      } catch (err) {
        if (isApiError(err, JetStreamApiCodes.StreamNotFound)) return out;
        throw err;
      }
      if (!sm) return out;
      if (sm.subject === subject) {
        const h = sm.header;
        out.push({
          subject: `dlq.${durable}`,
          data: decoder.decode(sm.data),
          msgId: h.get(H_MSG_ID),
          deliveryCount: Number(h.get(H_DELIVERY_COUNT) || 0),
          error: h.get(H_ERROR),
          originalSubject: h.get(H_ORIGINAL_SUBJECT),
        });
      }
      seq = sm.seq + 1;
    }
  }

  close(): Promise<void> {
    return (this.closing ??= (async () => {
      await Promise.all([...this.stoppers].map((s) => s.stop()));
      if (!this.nc.isClosed()) await this.nc.drain().catch(() => undefined);
    })());
  }
}

export async function connectNatsBus(opts: NatsBusOptions): Promise<Bus> {
  const n = names(opts.namespace);
  const log = opts.log ?? consoleLogger;
  let nc: NatsConnection;
  try {
    nc = await connect({
      servers: natsServers(opts.servers),
      name: opts.name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 1000,
      ...(opts.nkeySeed ? { authenticator: nkeyAuthenticator(new TextEncoder().encode(opts.nkeySeed.trim())) } : {}),
      ...(opts.tls ? { tls: { ...opts.tls } } : {}),
      ...(opts.inboxPrefix ? { inboxPrefix: opts.inboxPrefix } : {}),
    });
  } catch (err) {
    throw new BusError("NIET_VERBONDEN", `cannot reach NATS at ${opts.servers}: ${errorText(err)}`, { cause: err });
  }
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === "error" && s.error instanceof PermissionViolationError) {
        // the probe below (may this user manage streams?) is expected to be refused to a service
        if (s.error.subject !== "$JS.API.INFO")
          log.warn({ name: opts.name, operation: s.error.operation, subject: s.error.subject }, "NATS permission violation");
      } else if (s.type === "disconnect" || s.type === "reconnect" || s.type === "error") log.warn({ status: s.type, name: opts.name }, `NATS ${s.type}`);
    }
  })().catch(() => undefined);
  const jsm = await jetstreamManager(nc, { checkAPI: false });
  // May this user manage streams and consumers? Only the provisioning user of an authenticated server (or anyone on a server without accounts).
  let manages: boolean;
  try {
    await jsm.getAccountInfo();
    manages = true;
  } catch (err) {
    if (isPermissionError(err)) manages = false;
    else {
      await nc.close().catch(() => undefined);
      throw new BusError("NIET_VERBONDEN", `NATS at ${opts.servers} has no JetStream: ${errorText(err)}`, { cause: err });
    }
  }
  for (const kind of ["evt", "dlq"] as const) {
    const l = opts.streamLimits?.[kind];
    if (l) checkStreamLimits(l, `streamLimits.${kind}`);
  }
  if (opts.replicas !== undefined) checkReplicas(opts.replicas);
  return new NatsBus(nc, jsm, n, log, manages, { ...opts.streamLimits }, opts.replicas);
}

/** NATS_URL as nats.js takes it: one URL, or a cluster's URLs separated by commas. */
export function natsServers(url: string): string[] {
  const list = url
    .split(",")
    .map((u) => u.trim())
    .filter(Boolean);
  if (list.length === 0) throw new BusError("NIET_VERBONDEN", "no NATS server given (NATS_URL)");
  return list;
}

/** NatsBusOptions for a service's settings (natsClientSettings of @vi/service): reads the seed file; `user` names its inbox. */
export function natsLogin(
  s: { NATS_NKEY_SEED_FILE?: string; NATS_NKEY_SEED?: string; NATS_TLS_CA?: string; NATS_TLS_CERT?: string; NATS_TLS_KEY?: string },
  user: string,
): Pick<NatsBusOptions, "nkeySeed" | "tls" | "inboxPrefix"> {
  let nkeySeed = s.NATS_NKEY_SEED;
  if (s.NATS_NKEY_SEED_FILE) {
    try {
      nkeySeed = readFileSync(s.NATS_NKEY_SEED_FILE, "utf8").trim();
    } catch (e) {
      throw new Error(`NATS_NKEY_SEED_FILE ${s.NATS_NKEY_SEED_FILE} cannot be read: ${(e as Error).message}`);
    }
    if (!/^SU[A-Z2-7]{56}$/.test(nkeySeed)) throw new Error(`NATS_NKEY_SEED_FILE ${s.NATS_NKEY_SEED_FILE} does not hold a NATS user seed (SU…)`);
  }
  const tls =
    s.NATS_TLS_CA || s.NATS_TLS_CERT
      ? {
          ...(s.NATS_TLS_CA ? { caFile: s.NATS_TLS_CA } : {}),
          ...(s.NATS_TLS_CERT ? { certFile: s.NATS_TLS_CERT } : {}),
          ...(s.NATS_TLS_KEY ? { keyFile: s.NATS_TLS_KEY } : {}),
        }
      : undefined;
  return { ...(nkeySeed ? { nkeySeed } : {}), ...(tls ? { tls } : {}), inboxPrefix: inboxPrefixOf(user) };
}
