/**
 * Signing an event (compact JWS, EdDSA with Ed25519) on node:crypto's synchronous `sign` (docs/adr/0051): jose's
 * WebCrypto job behind a promise cost three times the signature. Verification stays with jose's `jwtVerify`
 * (verify.ts), which reads these tokens as any other (packages/events/test/verify.test.ts signs with this).
 */
import { createPrivateKey, type JsonWebKey, type KeyObject, sign } from "node:crypto";
import { EVENT_ALG } from "./suite";

const part = (value: unknown): string => Buffer.from(JSON.stringify(value), "utf8").toString("base64url");

/** An Ed25519 private key as a KeyObject, from its JWK (`kty` OKP, `crv` Ed25519, `x`, `d`). */
export function ed25519PrivateKey(jwk: { kty?: string; crv?: string; x?: string; d?: string }): KeyObject {
  const key = createPrivateKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, d: jwk.d } as JsonWebKey, format: "jwk" });
  if (key.asymmetricKeyType !== "ed25519") throw new TypeError("an Ed25519 private key is needed");
  return key;
}

/** `BASE64URL(header).BASE64URL(claims).BASE64URL(Ed25519 signature over the first two)`, header `alg` EVENT_ALG (EdDSA). */
export function signCompact(header: Record<string, string>, claims: Record<string, unknown>, key: KeyObject): string {
  const input = `${part({ ...header, alg: EVENT_ALG })}.${part(claims)}`;
  return `${input}.${sign(null, Buffer.from(input, "ascii"), key).toString("base64url")}`;
}
