/**
 * In-process bus: the zero-setup default. One broker plays one NATS server:
 * streams with msgId dedup, durable consumers that keep their position per
 * durable name and share work between instances, redelivery with backoff
 * timers, maxDeliver → dlq.<durable>, request/reply with queue groups.
 */
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
  checkRpcSubject,
  DEFAULT_MAX_PAYLOAD,
  checkSubject,
  errorText,
  names,
  resolveConsumerOptions,
  resolveMaxBatch,
  subjectMatches,
  type Names,
  type ResolvedConsumerOptions,
  type StreamKind,
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

export interface MemoryBroker {
  /** A bus on this broker; `opts.namespace` overrides the broker's namespace (to test isolation). */
  connect(name: string, opts?: { namespace?: string }): Bus;
}

interface Stored {
  seq: number;
  subject: string; // absolute
  data: string;
  msgId: string;
  headers: Map<string, string>;
}

class MemStream {
  readonly messages: Stored[] = [];
  private lastSeq = 0;
  private readonly seen = new Map<string, number>(); // msgId → expiry, insertion ordered
  readonly consumers = new Map<string, MemConsumer>();
  constructor(
    readonly name: string,
    readonly filter: string,
  ) {}

  /** false when the msgId is a duplicate inside the window */
  append(subject: string, data: string, msgId: string, headers: Map<string, string>): boolean {
    const now = Date.now();
    for (const [id, exp] of this.seen) {
      if (exp > now) break;
      this.seen.delete(id);
    }
    if (this.seen.has(msgId)) return false;
    this.seen.set(msgId, now + DUPLICATE_WINDOW_MS);
    this.messages.push({ seq: ++this.lastSeq, subject, data, msgId, headers });
    for (const c of this.consumers.values()) c.kick();
    return true;
  }

  at(seq: number): Stored | undefined {
    // no deletes, so sequence n is at index n-1
    return this.messages[seq - 1];
  }
}

interface Worker {
  busy: boolean;
  stopping: boolean;
  /** The most messages handed over at once (1 for `consume`). */
  max: number;
  run(batch: { m: Stored; count: number }[]): Promise<void>;
}

class MemConsumer {
  cfg: ResolvedConsumerOptions;
  private absFilters: string[];
  private nextSeq = 1;
  private readonly deliveries = new Map<number, number>(); // unacked seq → deliveries so far
  private readonly waiting = new Map<number, number>(); // nak'd seq → due time
  private readonly inFlight = new Set<number>();
  readonly workers: Worker[] = [];
  private rr = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = Infinity;
  private scheduled = false;

  constructor(
    private readonly stream: MemStream,
    cfg: ResolvedConsumerOptions,
    private readonly n: Names,
  ) {
    this.cfg = cfg;
    this.absFilters = cfg.filterSubjects.map((f) => n.abs(f));
  }

  update(cfg: ResolvedConsumerOptions): void {
    this.cfg = cfg;
    this.absFilters = cfg.filterSubjects.map((f) => this.n.abs(f));
    this.kick();
  }

  /** Dispatch soon, outside the caller's stack (publish resolves before handlers run). */
  kick(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.dispatch();
    });
  }

  private matches(subject: string): boolean {
    return this.absFilters.some((f) => subjectMatches(f, subject));
  }

  private next(now: number): { m: Stored; count: number } | undefined {
    let due: number | undefined;
    for (const [seq, at] of this.waiting) if (at <= now && (due === undefined || seq < due)) due = seq;
    if (due !== undefined) {
      this.waiting.delete(due);
      const m = this.stream.at(due);
      if (m) return { m, count: (this.deliveries.get(due) ?? 0) + 1 };
    }
    for (;;) {
      const m = this.stream.at(this.nextSeq);
      if (!m) return undefined;
      this.nextSeq++;
      if (this.matches(m.subject)) return { m, count: 1 };
    }
  }

  private dispatch(): void {
    // One reading of the clock for the whole pass: next() and armTimer() must split the waiting messages at the same
    // instant. With two readings a message that comes due between them is neither taken (not yet due for next()) nor
    // timed (already due for armTimer()), and is never redelivered. Timers can fire a millisecond early by Date.now(),
    // so that happens in practice.
    const now = Date.now();
    for (;;) {
      const idle = this.workers.filter((w) => !w.busy && !w.stopping);
      if (idle.length === 0) break;
      const worker = idle[this.rr++ % idle.length];
      if (!worker) break;
      const batch: { m: Stored; count: number }[] = [];
      while (batch.length < worker.max) {
        const n = this.next(now);
        if (!n) break;
        this.deliveries.set(n.m.seq, n.count);
        this.inFlight.add(n.m.seq);
        batch.push(n);
      }
      if (batch.length === 0) break;
      worker.busy = true;
      void worker.run(batch).finally(() => {
        worker.busy = false;
        this.kick();
      });
    }
    this.armTimer(now);
  }

  private armTimer(now: number): void {
    // only future ones: those already due at `now` were taken by dispatch(), or are taken when a worker frees up
    let first = Infinity;
    for (const at of this.waiting.values()) if (at > now) first = Math.min(first, at);
    if (first === Infinity || first >= this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = first;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerAt = Infinity;
        this.dispatch();
      },
      Math.max(0, first - Date.now()),
    );
    this.timer.unref?.();
  }

  /** Handed to a worker and not settled yet. */
  unsettled(seq: number): boolean {
    return this.inFlight.has(seq);
  }

  settled(seq: number, outcome: { nakDelay?: number }): void {
    this.inFlight.delete(seq);
    if (outcome.nakDelay !== undefined) {
      this.waiting.set(seq, Date.now() + outcome.nakDelay);
    } else {
      this.deliveries.delete(seq);
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
  }
}

