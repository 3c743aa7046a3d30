/**
 * The reference national index on its own (docs/national-chain.md): bridges stand in as signed HTTPS clients and
 * as HTTPS receivers. It matches across regions only, delivers each match once to the bridges involved, removes
 * every trace of a withdrawn signal and tells the bridges, and refuses forged, replayed, expired,
 * wrong-certificate and wrong-audience requests with Problem Details, counting each.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Agent, request } from "undici";
import { Hono } from "hono";
import { FscMetrics, fscClient, fscGuard, memoryNonceGuard, SIGNATURE_HEADER, signMessage, startFscServer, type TlsMaterial } from "@vi/fsc";
import { stopHttpServer } from "@vi/service";
import { eventually } from "../support/federation";
import { OIN, startTestNationalIndex, testCa, type TestCa, type TestNationalIndex } from "../support/national";

const p = (c: string) => c.repeat(43).slice(0, 43);
const JWE = "eyJhbGciOiJFQ0RILUVTK0EyNTZLVyJ9.test.contact.details";

describe("the national index", () => {
  let ca: TestCa;
  let nat: TestNationalIndex;
  const received: Record<string, Array<Record<string, unknown>>> = { amsterdam: [], "zuid-kennemerland": [] };
  const servers: Array<{ close(): Promise<void> }> = [];
  let tlsA: TlsMaterial;
  let tlsZ: TlsMaterial;

  async function bridgeReceiver(regio: "amsterdam" | "zuid-kennemerland", tls: TlsMaterial): Promise<string> {
    const app = new Hono();
    app.use("*", fscGuard({ ...tls, nonces: memoryNonceGuard(), metrics: new FscMetrics() }) as never);
    app.post("/api/v1/landelijke-berichten", async (c) => {
      const body = (await c.req.json()) as { berichten: Array<Record<string, unknown>> };
      received[regio]!.push(...body.berichten);
      return c.json({ ontvangen: body.berichten.length });
    });
    const s = await startFscServer({ fetch: app.fetch as never, port: 0, hostname: "127.0.0.1", tls });
    servers.push({ close: () => stopHttpServer(s.server as never) });
    return `https://localhost:${s.port}`;
  }

  const client = (tls: TlsMaterial) =>
    fscClient({ baseUrl: nat.index.url, peerOin: OIN.landelijk, tls, nonces: memoryNonceGuard(), metrics: new FscMetrics() });

  beforeAll(async () => {
    ca = testCa();
    tlsA = ca.tls("brug-amsterdam", OIN.amsterdam);
    tlsZ = ca.tls("brug-zuid-kennemerland", OIN["zuid-kennemerland"]);
    const urlA = await bridgeReceiver("amsterdam", tlsA);
    const urlZ = await bridgeReceiver("zuid-kennemerland", tlsZ);
    nat = await startTestNationalIndex(ca, [
      { regio: "amsterdam", oin: OIN.amsterdam, url: urlA },
      { regio: "zuid-kennemerland", oin: OIN["zuid-kennemerland"], url: urlZ },
    ]);
  });
  afterAll(async () => {
    await nat?.close();
    for (const s of servers) await s.close();
    ca?.close();
  });

  const record = (over: Record<string, unknown>) => ({
    signaalId: randomUUID(),
    status: "actief",
    versie: 1,
    jeugdige: p("j"),
    ouders: [],
    adres: null,
    sleutelversie: 1,
    organisatie: "Org",
    domein: "jeugdhulp",
    contact: JWE,
    ...over,
  });

  it("matches a shared parent across regions once, tells both bridges once, and never within a region", async () => {
    const a = client(tlsA);
    const z = client(tlsZ);
    const yusuf = record({ jeugdige: p("Y"), ouders: [p("F")], adres: p("D") });
    const sibling = record({ jeugdige: p("S"), ouders: [p("F")], adres: p("D") });
    expect((await a.call("POST", "/api/v1/signalen", { signalen: [yusuf, sibling] })).body).toEqual({ verwerkt: 2, matches: 0 });
    const mila = record({ jeugdige: p("M"), ouders: [p("F")], adres: p("H") });
    const res = await z.call("POST", "/api/v1/signalen", { signalen: [mila] });
    expect(res.body).toEqual({ verwerkt: 1, matches: 2 });
    // The same change again: nothing new.
    expect((await z.call("POST", "/api/v1/signalen", { signalen: [mila] })).body).toEqual({ verwerkt: 0, matches: 0 });
    await eventually(async () => received.amsterdam!.length === 2 && received["zuid-kennemerland"]!.length === 2, "deliveries");
    await nat.index.deliver();
    expect(received.amsterdam!.map((b) => b.matchSoort)).toEqual(["gezin", "gezin"]);
    expect(received["zuid-kennemerland"]!.every((b) => (b.eigen as { signaalId: string }).signaalId === mila.signaalId)).toBe(true);

    // Withdrawn: its record and matches go, both bridges are told, nothing of it stays.
    received.amsterdam!.length = 0;
    received["zuid-kennemerland"]!.length = 0;
    await z.call("POST", "/api/v1/signalen", { signalen: [{ signaalId: mila.signaalId, status: "verwijderd", versie: 2 }] });
    await eventually(async () => received.amsterdam!.length === 1 && received["zuid-kennemerland"]!.length === 1, "removal deliveries");
    expect(received.amsterdam![0]).toMatchObject({ soort: "verwijderd" });
    expect((received.amsterdam![0]!.matchIds as string[]).length).toBe(2);
    const t = nat.index.ctx.t;
    expect(await nat.database.db.select().from(t.matches)).toEqual([]);
    expect((await nat.database.db.select().from(t.records)).map((r) => r.signaalId).sort()).toEqual([yusuf.signaalId, sibling.signaalId].sort());
    // A late, older change of the withdrawn signal does not bring it back.
    expect((await z.call("POST", "/api/v1/signalen", { signalen: [mila] })).body).toEqual({ verwerkt: 0, matches: 0 });
    await a.close();
    await z.call("POST", "/api/v1/signalen", {
      signalen: [
        { signaalId: yusuf.signaalId, status: "verwijderd", versie: 2 },
        { signaalId: sibling.signaalId, status: "verwijderd", versie: 2 },
      ],
    });
    await z.close();
  });

  it("an archived signal matches once, and only the new professional is told", async () => {
    received.amsterdam!.length = 0;
    received["zuid-kennemerland"]!.length = 0;
    const a = client(tlsA);
    const z = client(tlsZ);
    await a.call("POST", "/api/v1/signalen", { signalen: [record({ jeugdige: p("A"), status: "gearchiveerd" })] });
    expect((await z.call("POST", "/api/v1/signalen", { signalen: [record({ jeugdige: p("A") })] })).body).toMatchObject({ matches: 1 });
    expect((await z.call("POST", "/api/v1/signalen", { signalen: [record({ jeugdige: p("A") })] })).body).toMatchObject({ matches: 0 });
    await eventually(async () => received["zuid-kennemerland"]!.length === 1, "archive match delivery");
    await nat.index.deliver();
    expect(received["zuid-kennemerland"]![0]).toMatchObject({ matchSoort: "client", viaArchief: true, ander: { eerderBetrokken: true } });
    expect(received.amsterdam).toEqual([]);
    await a.close();
    await z.close();
  });

  it("gives the same verwijsindexservicenummer for the same facts, and another for other facts", async () => {
    const a = client(tlsA);
    const z = client(tlsZ);
    const one = (await a.call("POST", "/api/v1/verwijsindexservicenummers", { feiten: p("V") })).body as { vsn: string };
    const again = (await z.call("POST", "/api/v1/verwijsindexservicenummers", { feiten: p("V") })).body as { vsn: string };
    const other = (await a.call("POST", "/api/v1/verwijsindexservicenummers", { feiten: p("W") })).body as { vsn: string };
    expect(one.vsn).toMatch(/^\d{9}$/);
    expect(again.vsn).toBe(one.vsn);
    expect(other.vsn).not.toBe(one.vsn);
    await a.close();
    await z.close();
  });

  describe("refuses, with Problem Details, and counts", () => {
    async function raw(tls: TlsMaterial, headers: Record<string, string>, body: string, path = "/api/v1/bruggen", method = "GET") {
      const agent = new Agent({ connect: { ca: tls.ca, cert: tls.identity.cert, key: tls.identity.key } });
      try {
        const res = await request(`${nat.index.url}${path}`, { method: method as "GET", dispatcher: agent, headers, ...(method === "GET" ? {} : { body }) });
        return { status: res.statusCode, type: res.headers["content-type"], body: (await res.body.json()) as { code: string } };
      } finally {
        await agent.close();
      }
    }
    const sign = (tls: TlsMaterial, over: Partial<Parameters<typeof signMessage>[1]> = {}) =>
      signMessage(tls.identity, { aud: OIN.landelijk, method: "GET", path: "/api/v1/bruggen", body: "", ...over });
    const refused = async (reason: string) => {
      const res = await fetch(`${nat.index.adminUrl}/metrics`);
      const m = new RegExp(`vi_fsc_refused_total\\{service="landelijke-index",reason="${reason}"\\} (\\d+)`).exec(await res.text());
      return Number(m?.[1] ?? 0);
    };

    it("a request signed correctly is answered, and the answer is signed", async () => {
      const { header } = await sign(tlsA);
      const agent = new Agent({ connect: { ca: tlsA.ca, cert: tlsA.identity.cert, key: tlsA.identity.key } });
      const res = await request(`${nat.index.url}/api/v1/bruggen`, { dispatcher: agent, headers: { [SIGNATURE_HEADER]: header } });
      expect(res.statusCode).toBe(200);
      expect(res.headers[SIGNATURE_HEADER.toLowerCase()]).toBeTruthy();
      await res.body.text();
      await agent.close();
    });

    it("forged: a body other than the one signed", async () => {
      const before = await refused("vervalst");
      const { header } = await sign(tlsA, { method: "POST", path: "/api/v1/verwijsindexservicenummers", body: JSON.stringify({ feiten: p("a") }) });
      const res = await raw(
        tlsA,
        { [SIGNATURE_HEADER]: header, "content-type": "application/json" },
        JSON.stringify({ feiten: p("b") }),
        "/api/v1/verwijsindexservicenummers",
        "POST",
      );
      expect(res).toMatchObject({ status: 401, type: "application/problem+json", body: { code: "HANDTEKENING_ONGELDIG" } });
      expect(await refused("vervalst")).toBe(before + 1);
    });

    it("replayed: the same signed request twice", async () => {
      const before = await refused("herhaald");
      const { header } = await sign(tlsA);
      expect((await raw(tlsA, { [SIGNATURE_HEADER]: header }, "")).status).toBe(200);
      expect(await raw(tlsA, { [SIGNATURE_HEADER]: header }, "")).toMatchObject({ status: 401, body: { code: "VERZOEK_HERHAALD" } });
      expect(await refused("herhaald")).toBe(before + 1);
    });

    it("expired: signed ten minutes ago", async () => {
      const before = await refused("verlopen");
      const { header } = await sign(tlsA, { now: new Date(Date.now() - 10 * 60_000) });
      expect(await raw(tlsA, { [SIGNATURE_HEADER]: header }, "")).toMatchObject({ status: 401, body: { code: "HANDTEKENING_VERLOPEN" } });
      expect(await refused("verlopen")).toBe(before + 1);
    });

    it("wrong certificate: one of another CA, or a signature by another certificate than the TLS one", async () => {
      const before = await refused("verkeerd-certificaat");
      const other = testCa();
      try {
        const foreign = other.tls("brug-amsterdam", OIN.amsterdam);
        const { header } = await sign(foreign);
        // TLS with the foreign certificate (our CA trusts the server), signed with it too.
        expect(await raw({ ...foreign, ca: tlsA.ca }, { [SIGNATURE_HEADER]: header }, "")).toMatchObject({
          status: 401,
          body: { code: "CERTIFICAAT_ONGELDIG" },
        });
        // TLS as Amsterdam's bridge, signed by Zuid-Kennemerland's.
        const { header: z } = await sign(tlsZ);
        expect(await raw(tlsA, { [SIGNATURE_HEADER]: z }, "")).toMatchObject({ status: 401, body: { code: "CERTIFICAAT_ONGELDIG" } });
      } finally {
        other.close();
      }
      expect(await refused("verkeerd-certificaat")).toBe(before + 2);
    });

    it("wrong audience: signed for another party", async () => {
      const before = await refused("verkeerde-audience");
      const { header } = await sign(tlsA, { aud: OIN["zuid-kennemerland"] });
      expect(await raw(tlsA, { [SIGNATURE_HEADER]: header }, "")).toMatchObject({ status: 401, body: { code: "VERKEERDE_ONTVANGER" } });
      expect(await refused("verkeerde-audience")).toBe(before + 1);
    });

    it("no signature at all, and an organisation that is no bridge", async () => {
      expect(await raw(tlsA, {}, "")).toMatchObject({ status: 401, body: { code: "HANDTEKENING_ONTBREEKT" } });
      const stranger = ca.tls("vreemde", "00000001000000000999");
      const { header } = await sign(stranger);
      expect(await raw(stranger, { [SIGNATURE_HEADER]: header }, "")).toMatchObject({ status: 403, body: { code: "ORGANISATIE_NIET_TOEGESTAAN" } });
    });
  });
});
