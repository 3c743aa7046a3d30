/**
 * A node's link to the nodes of other regions (docs/adr/0042), through its region's bridge:
 *
 * - `otherRegionsTrust`: their public keys, from the national directory (each bridge publishes its own region's
 *   nodes only); only keys of gemeenten outside this region are taken, so no directory entry can stand in for a
 *   node, the hub or a service of this region.
 * - `crossRegionTransport`: the region's bus for everything of this region; a request to a node of another region
 *   goes sealed to the bridge (`doorgeven`), which carries it through the national index and that region's bridge
 *   to the node, and the sealed reply back. No hop can open either.
 */
import type { Bus } from "@vi/bus";
import {
  BRUG,
  doorgifteResultaat,
  nodesleutelsResultaat,
  type RpcClient,
  type RpcTransport,
  remoteTrustRegistry,
  routedTransport,
  type TrustRegistry,
} from "@vi/events";
import type { Region } from "@vi/region";

const NODE_SUBJECT = /^rpc\.(GM\d{4})$/;
const GEMEENTE = /^GM\d{4}$/;
/** How long a node waits for the bridge to list keys. */
const KEYS_TIMEOUT_MS = 5000;
/** What the bridge may take beyond the relayed request's own time (its own hop). */
const BRIDGE_MARGIN_MS = 1000;

/** Is `gemeente` a node of another region (a gemeente code this region does not hold)? */
export const inOtherRegion = (region: Region, gemeente: string): boolean => GEMEENTE.test(gemeente) && !region.includes(gemeente);

export function otherRegionsTrust(region: Region, rpc: () => RpcClient | undefined): TrustRegistry {
  const directory = remoteTrustRegistry({
    url: "landelijk:nodesleutels",
    refreshMs: 60_000,
    minRefetchMs: 2_000,
    load: async () => {
      const client = rpc();
      if (!client) throw new Error("the node's RPC client is not ready");
      const parsed = nodesleutelsResultaat.parse(await client.call(BRUG, "nodesleutels", null, {}, { timeoutMs: KEYS_TIMEOUT_MS }));
      return { keys: parsed.sleutels.filter((k) => typeof k.iss === "string" && inOtherRegion(region, k.iss)) };
    },
  });
  // Only nodes of other regions are looked up here; a directory that cannot be read knows none (their events are
  // refused, as with an unknown key), so this region's own rules are never held up by the national link.
  return {
    async resolve(kid) {
      const hit = await directory.resolve(kid).catch(() => undefined);
      return hit && inOtherRegion(region, hit.iss) ? hit : undefined;
    },
    async encryptionKey(iss) {
      if (!inOtherRegion(region, iss)) return undefined;
      return directory.encryptionKey(iss).catch(() => undefined);
    },
  };
}

export function crossRegionTransport(bus: Bus, region: Region, rpc: () => RpcClient | undefined): RpcTransport {
  return routedTransport({
    local: bus,
    isLocal: (subject) => {
      const m = NODE_SUBJECT.exec(subject);
      return !m || region.includes(m[1]!);
    },
    defaultTimeoutMs: 10_000,
    relay: async (d) => {
      const client = rpc();
      if (!client) throw new Error("the node's RPC client is not ready");
      const tijdMs = Math.max(100, Math.min(30_000, d.timeoutMs));
      const result = doorgifteResultaat.parse(
        await client.call(BRUG, "doorgeven", null, { onderwerp: d.subject, token: d.token, tijdMs }, { timeoutMs: tijdMs + BRIDGE_MARGIN_MS }),
      );
      return result.token;
    },
  });
}
