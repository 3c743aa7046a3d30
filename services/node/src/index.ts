export { createApp, API_VERSION, BODY_LIMIT_BYTES, type NodeApp, type AppDeps } from "./app";
export { startNode, createLogger, type RunningNode, type StartOptions } from "./server";
export { parseNodeConfig, NodeConfigSchema, type NodeConfig } from "./config";
export type { NodeContext, Actor } from "./context";
export { loadRegistry, type RegistryData } from "./logic/seed";
export { demoRegistry } from "./demo";
export { runRetention } from "./logic/retention";
export { PROBLEMS, Problem } from "./problems";
