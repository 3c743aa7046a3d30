/**
 * Signed events between the services of the federation (docs/federation.md,
 * "Signed events"): each service signs with its own Ed25519 key and encrypts
 * to the receiver's X25519 key ("Encrypted payloads"); receivers decrypt,
 * pin EdDSA, look the kid up in the trust registry, check iss/aud/exp, the
 * event's schema and replay, and count every rejection by reason.
 */
export {
  fileKeyStore,
  memoryKeyStore,
  loadOrCreateServiceKeys,
  EVENT_ALG,
  EVENT_TYP,
  ENC_ALG,
  ENC_ENC,
  type KeyStore,
  type ServiceKeys,
  type ServiceJwk,
  type ServiceEncJwk,
  type StoredServiceKey,
  type StoredServiceKeys,
} from "./keys";
export { EVENT_SCHEMAS, EVENT_TYPES, isEventType, defaultTtlSec, type EventData, type EventType } from "./types";
export { signEvent, InvalidEventData } from "./sign";
export {
  staticTrustRegistry,
  remoteTrustRegistry,
  combinedTrustRegistry,
  TrustUnavailable,
  prefetchKey,
  type TrustRegistry,
  type TrustedKey,
  type EncryptionKey,
} from "./trust";
export { sealEvent, sealToken, openSealed, openEvent } from "./seal";
export { memoryReplayGuard, type ReplayGuard } from "./replay";
export { EventMetrics, REJECT_REASONS, type RejectReason } from "./metrics";
export { verifyEvent, EventRejected, CLOCK_TOLERANCE_SEC, type VerifiedEvent, type VerifyEventOptions } from "./verify";
export { matchId } from "./pseudonym";
export { jwksHandler } from "./jwks-route";
export { subjects, durables, consumers, BRUG, HUB, PSEUDONIEM, PSEUDONYM_SERVICE, type FederationConsumer } from "./subjects";
export { BEHEER, brugPrincipal, federationConsumers, federationPrincipals, hubPrincipal, nodePrincipal, pseudoniemPrincipal } from "./bus-access";
export {
  actorSnapshot,
  betrokkene,
  registerOrganisatie,
  registerPersoon,
  type ActorSnapshot,
  type Betrokkene,
  type RegisterInhoud,
  type RegisterOrganisatie,
  type RegisterPersoon,
} from "./types";
export {
  MELDING_INHOUD,
  matchInhoud,
  verhuizingInhoud,
  herinneringInhoud,
  type HerinneringInhoud,
  type MatchInhoud,
  type MeldingInhoud,
  type MeldingSoort,
  type VerhuizingInhoud,
  overdrachtInhoud,
  type OverdrachtInhoud,
} from "./melding";
export {
  createRpcClient,
  INDEX_PAGE_MAX,
  isRpcOp,
  pseudoniemResultaat,
  landelijkResultaat,
  vsnResultaat,
  doorgifte,
  doorgifteResultaat,
  nodesleutelsResultaat,
  pseudoniemSleutels,
  RPC_OP_NAMES,
  RPC_OPS,
  RpcRefused,
  RpcUnreachable,
  serveRpc,
  transferPackage,
  type RemoteProblem,
  type RpcArgs,
  type RpcClient,
  type RpcEndpoint,
  type RpcHandlers,
  type RpcOp,
  type RpcRequest,
  type RpcServerOptions,
  type RpcTransport,
  type PseudoniemResultaat,
  type TransferPackage,
} from "./rpc";
export { type Doorgifte, routedTransport } from "./relay";