interface Subscription {
  bus: MemoryBus;
  subject: string; // absolute, may hold wildcards
  queue: string | undefined;
  handler: RequestHandler;
  inFlight: Set<Promise<unknown>>;
}

class Broker {
  readonly streams = new Map<string, MemStream>();
  readonly subs: Subscription[] = [];
  private rr = 0;
  constructor(
    readonly namespace: string,
    readonly log: BusLogger,
  ) {}

  /** The stream that captures an absolute subject. */
  streamFor(subject: string): MemStream | undefined {
    for (const s of this.streams.values()) if (subjectMatches(s.filter, subject)) return s;
    return undefined;
  }

  pickResponders(subject: string): Subscription[] {
    const matching = this.subs.filter((s) => subjectMatches(s.subject, subject));
    const out: Subscription[] = [];
    const groups = new Map<string, Subscription[]>();
    for (const s of matching) {
      if (s.queue === undefined) out.push(s);
      else groups.set(s.queue, [...(groups.get(s.queue) ?? []), s]);
    }
    for (const members of groups.values()) {
      const m = members[this.rr++ % members.length];
      if (m) out.push(m);
    }
    return out;
  }
}

class MemoryBus implements Bus {
  readonly kind = "memory" as const;
  /** The in-process broker has no users: every bus manages its streams and consumers. */
  readonly manages = true;
  readonly namespace: string;
  private readonly n: Names;
  private closing = false;
  private closed = false;
  private readonly stoppers = new Set<Stoppable>();

  constructor(
    private readonly broker: Broker,
    readonly name: string,
    namespace: string | undefined,
  ) {
    this.n = names(namespace ?? broker.namespace);
    this.namespace = this.n.namespace;
  }

  /** New work is refused once close() began; publishes from handlers still finishing are allowed until it ends. */
  private live(opening = true): void {
    if (this.closed || (opening && this.closing)) throw new BusError("NIET_VERBONDEN", `bus '${this.name}' is closed`);
  }

  async ensureStreams(): Promise<void> {
    this.live();
    for (const kind of ["evt", "dlq"] as const) {
      const name = this.n.stream(kind);
      if (!this.broker.streams.has(name)) this.broker.streams.set(name, new MemStream(name, this.n.abs(`${kind}.>`)));
    }
  }

  async publish(subject: string, data: string, msgId: string): Promise<void> {
    checkPublishSubject(subject);
    checkMsgId(msgId);
    this.live(false);
    this.append(subject, data, msgId, new Map());
  }

  private append(subject: string, data: string, msgId: string, headers: Map<string, string>): void {
    const abs = this.n.abs(subject);
    const stream = this.broker.streamFor(abs);
    if (!stream) {
      throw new BusError("PUBLICATIE_MISLUKT", `no stream captures '${abs}' (was ensureStreams() called?)`);
    }
    stream.append(abs, String(data), msgId, headers);
  }

  private stream(kind: StreamKind): MemStream {
    const name = this.n.stream(kind);
    const s = this.broker.streams.get(name);
    if (!s) throw new Error(`stream ${name} does not exist; call ensureStreams() first`);
    return s;
  }

  async ensureConsumer(opts: ConsumerOptions): Promise<void> {
    const cfg = resolveConsumerOptions(opts);
    this.live();
    this.durable(cfg);
  }

