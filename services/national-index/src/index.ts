export { parseNationalIndexConfig, NationalIndexConfigSchema, type NationalIndexConfig, type BridgeEntry } from "./config";
export { startNationalIndex, type RunningNationalIndex, type StartNationalIndexOptions } from "./server";
export { createNationalApp, createNationalAdminApp, API_VERSION } from "./http/app";
export type { NationalContext } from "./context";
export * from "./contract";
export { NATIONAL_PROBLEMS } from "./problems";
