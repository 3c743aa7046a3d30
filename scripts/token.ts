/**
 * `npm run token -- <e-mail>`: prints a bearer token from the dev issuer for a
 * demo account of docs/demo-data.md. The key pair is generated on first
 * use in .data/dev-issuer and shared with `npm start`.
 */
import { resolve } from "node:path";
import { loadOrCreateDevIssuer } from "@vi/auth";
import { DEMO_ACCOUNTS, accountByEmail, demoSubject } from "@vi/demo";

const email = process.argv[2]?.trim().toLowerCase();
if (!email || !accountByEmail(email)) {
  process.stderr.write(`Gebruik: npm run token -- <e-mail>\nDemo-accounts:\n${DEMO_ACCOUNTS.map((a) => `  ${a.email.padEnd(36)} ${a.functie}`).join("\n")}\n`);
  process.exit(2);
}
const root = resolve(import.meta.dirname, "..");
const issuer = await loadOrCreateDevIssuer({
  dataDir: resolve(root, process.env.DATA_DIR ?? ".data", "dev-issuer"),
  issuer: process.env.AUTH_ISSUER ?? `http://localhost:${process.env.ISSUER_PORT ?? 8090}`,
  // The subject the demo register maps to the account (packages/demo/register.json).
  subjectOf: demoSubject,
});
process.stdout.write(`${await issuer.sign(email)}\n`);
