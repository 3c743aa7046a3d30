import type { Logger } from "@vi/service";
import type { Keyring } from "./store/keyring";

/** Counters for /metrics. */
export interface PseudonymMetrics {
  requests: number;
  elements: number;
  refused: Record<string, number>;
}

/** Everything the service's logic needs; passed in. */
export interface PseudonymContext {
  keyring: Keyring;
  /** Who may ask for evaluations: the region's nodes (CBS codes) and the hub. */
  callers: ReadonlySet<string>;
  /** Who may add and retire key versions: the hub. */
  rotators: ReadonlySet<string>;
  metrics: PseudonymMetrics;
  log: Logger;
  now: () => Date;
}
