/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/): one trace id follows a request through every
 * service it reaches. The HTTP skeleton accepts an incoming `traceparent` (or starts a trace), answers with
 * its own, and runs the request inside it; whatever runs within (the audit log, an RPC call, an event put in
 * the outbox) reads it with `currentTrace()`. A receiver continues the trace it was sent with `runInTrace`.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { randomBytes } from "node:crypto";

export interface Trace {
  /** 32 lower-case hex digits, the same in every service the request reaches. */
  traceId: string;
  /** 16 hex digits: this service's part of the trace (the parent of what it calls). */
  spanId: string;
  /** The trace id of the caller's span, when the trace came in. */
  parentId?: string;
  flags: string;
  /** `00-<traceId>-<spanId>-<flags>`: what this service sends on (and answers with). */
  traceparent: string;
}

export const TRACEPARENT_PATTERN = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The parts of a valid version-00 traceparent, or undefined (all-zero ids are invalid). */
export function parseTraceparent(header: string | undefined | null): { traceId: string; parentId: string; flags: string } | undefined {
  const m = TRACEPARENT_PATTERN.exec(header?.trim().toLowerCase() ?? "");
  if (!m) return undefined;
  const [, traceId, parentId, flags] = m as unknown as [string, string, string, string];
  if (/^0+$/.test(traceId) || /^0+$/.test(parentId)) return undefined;
  return { traceId, parentId, flags };
}

/** A span of this service: continuing `incoming` when it is a valid traceparent, else a new trace. */
export function continueTrace(incoming?: string | null): Trace {
  const parent = parseTraceparent(incoming);
  const traceId = parent?.traceId ?? randomBytes(16).toString("hex");
  const spanId = randomBytes(8).toString("hex");
  const flags = parent?.flags ?? "01";
  return { traceId, spanId, ...(parent ? { parentId: parent.parentId } : {}), flags, traceparent: `00-${traceId}-${spanId}-${flags}` };
}

const storage = new AsyncLocalStorage<Trace>();

/** Runs `fn` inside `trace`. */
export function runInTrace<T>(trace: Trace, fn: () => T): T {
  return storage.run(trace, fn);
}

/** The trace the current request or message runs in, if any. */
export function currentTrace(): Trace | undefined {
  return storage.getStore();
}
