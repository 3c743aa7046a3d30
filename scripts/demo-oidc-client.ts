/**
 * The demo's OpenID Connect client (`verwijsindex-demo`, private_key_jwt): its Ed25519 key pair, generated on
 * first use in `<data dir>/dev-issuer/oidc-client.json` (mode 0600, git-ignored), shared by `npm start` (the
 * provider knows its public key) and `npm run token -- --oidc` (signs its client assertion).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { exportJWK, generateKeyPair, type JWK } from "jose";

export const DEMO_CLIENT_ID = "verwijsindex-demo";
export const DEMO_REDIRECT_URI = "http://localhost:8090/demo-terug";

/** The web application's client (services/web), its key pair in `<data dir>/dev-issuer/web-client.json`. */
export const WEB_CLIENT_ID = "verwijsindex-web";

/** The demo client, or with `clientId` another client of the demo (a case system), its keys in `<dir>/<clientId>.json`. */
export function loadOrCreateDemoClient(dir: string, clientId?: string): Promise<{ privateJwk: JWK; publicJwk: JWK }> {
  return clientId ? loadOrCreateClient(dir, `${clientId}.json`, clientId) : loadOrCreateClient(dir, "oidc-client.json", DEMO_CLIENT_ID);
}

export function loadOrCreateWebClient(dir: string): Promise<{ privateJwk: JWK; publicJwk: JWK }> {
  return loadOrCreateClient(dir, "web-client.json", WEB_CLIENT_ID);
}

async function loadOrCreateClient(dir: string, name: string, clientId: string): Promise<{ privateJwk: JWK; publicJwk: JWK }> {
  const file = join(dir, name);
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as { privateJwk: JWK; publicJwk: JWK };
  const { privateKey, publicKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
  const kid = `${clientId}-1`;
  const stored = { privateJwk: { ...(await exportJWK(privateKey)), kid }, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: "EdDSA", use: "sig" } };
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, JSON.stringify(stored), { mode: 0o600 });
  return stored;
}
