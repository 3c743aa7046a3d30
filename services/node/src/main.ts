/** Entry point of one municipal node: `GEMEENTE=GM0363 tsx services/node/src/main.ts`. */
import { runMain } from "@vi/service";
import { parseNodeConfig } from "./config";
import { startNode } from "./server";

await runMain("node", () => startNode({ config: parseNodeConfig(process.env) }));
