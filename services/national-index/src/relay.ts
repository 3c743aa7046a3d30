/**
 * Across regions without a readable person (docs/adr/0042):
 *
 * - **Doorgiften**: a node's request to a node of another region, sealed end to end, relayed synchronously from the
 *   asking region's bridge to the bridge of the region the gemeente belongs to; the sealed reply goes back.
 * - **Node keys**: each bridge publishes its region's node keys (only gemeenten of its own region); every bridge
 *   reads the others', so a node can verify and encrypt to a node of another region.
 * - **Meldingen**: a node's sealed notice to a node of another region, queued for that region's bridge with the
 *   matches (the same delivery queue, in order, retried until acknowledged).
 *
 * What is readable here: which gemeente asks or tells which; never about whom.
 */
import { randomUUID } from "node:crypto";
import { fscClient, type FscClient, FscRefused, FscUnreachable, memoryNonceGuard } from "@vi/fsc";
import { regionOf } from "@vi/region";
import type { NationalContext } from "./context";
import type { Doorgifte, NodeSleutels } from "./contract";
import { problem } from "./problems";
import type { z } from "@hono/zod-openapi";

/** What a relay keeps of the time left for the hops after it. */
const MARGIN_MS = 500;

const gemeenteOf = (onderwerp: string) => onderwerp.slice("rpc.".length);

function targetRegion(ctx: NationalContext, gemeente: string, caller: string): string {
  const target = regionOf(gemeente)?.id;
  if (!target) throw problem("GEMEENTE_ONBEKEND", `Gemeente ${gemeente} hoort bij geen regio die op de landelijke index is aangesloten.`);
  if (target === caller) throw problem("VERZOEK_ONGELDIG", `Gemeente ${gemeente} hoort bij uw eigen regio; vraag haar via de regio.`);
  if (!ctx.bridges.has(target)) throw problem("GEMEENTE_ONBEKEND", `De regio van gemeente ${gemeente} is niet op de landelijke index aangesloten.`);
  return target;
}

export function createRelay(ctx: NationalContext) {
  const clients = new Map<string, FscClient>();
  const nonces = memoryNonceGuard();
  const clientFor = (regio: string): FscClient => {
    let c = clients.get(regio);
    if (!c) {
      const b = ctx.bridges.get(regio)!;
      clients.set(regio, (c = fscClient({ baseUrl: b.url, peerOin: b.oin, tls: ctx.tls, nonces, metrics: ctx.metrics, timeoutMs: 30_000 })));
    }
    return c;
  };

  return {
    async doorgeven(caller: string, d: z.infer<typeof Doorgifte>): Promise<{ token: string }> {
      const target = targetRegion(ctx, gemeenteOf(d.onderwerp), caller);
      const tijdMs = d.tijdMs - MARGIN_MS;
      const unreachable = () =>
        problem("BRUG_ONBEREIKBAAR", "De verwijsindex van de woonregio is op dit moment niet bereikbaar. Probeer het over enkele minuten opnieuw.");
      if (tijdMs < 100) throw unreachable();
      let res: { status: number; body: unknown };
      try {
        res = await Promise.race([
          clientFor(target).call("POST", "/api/v1/doorgiften", { ...d, tijdMs }),
          new Promise<never>((_, reject) => setTimeout(() => reject(new FscUnreachable("no answer in time")), tijdMs).unref()),
        ]);
      } catch (e) {
        if (e instanceof FscUnreachable || e instanceof FscRefused) {
          ctx.log.warn({ regio: target, reason: e.message }, "relay to a bridge failed");
          throw unreachable();
        }
        throw e;
      }
      const token = (res.body as { token?: unknown } | null)?.token;
      if (res.status !== 200 || typeof token !== "string") throw unreachable();
      ctx.figures.relayed += 1;
      return { token };
    },

    async publishKeys(caller: string, body: z.infer<typeof NodeSleutels>): Promise<void> {
      const outside = body.sleutels.find((k) => regionOf(k.iss)?.id !== caller);
      if (outside)
        throw problem("SLEUTEL_BUITEN_REGIO", `Een brug publiceert alleen sleutels van de gemeenten van haar eigen regio; ${outside.iss} hoort daar niet bij.`);
      const now = ctx.now();
      await ctx.db
        .insert(ctx.t.nodesleutels)
        .values({ regio: caller, sleutels: body.sleutels, bijgewerktOp: now })
        .onConflictDoUpdate({ target: ctx.t.nodesleutels.regio, set: { sleutels: body.sleutels, bijgewerktOp: now } });
    },

    async listKeys(): Promise<Array<{ regio: string; sleutels: z.infer<typeof NodeSleutels>["sleutels"] }>> {
      const t = ctx.t.nodesleutels;
      // Stored only after NodeSleutels parsed them.
      return (await ctx.db.select({ regio: t.regio, sleutels: t.sleutels }).from(t).orderBy(t.regio)) as never;
    },

    async queueMelding(caller: string, m: { aan: string; van: string; token: string }): Promise<void> {
      if (regionOf(m.van)?.id !== caller) throw problem("SLEUTEL_BUITEN_REGIO", `Gemeente ${m.van} hoort niet bij de regio van deze brug.`);
      const target = targetRegion(ctx, m.aan, caller);
      const id = randomUUID();
      await ctx.db
        .insert(ctx.t.afleveringen)
        .values({ regio: target, matchId: id, inhoud: { soort: "doorgestuurd", id, aan: m.aan, van: m.van, token: m.token } });
      ctx.kick();
    },

    async close(): Promise<void> {
      await Promise.all([...clients.values()].map((c) => c.close()));
    },
  };
}
export type Relay = ReturnType<typeof createRelay>;
