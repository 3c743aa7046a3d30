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

export async function loadOrCreateDemoClient(dir: string, name = "oidc-client"): Promise<{ privateJwk: JWK; publicJwk: JWK }> {
  const file = join(dir, `${name}.json`);
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as { privateJwk: JWK; publicJwk: JWK };
  const { privateKey, publicKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
  const kid = `${DEMO_CLIENT_ID}-1`;
  const stored = { privateJwk: { ...(await exportJWK(privateKey)), kid }, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: "EdDSA", use: "sig" } };
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, JSON.stringify(stored), { mode: 0o600 });
  return stored;
}
