/**
 * The development OpenID Connect provider (oidc-provider 8), over real HTTP: the authorisation code flow with
 * PKCE and private_key_jwt gives a JWT access token for the API's audience, at most one hour, with the
 * account's stable subject, signed with the dev issuer's key, which the node's verifier accepts; without PKCE,
 * or with a client secret instead of a signed assertion, there is no token.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportJWK, generateKeyPair } from "jose";
import { createTokenVerifier } from "../src/index";
import { codeFlowToken } from "../src/oidc-client";
import { DEFAULT_RESOURCE, HUB_RESOURCE, startOidcProvider } from "../src/oidc-provider";

const SUBJECTS: Record<string, string> = { "ib@buurtschool.example": "6d1c9a52-0000-5000-8000-00000000000a" };
const REDIRECT = "http://localhost:1/terug";
let op: Awaited<ReturnType<typeof startOidcProvider>>;
let clientKey: Record<string, unknown>;

beforeAll(async () => {
  const client = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
  clientKey = { ...(await exportJWK(client.privateKey)), kid: "client-1" };
  const { privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: "op-1" };
  op = await startOidcProvider({
    port: 0,
    signingKey,
    subjectOf: (e) => SUBJECTS[e],
    clients: [{ client_id: "demo-app", jwks: { keys: [{ ...(await exportJWK(client.publicKey)), kid: "client-1" }] }, redirect_uris: [REDIRECT] }],
    accounts: [{ email: "ib@buurtschool.example", omschrijving: "Intern begeleider, De Buurtschool" }, { email: "<script>@x.example" }],
  });
});
afterAll(async () => op?.close());

const flow = (over: Partial<Parameters<typeof codeFlowToken>[0]> = {}) =>
  codeFlowToken({
    issuer: op.issuer,
    clientId: "demo-app",
    clientKey: clientKey as never,
    redirectUri: REDIRECT,
    login: "ib@buurtschool.example",
    resource: DEFAULT_RESOURCE,
    ...over,
  });

describe("the development OpenID Connect provider", () => {
  it("code flow with PKCE and private_key_jwt: a JWT access token the node's verifier accepts, sub stable, one hour", async () => {
    const res = await flow();
    expect(res.status).toBe(200);
    expect(res.body.token_type).toBe("Bearer");
    expect(res.body.expires_in).toBeLessThanOrEqual(3600);
    const verifier = createTokenVerifier({ issuer: op.issuer, audience: "verwijsindex", jwksUrl: `${op.issuer}/jwks.json` });
    const id = await verifier.verify(`Bearer ${res.body.access_token as string}`);
    expect(id.subject).toBe(SUBJECTS["ib@buurtschool.example"]);
    // A second sign-in gives the same subject.
    const again = await verifier.verify(`Bearer ${(await flow()).body.access_token as string}`);
    expect(again.subject).toBe(id.subject);
  });
  it("an audience per API: a token for the hub's resource is accepted by the hub's verifier only, a node's by the node's only", async () => {
    const node = createTokenVerifier({ issuer: op.issuer, audience: "verwijsindex", jwksUrl: `${op.issuer}/jwks.json` });
    const hub = createTokenVerifier({ issuer: op.issuer, audience: "verwijsindex-hub", jwksUrl: `${op.issuer}/jwks.json` });
    const forHub = await flow({ resource: HUB_RESOURCE });
    expect(forHub.status).toBe(200);
    const hubToken = `Bearer ${forHub.body.access_token as string}`;
    expect((await hub.verify(hubToken)).subject).toBe(SUBJECTS["ib@buurtschool.example"]);
    await expect(node.verify(hubToken)).rejects.toThrow();
    const nodeToken = `Bearer ${(await flow()).body.access_token as string}`;
    await expect(hub.verify(nodeToken)).rejects.toThrow();
    // A resource the provider does not know gives no token.
    expect((await flow({ resource: "urn:elders" })).status).not.toBe(200);
  });
  it("without PKCE there is no code", async () => {
    const res = await flow({ withoutPkce: true });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: "invalid_request", error_description: expect.stringMatching(/PKCE|code_challenge/) });
  });
  it("an unknown account gets no token", async () => {
    expect((await flow({ login: "onbekend@nergens.example" })).status).toBe(400);
  });
  it("a client secret instead of a signed assertion is refused (private_key_jwt only)", async () => {
    const res = await fetch(`${op.issuer}/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "authorization_code", code: "x", redirect_uri: REDIRECT, client_id: "demo-app", client_secret: "geheim" }),
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: string }).error).toBe("invalid_client");
  });
  it("a client assertion signed with another key is refused", async () => {
    const other = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
    const res = await flow({ clientKey: { ...(await exportJWK(other.privateKey)), kid: "client-1" } });
    expect(res.status).toBe(401);
    expect(res.body.error).toBe("invalid_client");
  });
});

describe("the sign-in page", () => {
  it("offers each demo account as a link whose text is its e-mail address, escaped, and leads to a token", async () => {
    const auth = new URL("/auth", op.issuer);
    auth.search = new URLSearchParams({
      client_id: "demo-app",
      response_type: "code",
      redirect_uri: REDIRECT,
      scope: "openid",
      code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
      code_challenge_method: "S256",
    }).toString();
    const start = await fetch(auth, { redirect: "manual" });
    const cookie = start.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    const page = await fetch(new URL(start.headers.get("location")!, op.issuer), { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    const body = await page.text();
    expect(body).toContain('<html lang="nl">');
    expect(body).toMatch(/<a href="\/interaction\/[^"?]+\?login=ib%40buurtschool\.example">ib@buurtschool\.example<\/a>/);
    expect(body).not.toContain("<script>");
    expect(body).toContain("&#60;script&#62;@x.example");
  });
});

describe("discovery", () => {
  it("offers only the code flow, PKCE S256, private_key_jwt with EdDSA, and its JWKS at /jwks.json", async () => {
    const d = (await (await fetch(`${op.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(d.response_types_supported).toEqual(["code"]);
    expect(d.code_challenge_methods_supported).toEqual(["S256"]);
    expect(d.token_endpoint_auth_methods_supported).toEqual(["private_key_jwt"]);
    expect(d.jwks_uri).toBe(`${op.issuer}/jwks.json`);
    expect(d.grant_types_supported).not.toContain("implicit");
  });
});
