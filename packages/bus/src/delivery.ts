/** What happens to one delivery: the same decision in both implementations. */
import { backoffFor, errorText, type ResolvedConsumerOptions } from "./common";
import type { BatchHandler, BusLogger, BusMessage, Handler } from "./types";

export interface Settle {
  ack(): Promise<void>;
  nak(delayMs: number): void;
  term(): void;
  /** Publishes the message with the error to `dlq.<durable>`; rejects when that failed. */
  deadLetter(error: string): Promise<void>;
}

export async function handleDelivery(msg: BusMessage, cfg: ResolvedConsumerOptions, handler: Handler, settle: Settle, log: BusLogger): Promise<void> {
  let failure: unknown;
  let failed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    // A handler that never settles (a query lost with its connection) would hold the message, and with it the
    // consumer, for ever: after handlerTimeoutMs it counts as failed. Handlers are idempotent, so should the first
    // attempt still finish, the redelivery changes nothing.
    await Promise.race([
      handler(msg),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`handler did not settle within ${cfg.handlerTimeoutMs} ms`)), cfg.handlerTimeoutMs);
      }),
    ]);
  } catch (err) {
    failed = true;
    failure = err;
  } finally {
    clearTimeout(timer);
  }
  if (!failed) {
    await settle.ack();
    return;
  }
  const error = errorText(failure);
  if (msg.deliveryCount < cfg.maxDeliver) {
    const delay = backoffFor(cfg, msg.deliveryCount);
    log.warn(
      { durable: cfg.durable, subject: msg.subject, msgId: msg.msgId, deliveryCount: msg.deliveryCount, retryInMs: delay, error },
      "handler failed; message will be redelivered",
    );
    settle.nak(delay);
    return;
  }
  await giveUp(msg, cfg, error, settle, log);
}

/** After the last delivery: to the dead-letter stream, then never again. */
export async function giveUp(msg: BusMessage, cfg: ResolvedConsumerOptions, error: string, settle: Settle, log: BusLogger): Promise<void> {
  try {
    await settle.deadLetter(error);
  } catch (err) {
    // keep the message rather than lose it; it comes back after the longest backoff
    const delay = cfg.backoffMs[cfg.backoffMs.length - 1] ?? 1000;
    log.error({ durable: cfg.durable, msgId: msg.msgId, error: errorText(err) }, "dead-lettering failed; message kept for retry");
    settle.nak(delay);
    return;
  }
  log.error(
    { durable: cfg.durable, subject: msg.subject, msgId: msg.msgId, deliveryCount: msg.deliveryCount, error },
    `message dead-lettered to dlq.${cfg.durable}`,
  );
  settle.term();
}

/** One message of a batch with the way to settle it. */
export interface Delivered {
  msg: BusMessage;
  settle: Settle;
}

/** The same decision as `handleDelivery`, for a batch: see `BatchHandler`. */
export async function handleBatchDelivery(batch: Delivered[], cfg: ResolvedConsumerOptions, handler: BatchHandler, log: BusLogger): Promise<void> {
  const live: Delivered[] = [];
  for (const d of batch) {
    // Delivered once more than maxDeliver: the last attempt was never settled (a crash); to the dead letters.
    if (d.msg.deliveryCount > cfg.maxDeliver) await giveUp(d.msg, cfg, "no ack after the last delivery (process stopped or ack wait expired)", d.settle, log);
    else live.push(d);
  }
  const single = (d: Delivered) => handleDelivery(d.msg, cfg, (m) => handler([m]), d.settle, log);
  const [only] = live;
  if (live.length === 0 || !only) return;
  if (live.length === 1) return single(only);
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      handler(live.map((d) => d.msg)),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`batch handler did not settle within ${cfg.handlerTimeoutMs} ms`)), cfg.handlerTimeoutMs);
      }),
    ]);
  } catch (err) {
    clearTimeout(timer);
    log.warn({ durable: cfg.durable, messages: live.length, error: errorText(err) }, "batch handler failed; handling its messages one by one");
    for (const d of live) await single(d);
    return;
  }
  clearTimeout(timer);
  // The acks go out together (pipelined), each still confirmed.
  await Promise.all(live.map((d) => d.settle.ack()));
}