  private durable(cfg: ResolvedConsumerOptions): MemConsumer {
    const stream = this.stream(cfg.stream);
    let consumer = stream.consumers.get(cfg.durable);
    if (consumer) consumer.update(cfg);
    else {
      consumer = new MemConsumer(stream, cfg, this.n);
      stream.consumers.set(cfg.durable, consumer);
    }
    return consumer;
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
    const c = this.durable(cfg);
    const log = this.broker.log;
    let current: Promise<void> = Promise.resolve();
    const worker: Worker = {
      busy: false,
      stopping: false,
      max,
      run: (batch) => {
        const delivered: Delivered[] = batch.map(({ m, count }) => {
          const msg: BusMessage = { subject: this.n.rel(m.subject) ?? m.subject, data: m.data, msgId: m.msgId, deliveryCount: count };
          const settle: Settle = {
            ack: async () => c.settled(m.seq, {}),
            nak: (delay) => c.settled(m.seq, { nakDelay: delay }),
            term: () => c.settled(m.seq, {}),
            deadLetter: async (error) => this.deadLetter(c.cfg, msg, error),
          };
          return { msg, settle };
        });
        const cfgNow = c.cfg;
        current = handleBatchDelivery(delivered, cfgNow, handler, log).catch((err) => {
          // settling itself failed; keep what was not settled
          log.error({ durable: cfgNow.durable, messages: batch.length, error: errorText(err) }, "settling a message failed");
          for (const { m } of batch) if (c.unsettled(m.seq)) c.settled(m.seq, { nakDelay: cfgNow.backoffMs[0] ?? 1000 });
        });
        return current;
      },
    };
    c.workers.push(worker);
    c.kick();
    let stopped: Promise<void> | undefined;
    const stopper: Stoppable = {
      stop: () =>
        (stopped ??= (async () => {
          worker.stopping = true;
          await current;
          const i = c.workers.indexOf(worker);
          if (i >= 0) c.workers.splice(i, 1);
          if (c.workers.length === 0) c.dispose();
          this.stoppers.delete(stopper);
        })()),
    };
    this.stoppers.add(stopper);
    return stopper;
  }

  private async deadLetter(cfg: ResolvedConsumerOptions, msg: BusMessage, error: string): Promise<void> {
    const headers = new Map([
      [H_ORIGINAL_SUBJECT, msg.subject],
      [H_MSG_ID, msg.msgId],
      [H_ERROR, error],
      [H_DURABLE, cfg.durable],
      [H_DELIVERY_COUNT, String(msg.deliveryCount)],
    ]);
    // the bus may be closed by now; dead-lettering belongs to the broker
    this.append(`dlq.${cfg.durable}`, msg.data, `${cfg.durable}:${msg.msgId}`, headers);
  }

  async request(subject: string, data: string, timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS): Promise<string> {
    checkRpcSubject(subject, "request", false);
    this.live();
    const abs = this.n.abs(subject);
    const responders = this.broker.pickResponders(abs);
    if (responders.length === 0) throw new BusError("GEEN_ANTWOORD", `no responders for '${subject}'`);
    return new Promise<string>((resolve, reject) => {
      let done = false;
      const timer = setTimeout(() => {
        done = true;
        reject(new BusError("GEEN_ANTWOORD", `no reply on '${subject}' within ${timeoutMs} ms`));
      }, timeoutMs);
      for (const s of responders) {
        const p = (async () => s.handler(String(data)))().then(
          (reply) => {
            if (done) return;
            done = true;
            clearTimeout(timer);
            resolve(String(reply));
          },
          (err) => this.broker.log.error({ subject, error: errorText(err) }, "request handler threw; no reply sent"),
        );
        s.inFlight.add(p);
        void p.finally(() => s.inFlight.delete(p));
      }
    });
  }

  async serve(subject: string, handler: RequestHandler, opts?: { queue?: string }): Promise<Stoppable> {
    checkRpcSubject(subject, "serve", true);
    if (opts?.queue !== undefined) checkSubject(opts.queue, "serve queue", false);
    this.live();
    const sub: Subscription = { bus: this, subject: this.n.abs(subject), queue: opts?.queue, handler, inFlight: new Set() };
    this.broker.subs.push(sub);
    let stopped: Promise<void> | undefined;
    const stopper: Stoppable = {
      stop: () =>
        (stopped ??= (async () => {
          const i = this.broker.subs.indexOf(sub);
          if (i >= 0) this.broker.subs.splice(i, 1);
          await Promise.allSettled([...sub.inFlight]);
          this.stoppers.delete(stopper);
        })()),
    };
    this.stoppers.add(stopper);
    return stopper;
  }

  maxPayload(): number {
    return DEFAULT_MAX_PAYLOAD;
  }

  async deadLetters(durable: string): Promise<DeadLetter[]> {
    checkSubject(durable, "deadLetters", false);
    this.live();
    const abs = this.n.abs(`dlq.${durable}`);
    return this.stream("dlq")
      .messages.filter((m) => m.subject === abs)
      .map((m) => ({
        subject: `dlq.${durable}`,
        data: m.data,
        msgId: m.headers.get(H_MSG_ID) ?? m.msgId,
        deliveryCount: Number(m.headers.get(H_DELIVERY_COUNT) ?? 0),
        error: m.headers.get(H_ERROR) ?? "",
        originalSubject: m.headers.get(H_ORIGINAL_SUBJECT) ?? "",
      }));
  }

  private closeP: Promise<void> | undefined;
  close(): Promise<void> {
    return (this.closeP ??= (async () => {
      this.closing = true;
      await Promise.all([...this.stoppers].map((s) => s.stop()));
      this.closed = true;
    })());
  }
}

export function createMemoryBroker(opts?: { namespace?: string; log?: BusLogger }): MemoryBroker {
  const broker = new Broker(names(opts?.namespace).namespace, opts?.log ?? consoleLogger);
  return { connect: (name, o) => new MemoryBus(broker, name, o?.namespace) };
}
