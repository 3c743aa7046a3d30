/** Entry point of the regional hub: `tsx services/hub/src/main.ts`. */
import { parseHubConfig } from "./config";
import { startHub } from "./server";

const hub = await startHub({ config: parseHubConfig(process.env) });
let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, async () => {
    if (stopping) return;
    stopping = true;
    await hub.stop();
    process.exit(0);
  });
}
