/**
 * Bad input gets a Problem Details answer with a stable code, and changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SignJWT, generateKeyPair, base64url } from "jose";
import { addDays, addYears } from "@vi/domain";
import { ADAM, DOCENT, IB, LEERPLICHT, LIAM } from "../support/constants";
import { startTestRegion, type TestRegion } from "../support/region";
import { stored } from "../support/rows";
import { documentedOperations } from "../support/openapi";

let r: TestRegion;

beforeAll(async () => {
  r = await startTestRegion({ gemeenten: ["GM0363"] });
});
afterAll(async () => r?.close());

async function expectRefusedAndNothingStored(send: () => Promise<{ status: number; headers: Headers; body: any }>, status: number, code: string) {
  const before = await stored(r.database.db, "GM0363");
  const res = await send();
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  expect(res.headers.get("api-version")).toBe("1.0.0");
  expect(res.body).toMatchObject({ status, code, title: expect.any(String), detail: expect.any(String) });
  const after = await stored(r.database.db, "GM0363");
  expect(after).toMatchObject({ signalen: before.signalen, jeugdigen: before.jeugdigen, matches: before.matches });
  return res.body;
}

const post = (body: unknown, headers?: Record<string, string>) => () => r.call("GM0363", IB, "POST", "/api/v1/signalen", body, headers);

describe("a request body that is not what the API takes", () => {
  it("malformed JSON gets JSON_ONGELDIG", async () => {
    await expectRefusedAndNothingStored(post('{"bsn": "999900018", geinformeerd: true'), 400, "JSON_ONGELDIG");
  });
  it("an unknown field gets VERZOEK_ONGELDIG naming the field", async () => {
    const body = await expectRefusedAndNothingStored(post({ bsn: ADAM, geinformeerd: true, reden: "zorgen thuis" }), 400, "VERZOEK_ONGELDIG");
    expect(body.invalidParams).toEqual([expect.objectContaining({ name: "reden", code: "unrecognized_keys" })]);
  });
  it("wrong types get VERZOEK_ONGELDIG", async () => {
    const body = await expectRefusedAndNothingStored(post({ bsn: 999900018, geinformeerd: "ja" }), 400, "VERZOEK_ONGELDIG");
    expect(body.invalidParams.map((p: any) => p.name).sort()).toEqual(["bsn", "geinformeerd"]);
  });
  it("a missing required field gets VERZOEK_ONGELDIG", async () => {
    await expectRefusedAndNothingStored(post({ bsn: ADAM }), 400, "VERZOEK_ONGELDIG");
  });
  it("a JSON array instead of an object gets VERZOEK_ONGELDIG", async () => {
    await expectRefusedAndNothingStored(post([ADAM]), 400, "VERZOEK_ONGELDIG");
  });
  it("an oversized body gets VERZOEK_TE_GROOT", async () => {
    await expectRefusedAndNothingStored(post({ bsn: ADAM, geinformeerd: false, redenNietGeinformeerd: "x".repeat(100_000) }), 413, "VERZOEK_TE_GROOT");
  });
  it("a body that is not JSON gets MEDIATYPE_NIET_ONDERSTEUND", async () => {
    await expectRefusedAndNothingStored(post("bsn=999900018", { "content-type": "application/x-www-form-urlencoded" }), 415, "MEDIATYPE_NIET_ONDERSTEUND");
  });
  it("a date in the wrong format gets VERZOEK_ONGELDIG", async () => {
    await expectRefusedAndNothingStored(post({ bsn: ADAM, geinformeerd: true, einddatum: "28-11-2027" }), 400, "VERZOEK_ONGELDIG");
  });
});

describe("input that breaks a rule", () => {
  it("an invalid BSN gets BSN_ONGELDIG", async () => {
    await expectRefusedAndNothingStored(post({ bsn: "123456789", geinformeerd: true }), 422, "BSN_ONGELDIG");
    await expectRefusedAndNothingStored(post({ bsn: "12345", geinformeerd: true }), 422, "BSN_ONGELDIG");
    await expectRefusedAndNothingStored(post({ bsn: "000000000", geinformeerd: true }), 422, "BSN_ONGELDIG");
  });
  it("an end date in the past gets EINDDATUM_IN_VERLEDEN", async () => {
    await expectRefusedAndNothingStored(post({ bsn: ADAM, geinformeerd: true, einddatum: addDays(r.today, -1) }), 422, "EINDDATUM_IN_VERLEDEN");
  });
  it("an end date more than 2 years ahead gets EINDDATUM_TE_VER", async () => {
    await expectRefusedAndNothingStored(post({ bsn: ADAM, geinformeerd: true, einddatum: addDays(addYears(r.today, 2), 1) }), 422, "EINDDATUM_TE_VER");
  });
  it("not informed without a reason gets REDEN_NIET_GEINFORMEERD_ONTBREEKT", async () => {
    await expectRefusedAndNothingStored(post({ bsn: ADAM, geinformeerd: false }), 422, "REDEN_NIET_GEINFORMEERD_ONTBREEKT");
  });
  it("a reason for not informing in free text is refused: the index stores no content, only a reason from the closed list", async () => {
    for (const reden of ["Vader drinkt, moeder weet van niets", "   ", "onveilig"]) {
      const body = await expectRefusedAndNothingStored(post({ bsn: ADAM, geinformeerd: false, redenNietGeinformeerd: reden }), 400, "VERZOEK_ONGELDIG");
      expect(body.invalidParams).toEqual([expect.objectContaining({ name: "redenNietGeinformeerd" })]);
      expect(body.invalidParams[0].reason).toContain("andere-reden-in-eigen-dossier");
    }
  });
  it("a youth whose date of birth the BRP does not know gets GEBOORTEDATUM_ONBEKEND, not a 500", async () => {
    r.brp.store.change(LIAM, { geboortedatum: "onbekend" });
    const body = await expectRefusedAndNothingStored(
      () => r.call("GM0363", IB, "POST", "/api/v1/signalen", { bsn: LIAM, geinformeerd: true }),
      422,
      "GEBOORTEDATUM_ONBEKEND",
    );
    expect(body.detail).toMatch(/geboortedatum/);
    expect(body.detail).not.toContain(LIAM);
  });
  it("the card of a youth whose date of birth the BRP no longer knows gets GEBOORTEDATUM_ONBEKEND, not a 500", async () => {
    const reg = await r.call("GM0363", LEERPLICHT, "POST", "/api/v1/signalen", { bsn: ADAM, geinformeerd: true });
    expect(reg.status).toBe(201);
    r.brp.store.change(ADAM, { geboortedatum: "onbekend" });
    try {
      for (const path of ["clientkaart", "inzage?voor=ouders"]) {
        const res = await r.call("GM0363", LEERPLICHT, "GET", `/api/v1/signalen/${reg.body.signaal.id}/${path}`);
        expect(res.status, path).toBe(422);
        expect(res.body.code).toBe("GEBOORTEDATUM_ONBEKEND");
      }
    } finally {
      r.brp.store.change(ADAM, { geboortedatum: reg.body.signaal.jeugdige.geboortedatum });
      expect((await r.call("GM0363", LEERPLICHT, "POST", `/api/v1/signalen/${reg.body.signaal.id}/intrekken`)).status).toBe(204);
    }
  });
  it("exactly 2 years ahead is accepted (the boundary holds)", async () => {
    const res = await r.call("GM0363", IB, "POST", "/api/v1/signalen", {
      bsn: ADAM,
      geinformeerd: false,
      redenNietGeinformeerd: "onveilig-voor-jeugdige",
      einddatum: addYears(r.today, 2),
    });
    expect(res.status).toBe(201);
    expect(res.body.signaal.einddatum).toBe(addYears(r.today, 2));
    expect(res.body.signaal.geinformeerd).toBe(false);
    expect(res.body.signaal.redenNietGeinformeerd).toBe("onveilig-voor-jeugdige");
    const withdrawn = await r.call("GM0363", IB, "POST", `/api/v1/signalen/${res.body.signaal.id}/intrekken`);
    expect(withdrawn.status).toBe(204);
  });
});

describe("tokens that do not identify a professional", () => {
  const withToken = (token: string | undefined) => () =>
    r.call("GM0363", undefined, "POST", "/api/v1/signalen", { bsn: ADAM, geinformeerd: true }, token === undefined ? {} : { authorization: `Bearer ${token}` });

  it("no token gets TOKEN_ONTBREEKT", async () => {
    await expectRefusedAndNothingStored(withToken(undefined), 401, "TOKEN_ONTBREEKT");
  });
  it("an expired token gets TOKEN_VERLOPEN", async () => {
    const token = await r.issuer.sign(IB, { expiresInSec: -3600 });
    await expectRefusedAndNothingStored(withToken(token), 401, "TOKEN_VERLOPEN");
  });
  it("a token signed by another key (forged) gets TOKEN_ONGELDIG", async () => {
    const { privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519" });
    const forged = await new SignJWT({ email: IB })
      .setProtectedHeader({ alg: "EdDSA", kid: r.issuer.jwks.keys[0]!.kid })
      .setSubject(IB)
      .setIssuer(r.issuer.issuer)
      .setAudience(r.issuer.audience)
      .setIssuedAt()
      .setExpirationTime("1h")
      .sign(privateKey);
    await expectRefusedAndNothingStored(withToken(forged), 401, "TOKEN_ONGELDIG");
  });
  it("a token for another audience gets TOKEN_ONGELDIG", async () => {
    await expectRefusedAndNothingStored(withToken(await r.issuer.sign(IB, { audience: "een-andere-dienst" })), 401, "TOKEN_ONGELDIG");
  });
  it("a token from another issuer gets TOKEN_ONGELDIG", async () => {
    await expectRefusedAndNothingStored(withToken(await r.issuer.sign(IB, { issuer: "https://evil.example" })), 401, "TOKEN_ONGELDIG");
  });
  it('an unsigned token (alg "none") gets TOKEN_ONGELDIG', async () => {
    const now = Math.floor(Date.now() / 1000);
    const header = base64url.encode(JSON.stringify({ alg: "none", typ: "JWT" }));
    const payload = base64url.encode(JSON.stringify({ sub: IB, email: IB, iss: r.issuer.issuer, aud: r.issuer.audience, iat: now, exp: now + 3600 }));
    await expectRefusedAndNothingStored(withToken(`${header}.${payload}.`), 401, "TOKEN_ONGELDIG");
  });
  it("a token with the payload altered gets TOKEN_ONGELDIG", async () => {
    const good = await r.issuer.sign(DOCENT);
    const [h, , s] = good.split(".");
    const now = Math.floor(Date.now() / 1000);
    const p = base64url.encode(JSON.stringify({ sub: IB, email: IB, iss: r.issuer.issuer, aud: r.issuer.audience, iat: now, exp: now + 3600 }));
    await expectRefusedAndNothingStored(withToken(`${h}.${p}.${s}`), 401, "TOKEN_ONGELDIG");
  });
});

describe("the API's own surface", () => {
  it("serves an OpenAPI 3 document generated from the validating schemas, without auth", async () => {
    const res = await r.call("GM0363", undefined, "GET", "/api/v1/openapi.json");
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    // Paths relative to the servers (https://…/api/v1, docs/adr/0008), served under /api/v1.
    expect(res.body.servers[0].url).toMatch(/\/api\/v1$/);
    expect(documentedOperations(res.body)).toEqual(
      expect.arrayContaining(["POST /api/v1/signalen", "GET /api/v1/matches", "GET /api/v1/signalen/{id}/clientkaart", "POST /api/v1/signalen/{id}/verlengen"]),
    );
    expect(res.body.components.schemas.SignaalAanvraag.properties).toHaveProperty("bsn");
    // No BSN in any URL: no path parameter or query parameter is a BSN.
    expect(JSON.stringify(res.body.paths)).not.toMatch(/"name":"bsn"/);
  });
  it("an unknown path gets NIET_GEVONDEN as Problem Details", async () => {
    const res = await r.call("GM0363", IB, "GET", "/api/v1/bestaat-niet");
    expect(res.status).toBe(404);
    expect(res.body.code).toBe("NIET_GEVONDEN");
  });
  it("a signal id that is not a UUID gets VERZOEK_ONGELDIG, not a 500", async () => {
    const res = await r.call("GM0363", IB, "GET", "/api/v1/signalen/999900018/clientkaart");
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("VERZOEK_ONGELDIG");
  });
  it("health and readiness answer", async () => {
    expect((await r.call("GM0363", undefined, "GET", "/health")).status).toBe(200);
    const ready = await r.call("GM0363", undefined, "GET", "/ready");
    expect(ready.status).toBe(200);
    expect(ready.body.gemeente).toBe("GM0363");
  });
});
