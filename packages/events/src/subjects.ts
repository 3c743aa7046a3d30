/**
 * The subjects of the federation, relative to the bus namespace
 * (docs/federation.md, "Bus"): every service spells them from here, and the
 * NATS permissions of every service are generated from them (./bus-access.ts,
 * infra/nats).
 */

/** The id (`iss`) of the regional hub. */
export const HUB = "hub";
/**
 * The id (`iss`) of the region's bridge to the national index (services/lvi-bridge, docs/national-chain.md): a member
 * of the region's bus like the hub, serving `rpc.brug` for the region's nodes.
 */
export const BRUG = "brug";
/** The id of the pseudonym service (its NATS user). */
export const PSEUDONIEM = "pseudoniem";

export const subjects = {
  /** A node's `signaal.index` events, consumed by the hub. Only that node may publish here. */
  index: (node: string) => `evt.index.${node}`,
  /** Every node's index events (the hub's filter). */
  allIndex: "evt.index.>",
  /**
   * Notices and pointer updates to node `to` from `from` (a gemeente code or `hub`). The
   * sender is in the subject so that each service may publish only under its own name.
   */
  melding: (to: string, from: string) => `evt.melding.${to}.${from}`,
  /**
   * A notice to a node of ANOTHER region (its professional registered through it, docs/adr/0042), sealed to that
   * node: the region's bridge consumes these and sends them through the national index, whose bridge puts them on
   * `melding(to, brug)` in the other region.
   */
  extern: (to: string, from: string) => `evt.extern.${to}.${from}`,
  /** Every notice to a node of another region (the bridge's filter). */
  allExtern: "evt.extern.>",
  /** Everything addressed to one node (its consumer's filter). */
  meldingFor: (to: string) => `evt.melding.${to}.*`,
  /**
   * The hub's signed `register.bijgewerkt` events to one node: every change of the region's register, sealed to
   * that node (it names professionals). Published by the hub only (through its outbox, so in the EVENTS stream);
   * each node consumes its own with a durable consumer.
   */
  register: (node: string) => `evt.register.${node}`,
  /** Every node's register events (what the hub may publish). */
  allRegister: "evt.register.*",
  /**
   * A node's `auditketen.kop` events (its audit chain head, sealed to the hub), published periodically so the hub
   * holds an anchor against truncation (docs/logging.md). Only that node may publish here; the hub consumes.
   */
  auditketen: (node: string) => `evt.auditketen.${node}`,
  /** Every node's audit chain heads (the hub's filter). */
  allAuditketen: "evt.auditketen.*",
  /**
   * The hub's republication of every index change with national pseudonyms (`brug.index`, sealed to the bridge,
   * docs/national-chain.md). Published by the hub only (its outbox); the bridge consumes it (durable `brug-index`).
   */
  brugIndex: "evt.brug.index",
  /** Signed request/reply to one node. Only that node serves it. */
  rpc: (node: string) => `rpc.${node}`,
  /**
   * Signed request/reply served only by the pseudonym service (`iss` `pseudoniem`, docs/adr/0024): the region's
   * nodes ask it to evaluate blinded elements (op `pseudoniem.evalueren`), the hub to add or retire a key version
   * during a rotation. Equal to `rpc(PSEUDONYM_SERVICE)`.
   */
  pseudoniem: `rpc.${PSEUDONIEM}`,
} as const;

/** The pseudonym service's id: the `aud` of requests to it, the `iss` of its replies. */
export const PSEUDONYM_SERVICE = "pseudoniem";

/** Durable consumer names. */
export const durables = {
  hubIndex: "hub-index",
  hubAuditketen: "hub-auditketen",
  nodeMelding: (node: string) => `node-${node}-melding`,
  nodeRegister: (node: string) => `node-${node}-register`,
  brugIndex: "brug-index",
  brugExtern: "brug-extern",
} as const;

/**
 * The durable consumers of the federation, exactly as their services consume
 * them: the provisioning step (npm run nats:provision) creates these, and a
 * service without admin rights checks its consumer against them.
 */
export const consumers: {
  hubIndex: FederationConsumer;
  hubAuditketen: FederationConsumer;
  nodeMelding: (node: string) => FederationConsumer;
  nodeRegister: (node: string) => FederationConsumer;
  brugIndex: FederationConsumer;
  brugExtern: FederationConsumer;
} = {
  hubIndex: { durable: durables.hubIndex, filterSubjects: [subjects.allIndex], maxDeliver: 8 },
  hubAuditketen: { durable: durables.hubAuditketen, filterSubjects: [subjects.allAuditketen], maxDeliver: 8 },
  nodeMelding: (node) => ({ durable: durables.nodeMelding(node), filterSubjects: [subjects.meldingFor(node)], maxDeliver: 8 }),
  nodeRegister: (node) => ({ durable: durables.nodeRegister(node), filterSubjects: [subjects.register(node)], maxDeliver: 8 }),
  // The bridge only queues what it consumes (PostgreSQL); a failure is its database, retried many times before a DLQ.
  brugIndex: { durable: durables.brugIndex, filterSubjects: [subjects.brugIndex], maxDeliver: 50 },
  // Forwarded to the national index as it arrives; while it is down the consumer redelivers with a pause.
  brugExtern: { durable: durables.brugExtern, filterSubjects: [subjects.allExtern], maxDeliver: 50 },
};

/** A durable consumer as the bus takes it (@vi/bus ConsumerOptions). */
export interface FederationConsumer {
  durable: string;
  filterSubjects: string[];
  maxDeliver: number;
}
