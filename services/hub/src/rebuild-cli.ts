/**
 * Rebuilds the hub's index from the nodes and prints the report:
 * `tsx services/hub/src/rebuild-cli.ts` with the hub's configuration.
 * Needs the bus (NATS_URL) to reach the nodes; exits 1 when it fails.
 */
import pino from "pino";
import { parseHubConfig } from "./config";
import { createLogger } from "@vi/service";
import { startHub } from "./server";

const config = parseHubConfig(process.env);
if (!config.NATS_URL) {
  console.error("NATS_URL is not set: the rebuild asks the nodes over NATS.");
  process.exit(2);
}
const hub = await startHub({
  config: { ...config, NODES_REFRESH_SECONDS: 0 },
  log: createLogger(config.LOG_LEVEL === "info" ? "warn" : config.LOG_LEVEL, "hub-rebuild", pino.destination(2)),
  consume: false,
  http: false,
});
let code = 0;
try {
  const report = await hub.rebuild();
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} catch (e) {
  console.error(`rebuild failed: ${(e as Error).message}`);
  code = 1;
} finally {
  await hub.stop();
}
process.exit(code);
