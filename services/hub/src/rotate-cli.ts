/**
 * Rotates the region's pseudonym key (docs/adr/0024) and prints the report:
 * `npm run pseudoniem:roteer` with the hub's configuration. Needs the bus
 * (NATS_URL) to reach the pseudonym service and the nodes. Exits 0 when the
 * key was switched, 3 when the rotation waits (run it again later), 1 when
 * it failed.
 */
import pino from "pino";
import { parseHubConfig } from "./config";
import { createLogger } from "@vi/service";
import { startHub } from "./server";

const config = parseHubConfig(process.env);
if (!config.NATS_URL) {
  console.error("NATS_URL is not set: the rotation asks the pseudonym service and the nodes over NATS.");
  process.exit(2);
}
const hub = await startHub({
  config: { ...config, NODES_REFRESH_SECONDS: 0 },
  log: createLogger(config.LOG_LEVEL === "info" ? "warn" : config.LOG_LEVEL, "hub-rotate", pino.destination(2)),
  consume: false,
  http: false,
});
let code = 0;
try {
  const report = await hub.rotateKey();
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  if (report.status !== "gewisseld") code = 3;
} catch (e) {
  console.error(`rotation failed: ${(e as Error).message}`);
  code = 1;
} finally {
  await hub.stop();
}
process.exit(code);
