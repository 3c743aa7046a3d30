/**
 * The subjects of the federation, relative to the bus namespace
 * (docs/federation.md, "Subjects"): every service spells them from here.
 */
export const subjects = {
  /** A node's `signaal.index` events, consumed by the hub. */
  index: (node: string) => `evt.index.${node}`,
  /** Every node's index events (the hub's filter). */
  allIndex: "evt.index.>",
  /** Notices and pointer updates addressed to one node. */
  melding: (node: string) => `evt.melding.${node}`,
  /**
   * The hub's signed `register.bijgewerkt` events: every change of the region's register. Published by the hub
   * only (through its outbox, so in the EVENTS stream); every node consumes it with its own durable consumer.
   */
  register: "evt.register",
  /** Signed request/reply to one node. */
  rpc: (node: string) => `rpc.${node}`,
} as const;

/** Durable consumer names. */
export const durables = {
  hubIndex: "hub-index",
  nodeMelding: (node: string) => `node-${node}-melding`,
  nodeRegister: (node: string) => `node-${node}-register`,
} as const;
