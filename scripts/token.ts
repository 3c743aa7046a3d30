/**
 * `npm run token -- <e-mail>`: prints a bearer token from the dev issuer for a
 * demo account of docs/demo-data.md, signed with the dev issuer's key (generated on first use in
 * .data/dev-issuer and shared with `npm start`, whose OpenID Connect provider signs with the same key).
 * With `--oidc` it gets the token from that running provider instead (code flow, PKCE, private_key_jwt).
 */
import { resolve } from "node:path";
import { codeFlowToken, DEFAULT_RESOURCE, HUB_RESOURCE, loadOrCreateDevIssuer } from "@vi/auth";
import { DEMO_ACCOUNTS, accountByEmail, demoSubject } from "@vi/demo";
import { DEMO_CLIENT_ID, DEMO_REDIRECT_URI, loadOrCreateDemoClient } from "./demo-oidc-client";

const args = process.argv.slice(2);
const viaProvider = args.includes("--oidc");
// `--hub`: a token for the hub's register API (audience verwijsindex-hub) instead of a node's.
const forHub = args.includes("--hub");
const email = args
  .find((a) => !a.startsWith("--"))
  ?.trim()
  .toLowerCase();
if (!email || !accountByEmail(email)) {
  process.stderr.write(
    `Gebruik: npm run token -- <e-mail> [--oidc] [--hub]\nDemo-accounts:\n${DEMO_ACCOUNTS.map((a) => `  ${a.email.padEnd(36)} ${a.functie}`).join("\n")}\n`,
  );
  process.exit(2);
}
const root = resolve(import.meta.dirname, "..");
const issuer = await loadOrCreateDevIssuer({
  dataDir: resolve(root, process.env.DATA_DIR ?? ".data", "dev-issuer"),
  issuer: process.env.AUTH_ISSUER ?? `http://localhost:${process.env.ISSUER_PORT ?? 8090}`,
  // The subject the demo register maps to the account (packages/demo/register.json).
  subjectOf: demoSubject,
});
if (viaProvider) {
  // Through the running provider of `npm start`: the code flow with PKCE and private_key_jwt.
  const client = await loadOrCreateDemoClient(resolve(root, process.env.DATA_DIR ?? ".data", "dev-issuer"));
  const res = await codeFlowToken({
    issuer: issuer.issuer,
    clientId: DEMO_CLIENT_ID,
    clientKey: client.privateJwk,
    redirectUri: DEMO_REDIRECT_URI,
    login: email,
    resource: forHub ? HUB_RESOURCE : DEFAULT_RESOURCE,
  });
  if (res.status !== 200) {
    process.stderr.write(`De OpenID Connect-provider gaf geen token (${res.status}): ${JSON.stringify(res.body)}\nDraait npm start?\n`);
    process.exit(1);
  }
  process.stdout.write(`${String(res.body.access_token)}\n`);
} else {
  // Signed directly with the dev issuer's key, the same key the provider signs with.
  process.stdout.write(`${await issuer.sign(email, forHub ? { audience: "verwijsindex-hub" } : undefined)}\n`);
}
