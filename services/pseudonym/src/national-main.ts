/** Entry point of the national pseudonym service (docs/national-chain.md): `tsx services/pseudonym/src/national-main.ts`. */
import { runMain } from "@vi/service";
import { parseNationalPseudonymConfig, startNationalPseudonymService } from "./national";

await runMain("landelijke-pseudoniemendienst", () => startNationalPseudonymService({ config: parseNationalPseudonymConfig(process.env) }));
