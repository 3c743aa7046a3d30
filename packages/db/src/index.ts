export { openDatabase, type Database, type Db, type OpenOptions } from "./open";
export { migrate, loadMigrations, rowsOf, assertSchemaName } from "./migrate";
export { nodeTables, REFERENCE_SCHEMA, type NodeTables } from "./schema";
