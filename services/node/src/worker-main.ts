/**
 * Entry point of one process serving several municipal nodes (docs/adr/0045):
 * `NODE_GEMEENTEN=GM0363,GM0479 GM0363_PORT=8363 GM0479_PORT=8479 … node dist/node/worker-main.mjs`.
 * Each gemeente is a whole node of its own (its schema, keys, NATS user, database pool and port), started as
 * main.ts would start it alone; the process only shares the runtime.
 */
import { runMain } from "@vi/service";
import { parseWorkerConfigs } from "./config";
import { startNodes } from "./worker";

await runMain("node worker", () => startNodes(parseWorkerConfigs(process.env)));
