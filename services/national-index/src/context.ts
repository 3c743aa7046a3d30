import type { Db, NationalTables } from "@vi/db";
import type { FscMetrics, TlsMaterial } from "@vi/fsc";
import type { Logger } from "@vi/service";
import type { NationalIndexConfig, BridgeEntry } from "./config";

export interface NationalContext {
  db: Db;
  t: NationalTables;
  schema: string;
  config: NationalIndexConfig;
  log: Logger;
  tls: TlsMaterial;
  /** The national index's own OIN (from its certificate). */
  oin: string;
  bridges: Map<string, BridgeEntry>;
  regioOf: Map<string, string>;
  metrics: FscMetrics;
  figures: { records: number; matches: number; delivered: number; deliveryFailures: number; relayed: number };
  now(): Date;
  /** Deliver now (after a commit that queued deliveries). */
  kick(): void;
}
