/**
 * Checks the versioned migrations of every set (node, hub, landelijk, brug): every journal
 * entry has its SQL file and its drizzle-kit snapshot, in order, and no SQL
 * file is outside the journal; every statement names only the reference
 * schema (`vi_node`, `vi_hub`), which the migrator rewrites per service.
 *
 * `npm run db:generate` runs it after drizzle-kit; the unit tests run it too
 * (packages/db/test/migrations.test.ts). Exits 1 with one line per problem.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const SETS = { node: "vi_node", hub: "vi_hub", landelijk: "vi_landelijk", brug: "vi_brug" } as const;

export function checkMigrations(root = new URL("../migrations/", import.meta.url)): string[] {
  const problems: string[] = [];
  for (const [set, reference] of Object.entries(SETS)) {
    const dir = new URL(`${set}/`, root);
    const journal = JSON.parse(readFileSync(new URL("meta/_journal.json", dir), "utf8")) as { entries: { idx: number; tag: string }[] };
    const tags = journal.entries.map((e) => e.tag);
    journal.entries.forEach((e, i) => {
      if (e.idx !== i) problems.push(`${set}: journal entry ${e.tag} has idx ${e.idx}, expected ${i}`);
      if (!e.tag.startsWith(String(i).padStart(4, "0"))) problems.push(`${set}: ${e.tag} does not start with ${String(i).padStart(4, "0")}`);
      if (!existsSync(new URL(`${e.tag}.sql`, dir))) problems.push(`${set}: ${e.tag}.sql is missing`);
      if (!existsSync(new URL(`meta/${String(i).padStart(4, "0")}_snapshot.json`, dir))) problems.push(`${set}: the snapshot of ${e.tag} is missing`);
    });
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".sql"))) {
      if (!tags.includes(file.replace(/\.sql$/, ""))) problems.push(`${set}: ${file} is not in the journal`);
    }
    for (const tag of tags) {
      const path = new URL(`${tag}.sql`, dir);
      if (!existsSync(path)) continue;
      const text = readFileSync(path, "utf8");
      for (const [, schema] of text.matchAll(/"([a-z_][a-z0-9_]*)"\."[a-z_][a-z0-9_]*"/g)) {
        // Quoted pairs are schema.table or table.column; a schema is known by its prefix.
        if (schema?.startsWith("vi_") && schema !== reference) problems.push(`${set}: ${tag} names schema "${schema}", expected "${reference}"`);
      }
      if (!text.includes(`"${reference}".`)) problems.push(`${set}: ${tag} does not name the reference schema "${reference}"`);
    }
  }
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const problems = checkMigrations();
  for (const p of problems) console.error(p);
  if (problems.length) process.exit(1);
  console.log("migrations: journal, SQL files and snapshots agree");
}
