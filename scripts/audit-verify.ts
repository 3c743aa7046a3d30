/**
 * `npm run audit:verify -- <schema> [--hub <hub schema>] [--anker <file>] [--node <GM code>]` (with DATABASE_URL):
 * checks a node's audit hash chain and names the first row that was changed, inserted or removed. With `--hub`
 * (the hub's schema, in HUB_DATABASE_URL, else DATABASE_URL) or `--anker` (a JSON file `{ "regelId": …, "hash":
 * "…" }` exported from the hub) it also checks the chain still holds the last head the hub anchored, so rows
 * removed from the end are found (docs/adr/0026). Exit 0 when all is whole, 1 when not, 2 on bad use.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { type AnchorFinding, checkAuditAnchor, hubTables, nodeTables, openDatabase } from "@vi/db";
import { lastAuditAnchor } from "@vi/hub";
import { checkAuditChain } from "@vi/node";

const SCHEMA = /^[a-z][a-z0-9_]{0,62}$/;
const USAGE =
  "Gebruik: DATABASE_URL=postgres://… npm run audit:verify -- <schema> [--hub <schema van de hub>] [--anker <bestand.json>] [--node <GM-code>]   (bijvoorbeeld gm0363 --hub hub)\n";

function usage(message?: string): never {
  if (message) process.stderr.write(`${message}\n`);
  process.stderr.write(USAGE);
  process.exit(2);
}

let parsed: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    allowPositionals: true,
    options: { hub: { type: "string" }, anker: { type: "string" }, node: { type: "string" } },
  });
}
try {
  parsed = parse();
} catch (e) {
  usage((e as Error).message);
}
const schema = parsed.positionals[0]?.trim().toLowerCase();
const url = process.env.DATABASE_URL;
if (!schema || !SCHEMA.test(schema) || !url || parsed.positionals.length > 1) usage();
const hubSchema = parsed.values.hub?.trim().toLowerCase();
if (hubSchema !== undefined && !SCHEMA.test(hubSchema)) usage("--hub: geen geldige schemanaam");
if (hubSchema && parsed.values.anker) usage("Geef --hub of --anker, niet beide.");
const node = (parsed.values.node ?? (/^gm\d{4}$/.test(schema) ? schema : "")).toUpperCase();
if ((hubSchema || parsed.values.anker) && !/^GM\d{4}$/.test(node)) usage("--node: de CBS-code van de node (GM0363) is nodig als het schema er niet naar heet.");

let anchorFromFile: { regelId: number; hash: string } | undefined;
if (parsed.values.anker) {
  try {
    const raw = JSON.parse(readFileSync(parsed.values.anker, "utf8")) as { regelId?: unknown; hash?: unknown };
    if (!Number.isInteger(raw.regelId) || typeof raw.hash !== "string" || !/^[0-9a-f]{64}$/.test(raw.hash))
      throw new Error("regelId of hash ontbreekt of is ongeldig");
    anchorFromFile = { regelId: raw.regelId as number, hash: raw.hash };
  } catch (e) {
    usage(`--anker ${parsed.values.anker} is geen verankerde kop: ${(e as Error).message}`);
  }
}

const database = await openDatabase({ url, max: 1, applicationName: "audit-verify" });
const hubUrl = process.env.HUB_DATABASE_URL;
const hubDatabase = hubSchema && hubUrl && hubUrl !== url ? await openDatabase({ url: hubUrl, max: 1, applicationName: "audit-verify" }) : undefined;
try {
  const t = nodeTables(schema);
  const finding = await checkAuditChain(database.db, t);
  if (finding.ok) {
    process.stdout.write(
      `De auditketen van ${schema} is heel: ${finding.rows} regels${finding.unchained ? ` (${finding.unchained} van voor de keten, niet gecontroleerd)` : ""}.\n`,
    );
  } else {
    process.stdout.write(`De auditketen van ${schema} is NIET heel: ${finding.message}.\n`);
    process.exitCode = 1;
  }
  let anchor = anchorFromFile;
  if (hubSchema) {
    const last = await lastAuditAnchor((hubDatabase ?? database).db, hubTables(hubSchema), node);
    if (!last)
      process.stdout.write(`De hub (${hubSchema}) heeft nog geen kop van de auditketen van ${node} verankerd; afkappen aan het eind is niet te controleren.\n`);
    anchor = last;
  }
  if (anchor) {
    const a: AnchorFinding = await checkAuditAnchor(database.db, t.auditLog, anchor);
    if (a.ok) process.stdout.write(`De verankerde kop (regel ${a.regelId}) staat in de keten.\n`);
    else {
      process.stdout.write(`De auditketen van ${schema} is NIET heel: ${a.message}.\n`);
      process.exitCode = 1;
    }
  }
} finally {
  await database.close();
  await hubDatabase?.close();
}
