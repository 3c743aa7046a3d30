/** Writes each demo region's register (packages/demo/register.json, register-zuid-kennemerland.json): what nodes and hubs load with REGISTER_BESTAND. */
import { writeFileSync } from "node:fs";
import { DEMO_REGISTER_FILES, type DemoRegio, demoRegister } from "../src/index";

for (const [regio, file] of Object.entries(DEMO_REGISTER_FILES)) {
  writeFileSync(file, `${JSON.stringify(demoRegister(regio as DemoRegio), null, 2)}\n`);
  process.stdout.write(`${file}\n`);
}
