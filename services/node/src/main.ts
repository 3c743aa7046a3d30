/** Entry point of one municipal node: `GEMEENTE=GM0363 tsx services/node/src/main.ts`. */
import { parseNodeConfig } from "./config";
import { startNode } from "./server";

const node = await startNode({ config: parseNodeConfig(process.env) });
let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, async () => {
    if (stopping) return;
    stopping = true;
    await node.stop();
    process.exit(0);
  });
}
