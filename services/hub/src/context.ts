import type { Clock } from "@vi/domain";
import type { Logger } from "@vi/service";
import type { Bus } from "@vi/bus";
import type { Db, HubTables, startOutboxRelay } from "@vi/db";
import type { EventMetrics, ServiceKeys, TrustRegistry } from "@vi/events";
import type { JWK } from "jose";
import type { HubConfig } from "./config";

export type { Clock };

export type OutboxRelay = ReturnType<typeof startOutboxRelay>;

/** Everything the hub's logic needs; passed in, never imported as a module global. */
export interface HubContext {
  config: HubConfig;
  db: Db;
  schema: string;
  t: HubTables;
  bus: Bus;
  keys: ServiceKeys;
  /** Keys the hub accepts events and replies from (the nodes' registered keys, unless a test injects its own). */
  trust: TrustRegistry;
  /** The trust registry as published at /api/v1/vertrouwen/jwks.json, as last reloaded (in memory); else read per request. */
  publishedTrust?: () => { keys: JWK[] };
  metrics: EventMetrics;
  relay: OutboxRelay;
  clock: Clock;
  log: Logger;
  fetch: typeof fetch;
  /** Public signing keys of the region's other services by id (the pseudonym service), as last fetched. */
  serviceKeys: Map<string, JWK[]>;
}

/** The hub's own service id (`iss`, and the `aud` of everything addressed to it). */
export const HUB_ID = "hub";
