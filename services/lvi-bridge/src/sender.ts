/**
 * Sending the queue to the national index (docs/national-chain.md): in id order, up to 50 changes per signed
 * request; a batch goes from the queue once the national index acknowledged it with a signed 200. While the
 * national index is down the queue grows in PostgreSQL and is offered again with a growing pause (up to 5 s);
 * the national index is idempotent per signal and version, so a batch sent twice changes nothing.
 *
 * Both bounds come from test/faults/national-down.test.ts (the national index down for 20 s during a load across two
 * regions, on a busy machine): with 200 per request the national index took longer than the client's 15 s answer
 * timeout for the first batch after its restart, the bridge took that for "down" and paused 25.6 s (a minute with
 * the default interval), and the outage's matches reached the professionals 34–69 s after the restart.
 *
 * The contact details are encrypted at sending time, to the bridges the national index lists then.
 */
import { asc, inArray } from "drizzle-orm";
import type { EventData } from "@vi/events";
import { NationalSideUnavailable } from "./national-side";
import { errorForLog } from "@vi/service";
import { bridgeDirectory, encryptContact } from "./contact";
import type { BridgeContext } from "./context";

const BATCH = 50;
const MAX_PAUSE_MS = 5_000;

export interface Sender {
  kick(): void;
  /** Sends what it can now; resolves when the queue is empty or the national index failed. */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

export function startSender(ctx: BridgeContext): Sender {
  const directory = bridgeDirectory(ctx);
  let pauseUntil = 0;
  let failures = 0;

  async function toRecord(e: EventData<"brug.index">, recipients: Awaited<ReturnType<typeof directory.recipients>>) {
    if (e.status === "verwijderd" || !e.landelijk) return { signaalId: e.signaalId, status: "verwijderd" as const, versie: e.versie };
    const contact = await encryptContact({ entryNode: e.entryNode, signaalId: e.signaalId, professional: e.professional }, recipients);
    return {
      signaalId: e.signaalId,
      status: e.status,
      versie: e.versie,
      jeugdige: e.landelijk.jeugdige,
      ouders: e.landelijk.ouders,
      adres: e.landelijk.adres,
      sleutelversie: e.landelijk.sleutelversie,
      organisatie: e.professional.organisatie,
      domein: e.professional.domein,
      contact,
    };
  }

  async function sendOnce(): Promise<boolean> {
    if (pauseUntil > Date.now()) return false;
    const t = ctx.t.wachtrij;
    const rows = await ctx.db.select().from(t).orderBy(asc(t.id)).limit(BATCH);
    if (rows.length === 0) return false;
    try {
      const recipients = await directory.recipients(failures > 0);
      if (!recipients.some((r) => r.oin === ctx.oin)) await directory.recipients(true);
      // An active change without national pseudonyms never reaches the queue; a removal needs none.
      const signalen = [];
      for (const r of rows) signalen.push(await toRecord(r.inhoud as unknown as EventData<"brug.index">, recipients));
      await ctx.national.sendSignals(signalen);
    } catch (e) {
      if (!(e instanceof NationalSideUnavailable)) throw e;
      failures++;
      ctx.figures.sendFailures++;
      pauseUntil = Date.now() + Math.min(MAX_PAUSE_MS, ctx.config.VERZEND_INTERVAL_MS * 2 ** Math.min(failures - 1, 8));
      ctx.log.warn({ err: errorForLog(e), attempt: failures, pending: rows.length }, "national index not reached; the queue waits");
      return false;
    }
    failures = 0;
    await ctx.db.delete(t).where(
      inArray(
        t.id,
        rows.map((r) => r.id),
      ),
    );
    ctx.figures.sent += rows.length;
    return rows.length === BATCH;
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
          while (!stopped && (await sendOnce())) {
            /* next batch */
          }
        } while (again && !stopped);
      } catch (e) {
        ctx.log.error({ err: errorForLog(e) }, "sending to the national index failed");
      } finally {
        running = undefined;
      }
    })();
    return running;
  }
  const timer = setInterval(() => void flush(), Math.min(ctx.config.VERZEND_INTERVAL_MS, 1000));
  timer.unref();
  return {
    kick: () => void flush(),
    flush,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
