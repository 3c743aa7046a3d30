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
  /** Signed request/reply to one node. */
  rpc: (node: string) => `rpc.${node}`,
  /**
   * Signed request/reply served only by the pseudonym service (`iss` `pseudoniem`, docs/adr/0024): the region's
   * nodes ask it to evaluate blinded elements (op `pseudoniem.evalueren`), the hub to add or retire a key version
   * during a rotation. Equal to `rpc(PSEUDONYM_SERVICE)`.
   */
  pseudoniem: "rpc.pseudoniem",
} as const;

/** The pseudonym service's id: the `aud` of requests to it, the `iss` of its replies. */
export const PSEUDONYM_SERVICE = "pseudoniem";

/** Durable consumer names. */
export const durables = {
  hubIndex: "hub-index",
  nodeMelding: (node: string) => `node-${node}-melding`,
} as const;
