/**
 * The node's link to the region: the bus, its own signing keys, the trust
 * registry, replay protection, metrics and the pseudonymisation key.
 */
import type { Bus } from "@vi/bus";
import type { OutboxRelay } from "@vi/db";
import { EventMetrics, type ServiceKeys, type TrustRegistry } from "@vi/events";

export interface Federation {
  bus: Bus;
  keys: ServiceKeys;
  trust: TrustRegistry;
  metrics: EventMetrics;
  relay: OutboxRelay;
  /** Shared by the region's nodes, never by the hub (≥ 32 bytes). */
  regionKey: string;
  rpcTimeoutMs: number;
}

export const subjects = {
  index: (gm: string) => `evt.index.${gm}`,
  melding: (gm: string) => `evt.melding.${gm}`,
  rpc: (gm: string) => `rpc.${gm}`,
};

export { EventMetrics };
