export { parseWebConfig, type WebConfig, WebConfigSchema } from "./config";
export { createApp, WEB_VERSION } from "./http/app";
export { type RunningWeb, startWeb, type StartWebOptions } from "./server";
