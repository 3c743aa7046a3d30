export { BridgeConfigSchema, parseBridgeConfig, type BridgeConfig } from "./config";
export { startBridge, type RunningBridge, type StartBridgeOptions } from "./server";
export { createBridgeAdminApp, createBridgeNationalApp, createBridgeInternalApp, BRIDGE_PROBLEMS, API_VERSION } from "./http";
export { decryptContact, encryptContact, type Contact } from "./contact";
export type { BridgeContext } from "./context";
export { NationalSideUnavailable, restNationalSide, type NationalSide } from "./national-side";
