/**
 * The token verifier: identity is `sub`; a token lives at most one hour; issuer, audience and the key set are
 * pinned, so a token of another issuer or audience, a self-signed one (its own key in the header) and one
 * signed with another key are refused. Real keys and real JWTs (jose), no mocks.
 */
import { describe, expect, it } from "vitest";
import { base64url, createLocalJWKSet, exportJWK, generateKeyPair, importJWK, SignJWT } from "jose";
import { createTokenVerifier, loadOrCreateDevIssuer, TokenError } from "../src/index";

const ISSUER = "https://login.example.test";
const issuer = await loadOrCreateDevIssuer({ issuer: ISSUER, subjectOf: (e) => (e === "ib@buurtschool.example" ? "sub-ib" : undefined) });
const verifier = createTokenVerifier({ issuer: ISSUER, audience: issuer.audience, keys: issuer.keys });

async function refusal(token: string): Promise<string> {
  try {
    await verifier.verify(`Bearer ${token}`);
    return "accepted";
  } catch (e) {
    if (e instanceof TokenError) return e.code;
    throw e;
  }
}

/** A token signed with the second issuer's key (below), with exactly these claims. */
async function withClaims(claims: { iat?: number; exp: number; sub?: string }) {
  const privateKey = await importJWK(PRIVATE, "EdDSA");
  let jwt = new SignJWT({ email: "ib@buurtschool.example" })
    .setProtectedHeader({ alg: "EdDSA", kid: KID })
    .setIssuer(ISSUER)
    .setAudience(issuer.audience)
    .setExpirationTime(claims.exp);
  if (claims.sub !== undefined) jwt = jwt.setSubject(claims.sub);
  if (claims.iat !== undefined) jwt = jwt.setIssuedAt(claims.iat);
  return jwt.sign(privateKey);
}

// A second issuer whose private key this test holds, verified the same way.
const own = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
const KID = "own-key";
const PRIVATE = { ...(await exportJWK(own.privateKey)), kid: KID };
const ownVerifier = createTokenVerifier({
  issuer: ISSUER,
  audience: issuer.audience,
  keys: createLocalJWKSet({ keys: [{ ...(await exportJWK(own.publicKey)), kid: KID, alg: "EdDSA" }] }),
});
const ownRefusal = async (token: string) => {
  try {
    return (await ownVerifier.verify(`Bearer ${token}`)).subject;
  } catch (e) {
    if (e instanceof TokenError) return `${e.code}: ${e.message}`;
    throw e;
  }
};
const now = () => Math.floor(Date.now() / 1000);

describe("identity", () => {
  it("is the subject the issuer gives; the e-mail claim is informative only", async () => {
    const id = await verifier.verify(`Bearer ${await issuer.sign("ib@buurtschool.example")}`);
    expect(id).toEqual({ subject: "sub-ib", email: "ib@buurtschool.example", issuer: ISSUER });
  });
  it("the dev issuer's tokens live one hour, the most a node accepts", async () => {
    const [, payload] = (await issuer.sign("ib@buurtschool.example")).split(".");
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload!))) as { iat: number; exp: number };
    expect(claims.exp - claims.iat).toBe(3600);
  });
  it("a token without sub is refused", async () => {
    expect(await ownRefusal(await withClaims({ iat: now(), exp: now() + 600 }))).toMatch(/^TOKEN_ONGELDIG/);
  });
});

describe("lifetime", () => {
  it("one hour is accepted", async () => {
    expect(await ownRefusal(await withClaims({ iat: now(), exp: now() + 3600, sub: "s" }))).toBe("s");
  });
  it("one second more than an hour is refused, with a Dutch reason", async () => {
    expect(await ownRefusal(await withClaims({ iat: now(), exp: now() + 3601, sub: "s" }))).toBe(
      "TOKEN_ONGELDIG: Het token is te lang geldig (langer dan 60 minuten). Vraag een nieuw token aan.",
    );
    expect(await refusal(await issuer.sign("ib@buurtschool.example", { expiresInSec: 8 * 3600 }))).toBe("TOKEN_ONGELDIG");
  });
  it("a token without iat is refused (its lifetime is unknown)", async () => {
    expect(await ownRefusal(await withClaims({ exp: now() + 600, sub: "s" }))).toMatch(/^TOKEN_ONGELDIG/);
  });
  it("a shorter maximum can be configured, a longer one cannot", async () => {
    const keys = createLocalJWKSet({ keys: [{ ...(await exportJWK(own.publicKey)), kid: KID, alg: "EdDSA" }] });
    const strict = createTokenVerifier({ issuer: ISSUER, audience: issuer.audience, keys, maxLifetimeSec: 300 });
    const lax = createTokenVerifier({ issuer: ISSUER, audience: issuer.audience, keys, maxLifetimeSec: 24 * 3600 });
    const tenMinutes = await withClaims({ iat: now(), exp: now() + 600, sub: "s" });
    await expect(strict.verify(`Bearer ${tenMinutes}`)).rejects.toMatchObject({ code: "TOKEN_ONGELDIG" });
    await expect(lax.verify(`Bearer ${await withClaims({ iat: now(), exp: now() + 7200, sub: "s" })}`)).rejects.toMatchObject({ code: "TOKEN_ONGELDIG" });
  });
  it("an expired token is TOKEN_VERLOPEN", async () => {
    expect(await refusal(await issuer.sign("ib@buurtschool.example", { expiresInSec: -120 }))).toBe("TOKEN_VERLOPEN");
  });
});

