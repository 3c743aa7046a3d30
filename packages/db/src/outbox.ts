/**
 * The transactional outbox and its relay, and a database-backed replay guard.
 *
 * A service writes the signed event into its outbox in the same transaction as
 * the change (enqueue); the relay publishes committed rows in order, a batch
 * at a time, and deletes them once published: an event is a copy of personal data, and a copy
 * goes as soon as it is not needed (docs/federation.md, "Every copy goes").
 * If the process dies between publishing and deleting, the event is published
 * again with the same msgId: the bus deduplicates within its window and
 * consumers are idempotent beyond it.
 */
import { and, asc, inArray, isNotNull, isNull, lt, sql } from "drizzle-orm";
import type { Db } from "./open";
import type { outboxTable, receivedEventsTable } from "./common";

type Outbox = ReturnType<typeof outboxTable>;
type Received = ReturnType<typeof receivedEventsTable>;

/** What the relay needs of a bus. */
export interface OutboxPublisher {
  publish(subject: string, data: string, msgId: string): Promise<void>;
}

export async function enqueue(db: Db, table: Outbox, events: { subject: string; token: string; msgId: string }[]): Promise<void> {
  if (events.length === 0) return;
  await db.insert(table).values(events).onConflictDoNothing();
}

export interface OutboxRelay {
  /** Publish now (call after a commit that enqueued). */
  kick(): void;
  /** Publishes everything pending; resolves when the outbox is empty or a publish failed. */
  flush(): Promise<number>;
  pending(): Promise<number>;
  stop(): Promise<void>;
}

export function startOutboxRelay(opts: {
  db: Db;
  table: Outbox;
  bus: OutboxPublisher;
  intervalMs?: number;
  batch?: number;
  onError?: (err: Error) => void;
}): OutboxRelay {
  const { db, table, bus } = opts;
  const batch = opts.batch ?? 200;
  let running: Promise<number> | undefined;
  let again = false;
  let stopped = false;

  /**
   * One batch: its rows published together (written to the bus in order, so they reach the stream in order, and the
   * acks awaited together), then the published ones deleted in one statement. A failure keeps that row and every
   * later one for the next round, also those already published: the same msgId again, which the bus deduplicates.
   */
  async function drainOnce(): Promise<number> {
    const { done, error } = await db.transaction(async (tx) => {
      const rows = await tx.select().from(table).where(isNull(table.gepubliceerdOp)).orderBy(asc(table.id)).limit(batch).for("update", { skipLocked: true });
      const results = await Promise.allSettled(rows.map((row) => bus.publish(row.subject, row.token, row.msgId)));
      const failed = results.findIndex((r) => r.status === "rejected");
      const published = failed < 0 ? rows : rows.slice(0, failed);
      if (published.length) {
        await tx.delete(table).where(
          inArray(
            table.id,
            published.map((r) => r.id),
          ),
        );
      }
      const first = results[failed];
      return { done: published.length, error: first?.status === "rejected" ? (first.reason as Error) : undefined };
    });
    // Thrown once what was published is deleted (committed): the next round starts at the row that failed.
    if (error) throw error;
    return done;
  }

  // Rows an older version marked as published instead of deleting them.
  let oldRowsGone = false;
  async function drain(): Promise<number> {
    if (!oldRowsGone) {
      await db.delete(table).where(isNotNull(table.gepubliceerdOp));
      oldRowsGone = true;
    }
    let total = 0;
    for (;;) {
      const n = await drainOnce();
      total += n;
      if (n < batch) return total;
    }
  }

  function flush(): Promise<number> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let total = 0;
      try {
        do {
          again = false;
          total += await drain();
        } while (again && !stopped);
      } catch (e) {
        opts.onError?.(e as Error);
      } finally {
        running = undefined;
      }
      return total;
    })();
    return running;
  }

  const timer = setInterval(() => void flush(), opts.intervalMs ?? 1000);
  timer.unref();
  return {
    kick: () => void flush(),
    flush,
    async pending() {
      const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(table).where(isNull(table.gepubliceerdOp));
      return row?.n ?? 0;
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}

/** Replay protection that survives restarts: a jti is accepted once. */
export function dbReplayGuard(db: Db, table: Received) {
  return {
    async firstSeen(jti: string, expiresAt: Date): Promise<boolean> {
      const inserted = await db.insert(table).values({ jti, verlooptOp: expiresAt }).onConflictDoNothing().returning({ jti: table.jti });
      return inserted.length === 1;
    },
    async purge(now: Date): Promise<void> {
      await db.delete(table).where(and(lt(table.verlooptOp, now)));
    },
  };
}
