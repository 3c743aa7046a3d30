/** Entry point of the regional hub: `tsx services/hub/src/main.ts`. */
import { runMain } from "@vi/service";
import { parseHubConfig } from "./config";
import { startHub } from "./server";

await runMain("hub", () => startHub({ config: parseHubConfig(process.env) }));
