/**
 * `npm run db:generate -- --name <what>`: drizzle-kit generates the next
 * migration of the node set (`DB_SET=hub` for the hub's) from the schema,
 * with the arguments given, and the migrations are checked. A data migration
 * is written by hand into the generated file (or `-- --custom` for an empty
 * one), before the statements that need it; see docs/adr/0002-storage.md.
 */
import { spawnSync } from "node:child_process";
import { checkMigrations } from "./check-migrations";

const kit = spawnSync("npx", ["drizzle-kit", "generate", "--config", "packages/db/drizzle.config.ts", ...process.argv.slice(2)], { stdio: "inherit" });
if (kit.status !== 0) process.exit(kit.status ?? 1);
const problems = checkMigrations();
for (const p of problems) console.error(p);
process.exit(problems.length ? 1 : 0);
