/**
 * Rate limits: an in-memory token bucket per key (an identity, a client address). Each bucket holds at most
 * `perMinute` tokens and refills at `perMinute` per minute; a request takes one. An empty bucket is a 429
 * TE_VEEL_VERZOEKEN with `Retry-After` (the seconds until a token is back). Memory is bounded: full buckets are
 * forgotten when the map grows past `maxKeys`. Per process: a service that runs as several replicas has a limit
 * per replica.
 */
import type { Context } from "hono";
import { getConnInfo } from "@hono/node-server/conninfo";
import { baseProblem, type Problem } from "./problem";

export interface TokenBuckets {
  /** Requests per minute per key; 0: no limit. */
  readonly perMinute: number;
  /** Takes a token for `key`; the seconds to wait when there is none. */
  take(key: string): { ok: true } | { ok: false; retryAfterSec: number };
  /** Is there a token for `key` (without taking it)? */
  has(key: string): boolean;
  /** The seconds until `key` has a token again (0: it has one). */
  waitSec(key: string): number;
}

export function tokenBuckets(opts: { perMinute: number; now?: () => number; maxKeys?: number }): TokenBuckets {
  const capacity = opts.perMinute;
  const perMs = capacity / 60_000;
  const now = opts.now ?? Date.now;
  const maxKeys = opts.maxKeys ?? 100_000;
  const buckets = new Map<string, { tokens: number; at: number }>();
  const level = (key: string, t: number): number => {
    const b = buckets.get(key);
    return b ? Math.min(capacity, b.tokens + (t - b.at) * perMs) : capacity;
  };
  const prune = (t: number) => {
    for (const [key] of buckets) if (level(key, t) >= capacity) buckets.delete(key);
  };
  const waitFor = (tokens: number) => Math.max(1, Math.ceil((1 - tokens) / perMs / 1000));
  return {
    perMinute: capacity,
    take(key) {
      if (capacity <= 0) return { ok: true };
      const t = now();
      const tokens = level(key, t);
      if (tokens < 1) {
        buckets.set(key, { tokens, at: t });
        return { ok: false, retryAfterSec: waitFor(tokens) };
      }
      if (buckets.size >= maxKeys && !buckets.has(key)) prune(t);
      buckets.set(key, { tokens: tokens - 1, at: t });
      return { ok: true };
    },
    has(key) {
      return capacity <= 0 || level(key, now()) >= 1;
    },
    waitSec(key) {
      if (capacity <= 0) return 0;
      const tokens = level(key, now());
      return tokens >= 1 ? 0 : waitFor(tokens);
    },
  };
}

/** 429 TE_VEEL_VERZOEKEN with the seconds to wait (sent as `Retry-After`). */
export function tooManyRequests(retryAfterSec: number, what: string): Problem {
  const p = baseProblem("TE_VEEL_VERZOEKEN", `Te veel ${what} in korte tijd. Probeer het over ${retryAfterSec} seconden opnieuw.`);
  p.retryAfterSec = retryAfterSec;
  return p;
}

/** Takes a token from each bucket for its key, or throws 429 with the longest wait. */
export function enforce(limits: ReadonlyArray<readonly [TokenBuckets, string]>, what: string): void {
  let wait = 0;
  for (const [buckets, key] of limits) {
    const r = buckets.take(key);
    if (!r.ok) wait = Math.max(wait, r.retryAfterSec);
  }
  if (wait > 0) throw tooManyRequests(wait, what);
}

/** The address the request came from (the TCP peer; a proxy's address when behind one). */
export function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? "onbekend";
  } catch {
    return "onbekend";
  }
}
