/**
 * A bridge's HTTPS endpoint for the national index refuses forged, replayed, expired, wrong-certificate and
 * wrong-audience requests with Problem Details and counts each on its admin port (docs/national-chain.md).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Agent, request } from "undici";
import { SIGNATURE_HEADER, signMessage, type TlsMaterial } from "@vi/fsc";
import { OIN, startNationalChain, type NationalChain } from "../support/national";

let c: NationalChain;
let tlsNational: TlsMaterial;
beforeAll(async () => {
  c = await startNationalChain();
  tlsNational = c.ca.tls("landelijke-index", OIN.landelijk);
}, 180_000);
afterAll(async () => c?.close(), 60_000);

const PATH = "/api/v1/landelijke-berichten";
const BODY = JSON.stringify({ berichten: [{ soort: "verwijderd", matchIds: ["5b6c2f0e-8f1d-4c39-9d43-0c1b7a2e9f10"] }] });

async function post(tls: TlsMaterial, header: string | undefined, body = BODY) {
  const agent = new Agent({ connect: { ca: tls.ca, cert: tls.identity.cert, key: tls.identity.key } });
  try {
    const res = await request(`${c.bridges.amsterdam.nationalUrl}${PATH}`, {
      method: "POST",
      dispatcher: agent,
      headers: { "content-type": "application/json", ...(header ? { [SIGNATURE_HEADER]: header } : {}) },
      body,
    });
    return { status: res.statusCode, type: res.headers["content-type"], body: (await res.body.json()) as { code?: string } };
  } finally {
    await agent.close();
  }
}
const sign = (tls: TlsMaterial, over: Partial<Parameters<typeof signMessage>[1]> = {}) =>
  signMessage(tls.identity, { aud: OIN.amsterdam, method: "POST", path: PATH, body: BODY, ...over }).then((s) => s.header);
async function refused(reason: string): Promise<number> {
  const text = await (await fetch(`${c.bridges.amsterdam.adminUrl}/metrics`)).text();
  return Number(new RegExp(`vi_fsc_refused_total\\{service="brug",reason="${reason}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
}

describe("the bridge's endpoint for the national index", () => {
  it("takes a request signed by the national index", async () => {
    expect(await post(tlsNational, await sign(tlsNational))).toMatchObject({ status: 200, body: { verwijderd: 1 } });
  });
  it("refuses a forged request (another body than signed)", async () => {
    const before = await refused("vervalst");
    const res = await post(tlsNational, await sign(tlsNational), BODY.replace("5b6c", "6b6c"));
    expect(res).toMatchObject({ status: 401, type: "application/problem+json", body: { code: "HANDTEKENING_ONGELDIG" } });
    expect(await refused("vervalst")).toBe(before + 1);
  });
  it("refuses a replayed request", async () => {
    const before = await refused("herhaald");
    const header = await sign(tlsNational);
    expect((await post(tlsNational, header)).status).toBe(200);
    expect(await post(tlsNational, header)).toMatchObject({ status: 401, body: { code: "VERZOEK_HERHAALD" } });
    expect(await refused("herhaald")).toBe(before + 1);
  });
  it("refuses an expired request", async () => {
    const before = await refused("verlopen");
    expect(await post(tlsNational, await sign(tlsNational, { now: new Date(Date.now() - 600_000) }))).toMatchObject({
      status: 401,
      body: { code: "HANDTEKENING_VERLOPEN" },
    });
    expect(await refused("verlopen")).toBe(before + 1);
  });
  it("refuses a request signed with another certificate than the TLS one", async () => {
    const before = await refused("verkeerd-certificaat");
    const other = c.ca.tls("brug-zuid-kennemerland", OIN["zuid-kennemerland"]);
    expect(await post(tlsNational, await sign(other))).toMatchObject({ status: 401, body: { code: "CERTIFICAAT_ONGELDIG" } });
    expect(await refused("verkeerd-certificaat")).toBe(before + 1);
  });
  it("refuses a request for another audience", async () => {
    const before = await refused("verkeerde-audience");
    expect(await post(tlsNational, await sign(tlsNational, { aud: OIN["zuid-kennemerland"] }))).toMatchObject({
      status: 401,
      body: { code: "VERKEERDE_ONTVANGER" },
    });
    expect(await refused("verkeerde-audience")).toBe(before + 1);
  });
  it("refuses another organisation than the national index", async () => {
    const other = c.ca.tls("brug-zuid-kennemerland", OIN["zuid-kennemerland"]);
    expect(await post(other, await sign(other))).toMatchObject({ status: 403, body: { code: "ORGANISATIE_NIET_TOEGESTAAN" } });
  });
});
