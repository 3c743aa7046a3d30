export { NODE_PROBLEMS, type NodeProblemCode, problem } from "./problems";
export { API_VERSION, type AppDeps, BODY_LIMIT_BYTES, createApp, createNodeAdminApp, type NodeApp } from "./http/app";
export { startNode, registerFromFile, type RunningNode, type StartOptions } from "./server";
export { createLogger } from "@vi/service";
export { type NodeConfig, NodeConfigSchema, parseNodeConfig } from "./config";
export type { Actor, NodeContext } from "./context";
export { loadRegistry, RegionRegister, type RegistryData, registerView, registryFor } from "./store/registry";
export { runRetention } from "./logic/retention";
export { checkAuditChain, type ChainFinding, exportYouthAudit, type YouthAuditExport } from "./logic/audit-log";
