/** Writes the demo register to packages/demo/register.json (what nodes started with REGISTER_BESTAND load). */
import { writeFileSync } from "node:fs";
import { DEMO_REGISTER_FILE, demoRegister } from "../src/index";

writeFileSync(DEMO_REGISTER_FILE, `${JSON.stringify(demoRegister(), null, 2)}\n`);
process.stdout.write(`${DEMO_REGISTER_FILE}\n`);
