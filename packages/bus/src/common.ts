/** Rules shared by both implementations, so they validate and behave the same. */
import { scrubText } from "@vi/service";
import type { ConsumerOptions } from "./types";

export const DEFAULT_NAMESPACE = "vi";
export const DEFAULT_MAX_DELIVER = 8;
export const DEFAULT_BACKOFF_MS: readonly number[] = [250, 1000, 5000, 15000, 30000];
/**
 * Only matters when a process dies mid-handler (a live handler keeps its message with `working()`, the buffered
 * ones are few): the messages it held come back after this. It was 30 s, which after a kill -9 held a node's or
 * the hub's messages back for half a minute (docs/performance.md, "Fault tests").
 */
export const DEFAULT_ACK_WAIT_MS = 10_000;
/** How long a handler may take before its delivery counts as failed (ConsumerOptions.handlerTimeoutMs). */
export const DEFAULT_HANDLER_TIMEOUT_MS = 60_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 5000;
export const DUPLICATE_WINDOW_MS = 2 * 60_000;
/** NATS's default maximum message size (1 MiB); the memory bus claims the same. */
export const DEFAULT_MAX_PAYLOAD = 1024 * 1024;

/**
 * How long and how much a stream keeps (NATS). A stored event is a copy of
 * personal data (docs/federation.md, "Every copy goes"): it goes after
 * `maxAgeMs`, and a full stream refuses new messages (the outbox keeps them
 * and retries) rather than dropping old ones no consumer has seen.
 */
export interface StreamLimits {
  maxAgeMs: number;
  maxBytes: number;
}

export const DEFAULT_STREAM_LIMITS: Readonly<Record<"evt" | "dlq", StreamLimits>> = {
  /** Four days: a node down over a long weekend still gets its events. */
  evt: { maxAgeMs: 4 * 24 * 3_600_000, maxBytes: 1024 * 1024 * 1024 },
  /** Four days for an operator to read a dead letter (deadLetters()) before it goes. */
  dlq: { maxAgeMs: 4 * 24 * 3_600_000, maxBytes: 256 * 1024 * 1024 },
};

export function checkStreamLimits(l: StreamLimits, what: string): void {
  if (!Number.isInteger(l.maxAgeMs) || l.maxAgeMs < 60_000) throw new TypeError(`${what}: maxAgeMs must be a whole number ≥ 60000 (one minute)`);
  if (!Number.isInteger(l.maxBytes) || l.maxBytes < 1024 * 1024) throw new TypeError(`${what}: maxBytes must be a whole number ≥ 1 MiB`);
}

/** JetStream keeps at most five copies of a stream; one is a single server. */
export function checkReplicas(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > 5) throw new TypeError("replicas must be a whole number from 1 to 5");
}

/** Headers on a dead letter. */
export const H_ORIGINAL_SUBJECT = "Vi-Original-Subject";
export const H_MSG_ID = "Vi-Msg-Id";
export const H_ERROR = "Vi-Error";
export const H_DURABLE = "Vi-Durable";
export const H_DELIVERY_COUNT = "Vi-Delivery-Count";

export type StreamKind = "evt" | "dlq";

export interface Names {
  namespace: string;
  /** `<ns>.<relative>` */
  abs(relative: string): string;
  /** relative subject, or undefined when `subject` is not in this namespace */
  rel(subject: string): string | undefined;
  stream(kind: StreamKind): string;
}

const NAMESPACE_RE = /^[a-z][a-z0-9_-]{0,31}$/;
const TOKEN_RE = /^[^\s.*>]+$/;
const DURABLE_RE = /^[A-Za-z0-9_-]{1,64}$/;

export function names(namespace: string | undefined): Names {
  const ns = namespace ?? DEFAULT_NAMESPACE;
  if (!NAMESPACE_RE.test(ns)) {
    throw new TypeError(`bus namespace '${ns}' must match ${NAMESPACE_RE} (it prefixes subjects and, upper-cased, stream names)`);
  }
  const prefix = `${ns}.`;
  return {
    namespace: ns,
    abs: (relative) => prefix + relative,
    rel: (subject) => (subject.startsWith(prefix) ? subject.slice(prefix.length) : undefined),
    stream: (kind) => `${ns.toUpperCase()}_${kind === "evt" ? "EVENTS" : "DLQ"}`,
  };
}

/** Validates a relative subject; `wildcards` allows `*` tokens and a final `>`. */
export function checkSubject(subject: string, what: string, wildcards: boolean): string[] {
  if (typeof subject !== "string" || subject.length === 0) throw new TypeError(`${what}: subject must be a non-empty string`);
  const tokens = subject.split(".");
  tokens.forEach((t, i) => {
    if (wildcards && t === "*") return;
    if (wildcards && t === ">" && i === tokens.length - 1) return;
    if (!TOKEN_RE.test(t)) throw new TypeError(`${what}: invalid subject '${subject}'`);
  });
  return tokens;
}

/** Subject of a message published to a stream: `evt.…` (or `dlq.…`, written by the bus). */
export function checkPublishSubject(subject: string): StreamKind {
  const tokens = checkSubject(subject, "publish", false);
  if (tokens.length < 2 || (tokens[0] !== "evt" && tokens[0] !== "dlq")) {
    throw new TypeError(`publish: subject '${subject}' is not in a stream (use evt.<…>)`);
  }
  return tokens[0];
}

/** Request/reply subjects must stay out of the streams, or JetStream would store and answer them. */
export function checkRpcSubject(subject: string, what: string, wildcards: boolean): void {
  const tokens = checkSubject(subject, what, wildcards);
  if (tokens[0] === "evt" || tokens[0] === "dlq" || tokens[0] === ">" || tokens[0] === "*") {
    throw new TypeError(`${what}: subject '${subject}' overlaps a stream; use rpc.<…>`);
  }
}

