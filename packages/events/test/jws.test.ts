import { generateKeyPairSync } from "node:crypto";
import { jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { ed25519PrivateKey, signCompact } from "../src/jws";

describe("signing an event on node:crypto (compact JWS, EdDSA)", () => {
  it("jose verifies the token, with the header and claims given", async () => {
    const pair = generateKeyPairSync("ed25519");
    const key = ed25519PrivateKey(pair.privateKey.export({ format: "jwk" }));
    const token = signCompact({ kid: "sig-1", typ: "vi-event+jwt" }, { type: "t", iss: "GM0363", aud: ["hub"], iat: 100, exp: 400, jti: "j" }, key);
    const { payload, protectedHeader } = await jwtVerify(token, pair.publicKey, {
      algorithms: ["EdDSA"],
      typ: "vi-event+jwt",
      issuer: "GM0363",
      audience: "hub",
      currentDate: new Date(200_000),
    });
    expect(protectedHeader).toEqual({ alg: "EdDSA", kid: "sig-1", typ: "vi-event+jwt" });
    expect(payload).toEqual({ type: "t", iss: "GM0363", aud: ["hub"], iat: 100, exp: 400, jti: "j" });
  });

  it("a changed claim or another key fails jose's verification; a key that is not Ed25519 is refused", async () => {
    const pair = generateKeyPairSync("ed25519");
    const token = signCompact({ kid: "k" }, { iss: "a", exp: 400 }, ed25519PrivateKey(pair.privateKey.export({ format: "jwk" })));
    const [h, , s] = token.split(".");
    const forged = `${h}.${Buffer.from(JSON.stringify({ iss: "b", exp: 400 })).toString("base64url")}.${s}`;
    const opts = { algorithms: ["EdDSA"], currentDate: new Date(200_000) };
    await expect(jwtVerify(forged, pair.publicKey, opts)).rejects.toThrow(/signature verification failed/);
    await expect(jwtVerify(token, generateKeyPairSync("ed25519").publicKey, opts)).rejects.toThrow(/signature verification failed/);
    expect(() => ed25519PrivateKey(generateKeyPairSync("x25519").privateKey.export({ format: "jwk" }))).toThrow();
  });
});
