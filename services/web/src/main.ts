/** Entry point of the web application: `tsx services/web/src/main.ts`. */
import { runMain } from "@vi/service";
import { parseWebConfig } from "./config";
import { startWeb } from "./server";

await runMain("web", () => startWeb({ config: parseWebConfig(process.env) }));
