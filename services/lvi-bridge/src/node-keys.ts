/**
 * The node-key directory across regions (docs/adr/0042): the bridge publishes the public keys of its own region's
 * nodes (from its hub's trust registry, only gemeenten of the region) to the national index, and reads the other
 * regions' for its nodes. A node pins a key of another region only from this directory.
 */
import { errorForLog } from "@vi/service";
import type { BridgeContext } from "./context";

/** How long the other regions' keys are served from memory. */
const CACHE_MS = 5_000;
/** How often the region's keys are published again (a node's new key reaches the other regions within this). */
export const PUBLISH_INTERVAL_MS = 60_000;

const cache = new WeakMap<BridgeContext, { at: number; keys: Array<Record<string, unknown>> }>();

/** The public keys of the region's nodes, from the hub's JWKS (the hub's own and the services' are left out). */
export async function regionNodeKeys(ctx: BridgeContext): Promise<Array<Record<string, unknown>>> {
  const res = await fetch(`${ctx.config.HUB_URL}/api/v1/vertrouwen/jwks.json`, { signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`the hub's JWKS answered ${res.status}`);
  const { keys } = (await res.json()) as { keys?: Array<Record<string, unknown>> };
  return (keys ?? [])
    .filter((k) => typeof k.iss === "string" && ctx.gemeenten.has(k.iss))
    .map(({ kty, crv, x, kid, iss, alg, use }) => ({ kty, crv, x, kid, iss, alg, use }));
}

export async function publishNodeKeys(ctx: BridgeContext): Promise<number> {
  const keys = await regionNodeKeys(ctx);
  if (keys.length > 0) await ctx.national.publishNodeKeys(keys);
  return keys.length;
}

/** While a node of the region has no key at the hub yet (the region is starting), the next round comes this soon. */
const STARTING_INTERVAL_MS = 5_000;

/**
 * Publishes now, then every PUBLISH_INTERVAL_MS (every STARTING_INTERVAL_MS while some node of the region has no key
 * yet, or the national index was not reached); a failure is logged and tried again at the next round.
 */
export function startKeyPublisher(ctx: BridgeContext): { publish(): Promise<number>; stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const round = async () => {
    let complete = false;
    try {
      const keys = await regionNodeKeys(ctx);
      if (keys.length > 0) await ctx.national.publishNodeKeys(keys);
      complete = new Set(keys.map((k) => k.iss)).size >= ctx.gemeenten.size;
    } catch (err) {
      ctx.log.warn({ err: errorForLog(err) }, "node keys not published; will retry");
    }
    if (!stopped) {
      timer = setTimeout(round, complete ? PUBLISH_INTERVAL_MS : STARTING_INTERVAL_MS);
      timer.unref();
    }
  };
  void round();
  return {
    publish: () => publishNodeKeys(ctx),
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

/** The node keys of every other region (never this region's: those come from the hub). */
export async function otherRegionsKeys(ctx: BridgeContext): Promise<Array<Record<string, unknown>>> {
  const hit = cache.get(ctx);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.keys;
  const keys = (await ctx.national.nodeKeys()).filter((r) => r.regio !== ctx.config.REGIO).flatMap((r) => r.sleutels);
  cache.set(ctx, { at: Date.now(), keys });
  return keys;
}

/** Forget the cache (a node asks again after an unknown kid). */
export function forgetOtherRegionsKeys(ctx: BridgeContext): void {
  cache.delete(ctx);
}