export function checkMsgId(msgId: string): void {
  if (typeof msgId !== "string" || msgId.length === 0 || /[\r\n]/.test(msgId)) {
    throw new TypeError("publish: msgId must be a non-empty single-line string");
  }
}

/** NATS subject matching: `*` is one token, a final `>` one or more. */
export function subjectMatches(filter: string, subject: string): boolean {
  const f = filter.split(".");
  const s = subject.split(".");
  for (let i = 0; i < f.length; i++) {
    const ft = f[i];
    if (ft === ">") return s.length > i;
    const st = s[i];
    if (st === undefined) return false;
    if (ft !== "*" && ft !== st) return false;
  }
  return f.length === s.length;
}

/** True when some subject matches both filters. */
export function subjectsOverlap(a: string, b: string): boolean {
  const x = a.split(".");
  const y = b.split(".");
  for (let i = 0; ; i++) {
    const p = x[i];
    const q = y[i];
    if (p === ">" || q === ">") return (p === ">" ? y.length : x.length) > i;
    if (p === undefined || q === undefined) return p === q;
    if (p !== "*" && q !== "*" && p !== q) return false;
  }
}

export interface ResolvedConsumerOptions {
  durable: string;
  filterSubjects: string[];
  stream: StreamKind;
  maxDeliver: number;
  backoffMs: number[];
  ackWaitMs: number;
  handlerTimeoutMs: number;
}

export function resolveConsumerOptions(opts: ConsumerOptions): ResolvedConsumerOptions {
  if (!DURABLE_RE.test(opts.durable ?? "")) {
    throw new TypeError(`consume: durable '${opts.durable}' must match ${DURABLE_RE} (it becomes the subject token dlq.<durable>)`);
  }
  if (!Array.isArray(opts.filterSubjects) || opts.filterSubjects.length === 0) {
    throw new TypeError("consume: filterSubjects must name at least one subject");
  }
  let stream: StreamKind | undefined;
  for (const f of opts.filterSubjects) {
    const tokens = checkSubject(f, "consume", true);
    const first = tokens[0];
    if (first !== "evt" && first !== "dlq") throw new TypeError(`consume: filter '${f}' must start with evt. or dlq.`);
    if (tokens.length < 2) throw new TypeError(`consume: filter '${f}' is too wide; use ${first}.>`);
    if (stream && stream !== first) throw new TypeError("consume: filterSubjects must all lie in one stream");
    stream = first;
  }
  for (const a of opts.filterSubjects) {
    for (const b of opts.filterSubjects) {
      if (a !== b && subjectsOverlap(a, b)) {
        throw new TypeError(`consume: filters '${a}' and '${b}' overlap`);
      }
    }
  }
  if (new Set(opts.filterSubjects).size !== opts.filterSubjects.length) throw new TypeError("consume: duplicate filter subject");
  const maxDeliver = opts.maxDeliver ?? DEFAULT_MAX_DELIVER;
  if (!Number.isInteger(maxDeliver) || maxDeliver < 1) throw new TypeError("consume: maxDeliver must be an integer ≥ 1");
  const backoffMs = [...(opts.backoffMs ?? DEFAULT_BACKOFF_MS)];
  if (backoffMs.length === 0 || backoffMs.some((d) => !Number.isFinite(d) || d < 1)) {
    // a nak without delay loops a poison message as fast as the server can send it
    throw new TypeError("consume: backoffMs must hold at least one delay, each ≥ 1 ms");
  }
  const ackWaitMs = opts.ackWaitMs ?? DEFAULT_ACK_WAIT_MS;
  if (!Number.isFinite(ackWaitMs) || ackWaitMs < 1000) throw new TypeError("consume: ackWaitMs must be ≥ 1000");
  const handlerTimeoutMs = opts.handlerTimeoutMs ?? DEFAULT_HANDLER_TIMEOUT_MS;
  if (!Number.isFinite(handlerTimeoutMs) || handlerTimeoutMs < 10) throw new TypeError("consume: handlerTimeoutMs must be ≥ 10");
  return { durable: opts.durable, filterSubjects: [...opts.filterSubjects], stream: stream ?? "evt", maxDeliver, backoffMs, ackWaitMs, handlerTimeoutMs };
}

export const DEFAULT_MAX_BATCH = 100;
export const MAX_BATCH_LIMIT = 1000;

/** The batch size of `consumeBatch`: an integer from 1 to MAX_BATCH_LIMIT. */
export function resolveMaxBatch(maxBatch: number | undefined): number {
  const n = maxBatch ?? DEFAULT_MAX_BATCH;
  if (!Number.isInteger(n) || n < 1 || n > MAX_BATCH_LIMIT) throw new TypeError(`consumeBatch: maxBatch must be an integer from 1 to ${MAX_BATCH_LIMIT}`);
  return n;
}

/** Delay before the next delivery after delivery number `deliveryCount` failed. */
export function backoffFor(cfg: ResolvedConsumerOptions, deliveryCount: number): number {
  const i = Math.min(Math.max(deliveryCount, 1) - 1, cfg.backoffMs.length - 1);
  return cfg.backoffMs[i] ?? cfg.backoffMs[cfg.backoffMs.length - 1] ?? 1000;
}

/** Error text fit for a header and a log line: one line, bounded, without a failed query's parameters or other personal data (scrubText). */
export function errorText(err: unknown): string {
  const raw = err instanceof Error ? err.message || err.name : String(err);
  return (
    scrubText(raw)
      .replace(/[\r\n]+/g, " ")
      .slice(0, 1000) || "onbekende fout"
  );
}
