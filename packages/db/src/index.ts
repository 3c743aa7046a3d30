export { openDatabase, PREPARE_MAX_PARAMS, reconnectDelayS, type Database, type Db, type OpenOptions } from "./open";
export { migrate, loadMigrations, rowsOf, assertSchemaName, type MigrationSet } from "./migrate";
export { hubTables, HUB_REFERENCE_SCHEMA, type HubTables } from "./hub-schema";
export { nationalTables, NATIONAL_REFERENCE_SCHEMA, type NationalTables } from "./national-schema";
export { bridgeTables, BRIDGE_REFERENCE_SCHEMA, type BridgeTables } from "./bridge-schema";
export { outboxTable, receivedEventsTable } from "./common";
export { enqueue, startOutboxRelay, dbReplayGuard, type OutboxPublisher, type OutboxRelay } from "./outbox";
export { nodeTables, REFERENCE_SCHEMA, type KeptPseudonyms, type NodeTables } from "./schema";
export { roleOf, serviceRolesSql, type ServiceRole } from "./roles";
export {
  auditLogTable,
  appendToAuditChain,
  verifyAuditChainOf,
  chainHash,
  asStored,
  GENESIS,
  type AuditContent,
  type AuditLogTable,
  type ChainFinding,
  checkAuditAnchor,
  cutAuditChainStart,
  CUT_ACTION,
  type ChainCut,
  type AuditAnchor,
  type AnchorFinding,
} from "./audit-chain";
