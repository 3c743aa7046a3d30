export { createHubApp, API_VERSION, type HubApp, type HubAppDeps } from "./app";
export { startHub, type RunningHub, type StartHubOptions } from "./server";
export { createLogger } from "@vi/service";
export { parseHubConfig, parseNodes, defaultNodes, HubConfigSchema, type HubConfig, type NodeEntry } from "./config";
export { HUB_ID, type HubContext, type Clock } from "./context";
export { handleIndexEvent, INDEX_DURABLE, INDEX_FILTER, type IndexOutcome } from "./index-consumer";
export { rebuildIndex, requestSnapshot, type RebuildReport } from "./rebuild";
export { refreshNodes, trustJwks, listNodes, publicKeyOf, type NodeOverview } from "./nodes";
export { HUB_PROBLEMS, type HubProblemCode, problem } from "./problems";
