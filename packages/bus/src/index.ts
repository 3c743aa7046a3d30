export { BusError } from "./types";
export type {
  BatchConsumerOptions,
  BatchHandler,
  Bus,
  BusErrorCode,
  BusLogger,
  BusMessage,
  ConsumerOptions,
  DeadLetter,
  Handler,
  RequestHandler,
  Stoppable,
} from "./types";
export { connectNatsBus, natsLogin, natsServers, type NatsBusOptions } from "./nats";
export { DEFAULT_STREAM_LIMITS, type StreamLimits } from "./common";
export { createMemoryBroker, type MemoryBroker } from "./memory";
export {
  inboxPrefixOf,
  natsPermissions,
  renderNatsAccounts,
  renderNatsCluster,
  renderNatsServerConfig,
  streamLimitsFromEnv,
  streamReplicasFromEnv,
  type BusPrincipal,
  type NatsClusterOptions,
  type NatsPermissions,
  type NatsServerConfigOptions,
  type NatsAccount,
  type NatsUser,
} from "./access";
