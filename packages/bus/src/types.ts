/** The bus contract shared by the NATS and the in-memory implementation (docs/federation.md, "Bus"). */

export interface BusMessage {
  /** Relative subject, without the namespace prefix. */
  subject: string;
  data: string;
  msgId: string;
  /** 1 on the first delivery, 2 on the first redelivery, … */
  deliveryCount: number;
}

export interface DeadLetter extends BusMessage {
  /** Text of the error the handler threw on its last attempt. */
  error: string;
  /** Relative subject the message was originally published on. */
  originalSubject: string;
}

export interface ConsumerOptions {
  durable: string;
  /** Relative subjects, may use `*` and `>`. All must lie in one stream (`evt.…` or `dlq.…`). */
  filterSubjects: string[];
  /** Default 8. Deliveries before the message goes to `dlq.<durable>`. */
  maxDeliver?: number;
  /** Delay before redelivery number n+1 is `backoffMs[min(n-1, len-1)]`. Default [250, 1000, 5000, 15000, 30000]. */
  backoffMs?: number[];
  /** Default 10000. Only matters when a process dies mid-handler (NATS); a live handler keeps its message. */
  ackWaitMs?: number;
  /**
   * Default 60000. A handler that has not settled by then counts as failed and its message is redelivered, so one
   * promise that never settles (a query lost with its connection) cannot hold the consumer for ever.
   */
  handlerTimeoutMs?: number;
}

/**
 * Resolve → ack. Throw → redelivered after the backoff delay for this delivery;
 * when `deliveryCount` has reached `maxDeliver` and it throws again, the message
 * goes to `dlq.<durable>` and is not delivered again.
 * Handlers must be idempotent: delivery is at least once.
 */
export type Handler = (msg: BusMessage) => Promise<void>;

export interface BatchConsumerOptions extends ConsumerOptions {
  /** Default 100. The most messages handed to the handler at once; fewer when fewer are waiting (no waiting to fill a batch). */
  maxBatch?: number;
}

/**
 * Handles several messages at once, in stream order (one transaction for all, say). Resolve → every message is
 * acked. Throw → each message of the batch is handled again on its own, by the same handler with a batch of one, and
 * from there on as `Handler` describes (redelivered after its backoff, dead-lettered after `maxDeliver`), so one bad
 * message neither holds nor takes down the others. Idempotent, like `Handler`: delivery is at least once.
 */
export type BatchHandler = (msgs: BusMessage[]) => Promise<void>;

/**
 * Request handler for `serve`. It should not throw: return an error reply
 * (`rpc.reply` with `ok: false`) instead. If it throws anyway, the error is
 * logged and no reply is sent, so the caller gets GEEN_ANTWOORD after its timeout.
 */
export type RequestHandler = (data: string) => Promise<string>;

export interface Stoppable {
  /** Stops taking new messages, waits for the one being handled, settles it. Idempotent. */
  stop(): Promise<void>;
}

export interface Bus {
  readonly kind: "nats" | "memory";
  readonly namespace: string;
  /**
   * False for a NATS user that may not use the JetStream admin API (a service of an
   * authenticated server): its streams and durable consumers are provisioned for it.
   */
  readonly manages: boolean;
  /**
   * Idempotent: creates or updates `<NS>_EVENTS` (`<ns>.evt.>`) and `<NS>_DLQ` (`<ns>.dlq.>`),
   * with their age and size limits. Does nothing when the bus does not manage them.
   */
  ensureStreams(): Promise<void>;
  /**
   * Creates or updates a durable consumer without consuming (provisioning), so it keeps
   * what is published before its service first consumes. When the bus does not manage
   * consumers: checks that it exists as `opts` describe, else rejects.
   */
  ensureConsumer(opts: ConsumerOptions): Promise<void>;
  /** Persists the message (waits for the PubAck). A duplicate msgId within 2 minutes is accepted and dropped. */
  publish(subject: string, data: string, msgId: string): Promise<void>;
  /** Durable pull consumer (created or updated; bound to the provisioned one when the bus does not manage). One message at a time, in stream order. */
  consume(opts: ConsumerOptions, handler: Handler): Promise<Stoppable>;
  /**
   * Durable pull consumer that hands over what is waiting, up to `maxBatch` messages, in stream order; one batch at a
   * time per consumer. A message alone is handed over at once (latency as `consume`); under load the batches grow.
   */
  consumeBatch(opts: BatchConsumerOptions, handler: BatchHandler): Promise<Stoppable>;
  /** Core request/reply. Rejects with BusError GEEN_ANTWOORD on timeout or when nobody serves the subject. */
  request(subject: string, data: string, timeoutMs?: number): Promise<string>;
  /** Answers requests on `subject` (wildcards allowed). With `queue`, each request goes to one member of the group. */
  serve(subject: string, handler: RequestHandler, opts?: { queue?: string }): Promise<Stoppable>;
  /**
   * The largest message (or reply) the bus carries, in bytes: the NATS server's `max_payload` (1 MiB by default),
   * learnt when connecting. A request handler whose answer could be larger pages it (the hub's rebuild, docs/federation.md).
   */
  maxPayload(): number;
  /** Reads `dlq.<durable>` without consuming it. Oldest first. */
  deadLetters(durable: string): Promise<DeadLetter[]>;
  /** Stops consumers and servers (waiting for handlers in flight), drains and closes. Idempotent. */
  close(): Promise<void>;
}

export type BusErrorCode = "GEEN_ANTWOORD" | "NIET_VERBONDEN" | "PUBLICATIE_MISLUKT";

export class BusError extends Error {
  readonly code: BusErrorCode;
  constructor(code: BusErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "BusError";
    this.code = code;
  }
}

export interface BusLogger {
  warn(o: object, m: string): void;
  error(o: object, m: string): void;
}

export const consoleLogger: BusLogger = {
  warn: (o, m) => console.warn(`[bus] ${m}`, o),
  error: (o, m) => console.error(`[bus] ${m}`, o),
};
