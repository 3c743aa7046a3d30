/**
 * `npm run audit:verify -- <schema>` (with DATABASE_URL): checks a node's audit hash chain and names the first
 * row that was changed, inserted or removed. Exit 0 when the chain is whole, 1 when it is not, 2 on bad use.
 */
import { nodeTables, openDatabase } from "@vi/db";
import { checkAuditChain } from "@vi/node";

const schema = process.argv[2]?.trim().toLowerCase();
const url = process.env.DATABASE_URL;
if (!schema || !/^[a-z][a-z0-9_]{0,62}$/.test(schema) || !url) {
  process.stderr.write("Gebruik: DATABASE_URL=postgres://… npm run audit:verify -- <schema>   (bijvoorbeeld gm0363)\n");
  process.exit(2);
}
const database = await openDatabase({ url, max: 1, applicationName: "audit-verify" });
try {
  const finding = await checkAuditChain(database.db, nodeTables(schema));
  if (finding.ok) {
    process.stdout.write(
      `De auditketen van ${schema} is heel: ${finding.rows} regels${finding.unchained ? ` (${finding.unchained} van voor de keten, niet gecontroleerd)` : ""}.\n`,
    );
  } else {
    process.stdout.write(`De auditketen van ${schema} is NIET heel: ${finding.message}.\n`);
    process.exitCode = 1;
  }
} finally {
  await database.close();
}
