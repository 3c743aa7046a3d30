/** Entry point of a region's bridge to the national index: `tsx services/lvi-bridge/src/main.ts`. */
import { runMain } from "@vi/service";
import { parseBridgeConfig } from "./config";
import { startBridge } from "./server";

await runMain("brug", () => startBridge({ config: parseBridgeConfig(process.env) }));
