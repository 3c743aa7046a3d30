/** Entry point of the reference national index: `tsx services/national-index/src/main.ts`. */
import { runMain } from "@vi/service";
import { parseNationalIndexConfig } from "./config";
import { startNationalIndex } from "./server";

await runMain("landelijke-index", () => startNationalIndex({ config: parseNationalIndexConfig(process.env) }));
