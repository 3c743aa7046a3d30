/** Entry point of the pseudonym service: `tsx services/pseudonym/src/main.ts`. */
import { runMain } from "@vi/service";
import { parsePseudonymConfig } from "./config";
import { startPseudonymService } from "./server";

await runMain("pseudoniem", () => startPseudonymService({ config: parsePseudonymConfig(process.env) }));
