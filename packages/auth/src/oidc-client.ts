/**
 * A client of the development OpenID Connect provider, without a browser: the authorisation code flow with
 * PKCE (S256) and private_key_jwt, signing in as a demo account. `npm run token` and the tests use it.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { importJWK, type JWK, SignJWT } from "jose";

export interface CodeFlowOptions {
  issuer: string;
  clientId: string;
  /** The client's Ed25519 private key (private_key_jwt). */
  clientKey: JWK;
  redirectUri: string;
  /** The demo account to sign in as. */
  login: string;
  resource?: string;
  /** Leave PKCE out (to show it is required). */
  withoutPkce?: boolean;
}

const b64url = (b: Buffer) => b.toString("base64url");

/** Runs the flow; resolves with the token response (access_token, id_token, expires_in). */
export async function codeFlowToken(o: CodeFlowOptions): Promise<{ status: number; body: Record<string, unknown> }> {
  const verifier = b64url(randomBytes(32));
  const challenge = b64url(createHash("sha256").update(verifier).digest());
  const cookies = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair!.indexOf("=");
      cookies.set(pair!.slice(0, i), pair!.slice(i + 1));
    }
  };
  const get = async (url: string) => {
    const res = await fetch(url, { redirect: "manual", headers: { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join("; ") } });
    keep(res);
    return res;
  };
  const auth = new URL("/auth", o.issuer);
  auth.search = new URLSearchParams({
    client_id: o.clientId,
    response_type: "code",
    redirect_uri: o.redirectUri,
    scope: "openid",
    state: randomUUID(),
    ...(o.resource ? { resource: o.resource } : {}),
    ...(o.withoutPkce ? {} : { code_challenge: challenge, code_challenge_method: "S256" }),
  }).toString();
  let res = await get(auth.toString());
  let code: string | null = null;
  for (let hop = 0; hop < 6 && !code; hop++) {
    const location = res.headers.get("location");
    if (!location) break;
    const next = new URL(location, o.issuer);
    if (next.toString().startsWith(o.redirectUri)) {
      code = next.searchParams.get("code");
      if (!code) return { status: 400, body: Object.fromEntries(next.searchParams) };
      break;
    }
    if (next.pathname.startsWith("/interaction/")) next.searchParams.set("login", o.login);
    res = await get(next.toString());
  }
  if (!code) return { status: res.status, body: { error: "geen_code", detail: await res.text() } };
  const tokenUrl = new URL("/token", o.issuer).toString();
  const assertion = await new SignJWT({})
    .setProtectedHeader({ alg: "EdDSA", ...(o.clientKey.kid ? { kid: o.clientKey.kid } : {}) })
    .setIssuer(o.clientId)
    .setSubject(o.clientId)
    .setAudience(tokenUrl)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime("60s")
    .sign(await importJWK(o.clientKey, "EdDSA"));
  const tokenRes = await fetch(tokenUrl, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: o.redirectUri,
      code_verifier: verifier,
      client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      client_assertion: assertion,
      ...(o.resource ? { resource: o.resource } : {}),
    }),
  });
  return { status: tokenRes.status, body: (await tokenRes.json()) as Record<string, unknown> };
}

/** A case system's access token (OAuth 2 client credentials, private_key_jwt); resolves with the token response. */
export async function clientCredentialsToken(o: {
  issuer: string;
  clientId: string;
  clientKey: JWK;
  resource?: string;
}): Promise<{ status: number; body: Record<string, unknown> }> {
  const tokenUrl = new URL("/token", o.issuer).toString();
  const assertion = await new SignJWT({})
    .setProtectedHeader({ alg: "EdDSA", ...(o.clientKey.kid ? { kid: o.clientKey.kid } : {}) })
    .setIssuer(o.clientId)
    .setSubject(o.clientId)
    .setAudience(tokenUrl)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime("60s")
    .sign(await importJWK(o.clientKey, "EdDSA"));
  const res = await fetch(tokenUrl, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      client_assertion: assertion,
      ...(o.resource ? { resource: o.resource } : {}),
    }).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
