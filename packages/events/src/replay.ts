export interface ReplayGuard {
  /** True the first time a jti is seen; the entry may be dropped after expiresAt. */
  firstSeen(jti: string, expiresAt: Date): Promise<boolean>;
}

/**
 * In-process replay guard. Enough for one receiver process: a replica set
 * needs a shared guard (a unique jti in PostgreSQL). Expired entries are
 * swept at most once per `sweepEveryMs`.
 */
export function memoryReplayGuard(opts: { now?: () => Date; sweepEveryMs?: number } = {}): ReplayGuard {
  const now = opts.now ?? (() => new Date());
  const sweepEveryMs = opts.sweepEveryMs ?? 10_000;
  const seen = new Map<string, number>();
  let lastSweep = -Infinity;
  return {
    async firstSeen(jti, expiresAt) {
      const t = now().getTime();
      if (t - lastSweep >= sweepEveryMs) {
        lastSweep = t;
        for (const [k, until] of seen) if (until < t) seen.delete(k);
      }
      const until = seen.get(jti);
      if (until !== undefined && until >= t) return false;
      seen.set(jti, expiresAt.getTime());
      return true;
    },
  };
}
