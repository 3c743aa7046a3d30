/**
 * The node's link to the region: the bus, its own signing keys, the trust
 * registry, metrics, the outbox relay, the RPC client and the
 * pseudonymisation key.
 */
import type { Bus } from "@vi/bus";
import type { OutboxRelay } from "@vi/db";
import type { EventMetrics, RpcClient, ServiceKeys, TrustRegistry } from "@vi/events";

export interface Federation {
  bus: Bus;
  keys: ServiceKeys;
  trust: TrustRegistry;
  metrics: EventMetrics;
  relay: OutboxRelay;
  rpc: RpcClient;
  /** Shared by the region's nodes, never by the hub (≥ 32 bytes). */
  regionKey: string;
}