describe("verified tokens kept in memory", () => {
  it("a token verified once is accepted until it expires, then TOKEN_VERLOPEN; a changed signature is checked again", async () => {
    let at = new Date();
    const keys = createLocalJWKSet({ keys: [{ ...(await exportJWK(own.publicKey)), kid: KID, alg: "EdDSA" }] });
    const cached = createTokenVerifier({ issuer: ISSUER, audience: issuer.audience, keys, now: () => at, clockToleranceSec: 0 });
    const token = await withClaims({ iat: now(), exp: now() + 60, sub: "s" });
    expect((await cached.verify(`Bearer ${token}`)).subject).toBe("s");
    expect((await cached.verify(`Bearer ${token}`)).subject).toBe("s");
    const [head, body, signature] = token.split(".");
    const forged = `${head}.${body}.${signature!.startsWith("A") ? "B" : "A"}${signature!.slice(1)}`;
    await expect(cached.verify(`Bearer ${forged}`)).rejects.toMatchObject({ code: "TOKEN_ONGELDIG" });
    at = new Date((now() + 61) * 1000);
    await expect(cached.verify(`Bearer ${token}`)).rejects.toMatchObject({ code: "TOKEN_VERLOPEN" });
    await expect(cached.verify(`Bearer ${token}`)).rejects.toMatchObject({ code: "TOKEN_VERLOPEN" });
  });

  it("keeps no more than its size: the oldest goes first and is verified again", async () => {
    let checks = 0;
    const counting = async () => {
      checks++;
      return own.publicKey;
    };
    const small = createTokenVerifier({ issuer: ISSUER, audience: issuer.audience, keys: counting, cacheSize: 2 });
    const [a, b, c] = await Promise.all(["a", "b", "c"].map((sub) => withClaims({ iat: now(), exp: now() + 60, sub })));
    for (const token of [a, b, c]) await small.verify(`Bearer ${token}`);
    expect(checks).toBe(3);
    expect((await small.verify(`Bearer ${c}`)).subject).toBe("c");
    expect((await small.verify(`Bearer ${b}`)).subject).toBe("b");
    expect(checks).toBe(3);
    expect((await small.verify(`Bearer ${a}`)).subject).toBe("a");
    expect(checks).toBe(4);
  });
});

describe("issuer, audience and keys are pinned", () => {
  it("another audience is refused", async () => {
    expect(await refusal(await issuer.sign("ib@buurtschool.example", { audience: "een-andere-dienst" }))).toBe("TOKEN_ONGELDIG");
  });
  it("another issuer is refused", async () => {
    expect(await refusal(await issuer.sign("ib@buurtschool.example", { issuer: "https://evil.example" }))).toBe("TOKEN_ONGELDIG");
  });
  it("a self-signed token (its own public key in the header, the issuer's kid) is refused", async () => {
    const { privateKey, publicKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: "EdDSA", kid: issuer.jwks.keys[0]!.kid, jwk: await exportJWK(publicKey) })
      .setSubject("sub-ib")
      .setIssuer(ISSUER)
      .setAudience(issuer.audience)
      .setIssuedAt()
      .setExpirationTime("10m")
      .sign(privateKey);
    expect(await refusal(token)).toBe("TOKEN_ONGELDIG");
  });
  it("a token signed with another key under the issuer's kid is refused", async () => {
    const { privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519" });
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: "EdDSA", kid: issuer.jwks.keys[0]!.kid })
      .setSubject("sub-ib")
      .setIssuer(ISSUER)
      .setAudience(issuer.audience)
      .setIssuedAt()
      .setExpirationTime("10m")
      .sign(privateKey);
    expect(await refusal(token)).toBe("TOKEN_ONGELDIG");
  });
  it('"none" and HMAC with the public key as secret are refused', async () => {
    const header = base64url.encode(JSON.stringify({ alg: "none", typ: "JWT" }));
    const body = base64url.encode(JSON.stringify({ sub: "sub-ib", iss: ISSUER, aud: issuer.audience, iat: now(), exp: now() + 600 }));
    expect(await refusal(`${header}.${body}.`)).toBe("TOKEN_ONGELDIG");
    const hmac = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256", kid: issuer.jwks.keys[0]!.kid })
      .setSubject("sub-ib")
      .setIssuer(ISSUER)
      .setAudience(issuer.audience)
      .setIssuedAt()
      .setExpirationTime("10m")
      .sign(new TextEncoder().encode(JSON.stringify(issuer.jwks.keys[0])));
    expect(await refusal(hmac)).toBe("TOKEN_ONGELDIG");
  });
});

describe("the dev issuer's tokens", () => {
  it("live exactly their lifetime, also when a second ticks while one is signed (a busy machine)", async () => {
    // A clock that moves a whole second at every reading: jose reading it once for iat and again for a relative
    // expiry made exp - iat one second too long, and the nodes refused the token as living too long.
    const RealDate = Date;
    let t = RealDate.now();
    class TickingDate extends RealDate {
      constructor(...args: ConstructorParameters<typeof Date> | []) {
        if (args.length === 0) {
          t += 1000;
          super(t);
        } else super(...(args as ConstructorParameters<typeof Date>));
      }
      static override now() {
        t += 1000;
        return t;
      }
    }
    globalThis.Date = TickingDate as DateConstructor;
    let token: string;
    try {
      token = await issuer.sign("ib@buurtschool.example");
    } finally {
      globalThis.Date = RealDate;
    }
    const payload = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()) as { iat: number; exp: number };
    expect(payload.exp - payload.iat).toBe(3600);
  });
});
