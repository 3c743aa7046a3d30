/**
 * `npm run db:roles`: a database login per service (docs/adr/0019). Writes, to
 * DB_ROLES_DIR (default .data/db-compose; keep it out of git), a password per
 * service (`passwords/<schema>`, mode 0600, kept across runs) and `roles.sql`,
 * which an administrator runs once on the region's database (docker-compose
 * runs it when PostgreSQL is first initialised). Each service then logs in
 * with DATABASE_USER (`vi_<schema>`) and DATABASE_PASSWORD_FILE.
 *
 * The region's gemeenten: GEMEENTEN (codes, comma-separated) or REGIO_GEMEENTEN, else Regio Amsterdam;
 * the database: DB_ROLES_DATABASE (verwijsindex). The region's bridge to the national index (schema brug;
 * docs/national-chain.md). Also the demo's second region as docker-compose runs it (Zuid-Kennemerland: its hub,
 * schema hub_zuid_kennemerland, Haarlem's node, gm0392, and its bridge, brug_zuid_kennemerland; docs/adr/0038),
 * unless TWEEDE_REGIO=nee; and the reference national index (schema landelijk), unless LANDELIJKE_INDEX=nee.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { roleOf, serviceRolesSql } from "@vi/db";
import { regionFromConfig } from "@vi/region";

const root = resolve(import.meta.dirname, "..");
const dir = resolve(root, process.env.DB_ROLES_DIR ?? ".data/db-compose");
const database = process.env.DB_ROLES_DATABASE ?? "verwijsindex";
const codes = process.env.GEMEENTEN
  ? process.env.GEMEENTEN.split(",").map((c) => c.trim())
  : regionFromConfig(process.env.REGIO_GEMEENTEN).gemeenten.map((g) => g.code);
const schemas = [
  "hub",
  "brug",
  ...codes.map((c) => c.toLowerCase()),
  ...(process.env.TWEEDE_REGIO === "nee" ? [] : ["hub_zuid_kennemerland", "gm0392", "brug_zuid_kennemerland"]),
  ...(process.env.LANDELIJKE_INDEX === "nee" ? [] : ["landelijk"]),
];

mkdirSync(resolve(dir, "passwords"), { recursive: true, mode: 0o700 });
const services = schemas.map((schema) => {
  const file = resolve(dir, "passwords", schema);
  if (!existsSync(file)) writeFileSync(file, `${randomBytes(24).toString("base64url")}\n`, { mode: 0o600 });
  return { schema, role: roleOf(schema), password: readFileSync(file, "utf8").trim() };
});
writeFileSync(resolve(dir, "roles.sql"), serviceRolesSql(database, services), { mode: 0o600 });
console.log(`${services.length} logins (${services.map((s) => s.role).join(", ")}) for database ${database}: ${dir}/roles.sql and passwords/.`);
