import type { Bus } from "@vi/bus";
import type { BridgeTables, Db, OutboxRelay } from "@vi/db";
import type { EventMetrics, ServiceKeys, TrustRegistry } from "@vi/events";
import type { FscMetrics, TlsMaterial } from "@vi/fsc";
import type { NationalSide } from "./national-side";
import type { Logger } from "@vi/service";
import type { BridgeConfig } from "./config";

export interface BridgeContext {
  db: Db;
  t: BridgeTables;
  config: BridgeConfig;
  log: Logger;
  keys: ServiceKeys;
  trust: TrustRegistry;
  bus: Bus;
  relay: OutboxRelay;
  tls: TlsMaterial;
  oin: string;
  /** The national index and the national pseudonym service, behind an interface (docs/adr/0037). */
  national: NationalSide;
  /** The region's gemeenten: only their nodes may ask rpc.brug. */
  gemeenten: ReadonlySet<string>;
  fsc: FscMetrics;
  events: EventMetrics;
  figures: {
    queued: number;
    sent: number;
    sendFailures: number;
    received: number;
    meldingen: number;
    verwijderd: number;
    doorgestuurd: number;
    extern: number;
  };
  now(): Date;
  /** Send the queue now (after a commit that queued). */
  kick(): void;
}
