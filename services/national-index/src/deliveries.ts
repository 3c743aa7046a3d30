/**
 * Delivering matches to the bridges (an outbox per region, docs/national-chain.md): in order, in batches, over
 * mutual TLS with signed requests; a batch goes from the table once the bridge acknowledged it (a signed 2xx). A
 * bridge that is down is tried again with a growing pause (up to a minute), without holding up the others. A
 * bridge is idempotent on the match id, so a batch delivered twice (acknowledged, then the process died before
 * the delete) changes nothing the second time.
 */
import { asc, eq, inArray, sql } from "drizzle-orm";
import { fscClient, type FscClient, FscRefused, FscUnreachable, memoryNonceGuard } from "@vi/fsc";
import { errorForLog } from "@vi/service";
import type { NationalContext } from "./context";

const BATCH = 200;
const MAX_PAUSE_MS = 60_000;

export interface DeliveryWorker {
  kick(): void;
  /** Delivers everything it can now; resolves when every region's queue is empty or its bridge failed. */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

export function startDeliveries(ctx: NationalContext): DeliveryWorker {
  const clients = new Map<string, FscClient>();
  const nonces = memoryNonceGuard();
  const pauseUntil = new Map<string, number>();
  const failures = new Map<string, number>();
  const clientFor = (regio: string): FscClient | undefined => {
    const b = ctx.bridges.get(regio);
    if (!b) return undefined;
    let c = clients.get(regio);
    if (!c) clients.set(regio, (c = fscClient({ baseUrl: b.url, peerOin: b.oin, tls: ctx.tls, nonces, metrics: ctx.metrics })));
    return c;
  };

  async function deliverRegion(regio: string): Promise<void> {
    const client = clientFor(regio);
    if (!client) return;
    const t = ctx.t.afleveringen;
    for (;;) {
      if ((pauseUntil.get(regio) ?? 0) > Date.now()) return;
      const rows = await ctx.db.select({ id: t.id, inhoud: t.inhoud }).from(t).where(eq(t.regio, regio)).orderBy(asc(t.id)).limit(BATCH);
      if (rows.length === 0) return;
      try {
        const res = await client.call("POST", "/api/v1/landelijke-berichten", { berichten: rows.map((r) => r.inhoud) });
        if (res.status < 200 || res.status >= 300) throw new FscUnreachable(`bridge ${regio} answered ${res.status}`);
      } catch (e) {
        if (!(e instanceof FscUnreachable || e instanceof FscRefused)) throw e;
        const n = (failures.get(regio) ?? 0) + 1;
        failures.set(regio, n);
        pauseUntil.set(regio, Date.now() + Math.min(MAX_PAUSE_MS, 250 * 2 ** Math.min(n, 8)));
        ctx.figures.deliveryFailures += 1;
        await ctx.db
          .update(t)
          .set({ pogingen: sql`${t.pogingen} + 1` })
          .where(
            inArray(
              t.id,
              rows.map((r) => r.id),
            ),
          );
        ctx.log.warn({ regio, err: errorForLog(e), attempt: n }, "delivery to a bridge failed; will retry");
        return;
      }
      failures.delete(regio);
      await ctx.db.delete(t).where(
        inArray(
          t.id,
          rows.map((r) => r.id),
        ),
      );
      ctx.figures.delivered += rows.length;
    }
  }

  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  function flush(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await Promise.all(
            [...ctx.bridges.keys()].map((r) => deliverRegion(r).catch((e) => ctx.log.error({ regio: r, err: errorForLog(e) }, "delivery failed"))),
          );
        } while (again && !stopped);
      } finally {
        running = undefined;
      }
    })();
    return running;
  }
  const timer = setInterval(() => void flush(), ctx.config.AFLEVER_INTERVAL_MS);
  timer.unref();
  return {
    kick: () => void flush(),
    flush,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      for (const c of clients.values()) await c.close();
    },
  };
}
