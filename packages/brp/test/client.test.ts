import { afterEach, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { MockAgent } from "undici";
import { BRP_FIELDS, BrpError, createBrpClient, toPersoon } from "@vi/brp";

const ORIGIN = "http://brp.test";
const BASE = `${ORIGIN}/haalcentraal/api/brp`;
const PATH = "/haalcentraal/api/brp/personen";

/** A Haal Centraal v2 person as the real API delivers it. */
function hcPersoon(bsn: string, extra: Record<string, unknown> = {}) {
  return {
    burgerservicenummer: bsn,
    naam: { voornamen: "Adam", voorvoegsel: "van", geslachtsnaam: "Haarlem", volledigeNaam: "Adam van Haarlem", voorletters: "A." },
    geboorte: { datum: { type: "Datum", datum: "2015-12-15", langFormaat: "15 december 2015" } },
    geslacht: { code: "M", omschrijving: "man" },
    gemeenteVanInschrijving: { code: "0363", omschrijving: "Amsterdam" },
    verblijfplaats: {
      type: "Adres",
      verblijfadres: { officieleStraatnaam: "Haarlemmerweg", korteStraatnaam: "Haarlemmerweg", huisnummer: 1, postcode: "1051KA", woonplaats: "Amsterdam" },
      adresseerbaarObjectIdentificatie: "0363010099000001",
      functieAdres: { code: "W", omschrijving: "woonadres" },
    },
    ouders: [
      { ouderAanduiding: "1", burgerservicenummer: "999900031" },
      { ouderAanduiding: "2", burgerservicenummer: "999900043" },
    ],
    ...extra,
  };
}

interface Seen {
  path: string;
  headers: Record<string, string>;
  body: { type: string; burgerservicenummer: string[]; fields: string[] };
}

/** MockAgent answering like the API: every asked BSN ending in an even digit exists. */
function mockBrp(handler?: (body: Seen["body"]) => { status: number; data: unknown; contentType?: string }) {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const seen: Seen[] = [];
  agent
    .get(ORIGIN)
    .intercept({ path: PATH, method: "POST" })
    .reply((opts) => {
      const body = JSON.parse(String(opts.body)) as Seen["body"];
      seen.push({ path: opts.path, headers: opts.headers as Record<string, string>, body });
      const r = handler?.(body) ?? {
        status: 200,
        data: { type: "RaadpleegMetBurgerservicenummer", personen: body.burgerservicenummer.filter((b) => Number(b[8]) % 2 === 0).map((b) => hcPersoon(b)) },
      };
      return {
        statusCode: r.status,
        data: JSON.stringify(r.data),
        responseOptions: { headers: { "content-type": r.contentType ?? "application/json; charset=utf-8" } },
      };
    })
    .persist();
  return { agent, seen };
}

const bsns = (n: number) => Array.from({ length: n }, (_, i) => `9${String(i).padStart(8, "0")}`);

describe("createBrpClient", () => {
  it("POSTs RaadpleegMetBurgerservicenummer with the needed fields and the API key, never a BSN in the URL", async () => {
    const { agent, seen } = mockBrp();
    const client = createBrpClient({ baseUrl: `${BASE}/`, apiKey: "geheim", dispatcher: agent });
    const result = await client.raadpleeg(["999900018"]);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.path).toBe(PATH);
    expect(seen[0]!.path).not.toMatch(/\d{9}/);
    expect(seen[0]!.headers["x-api-key"]).toBe("geheim");
    expect(seen[0]!.body).toEqual({ type: "RaadpleegMetBurgerservicenummer", burgerservicenummer: ["999900018"], fields: [...BRP_FIELDS] });
    expect(seen[0]!.body.fields).not.toContain("geheimhoudingPersoonsgegevens");
    expect(result.get("999900018")).toEqual({
      bsn: "999900018",
      naam: { voornamen: "Adam", voorvoegsel: "van", geslachtsnaam: "Haarlem", volledigeNaam: "Adam van Haarlem" },
      geboortedatum: "2015-12-15",
      geslacht: "M",
      overlijdensdatum: null,
      geheimhouding: false,
      gemeenteCode: "GM0363",
      adres: { straat: "Haarlemmerweg", huisnummer: 1, postcode: "1051KA", woonplaats: "Amsterdam", adresseerbaarObjectId: "0363010099000001" },
      ouders: ["999900031", "999900043"],
    });
    await client.close();
  });

  it("sends no API key header when none is configured", async () => {
    const { agent, seen } = mockBrp();
    const client = createBrpClient({ baseUrl: BASE, dispatcher: agent });
    await client.raadpleeg(["999900018"]);
    expect(seen[0]!.headers["x-api-key"]).toBeUndefined();
  });

  it("splits more than 20 BSNs into batches of at most 20 and merges the answers; unknown BSNs are absent", async () => {
    const { agent, seen } = mockBrp();
    const client = createBrpClient({ baseUrl: BASE, dispatcher: agent });
    const asked = bsns(57);
    const result = await client.raadpleeg([...asked, ...asked.slice(0, 5)]);
    expect(seen.map((s) => s.body.burgerservicenummer.length).sort((a, b) => a - b)).toEqual([17, 20, 20]);
    expect(seen.flatMap((s) => s.body.burgerservicenummer).sort()).toEqual(asked);
    expect([...result.keys()].sort()).toEqual(asked.filter((b) => Number(b[8]) % 2 === 0));
  });

  it("asks nothing for an empty list and refuses malformed BSNs before sending", async () => {
    const { agent, seen } = mockBrp();
    const client = createBrpClient({ baseUrl: BASE, dispatcher: agent });
    expect((await client.raadpleeg([])).size).toBe(0);
    const err = await client.raadpleeg(["12345"]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BrpError);
    expect((err as BrpError).code).toBe("BRP_FOUT");
    expect((err as BrpError).message).not.toContain("12345");
    expect(seen).toHaveLength(0);
  });

  it("maps a problem+json answer to BrpError BRP_FOUT with status and problem", async () => {
    const problemBody = {
      type: "https://datatracker.ietf.org/doc/html/rfc7231#section-6.5.1",
      title: "Een of meerdere parameters zijn niet correct.",
      status: 400,
      detail: "De foutieve parameter(s) zijn: fields[0].",
      instance: PATH,
      code: "paramsValidation",
      invalidParams: [{ name: "fields[0]", code: "fields", reason: "Parameter bevat een niet bestaande veldnaam." }],
    };
    const { agent } = mockBrp(() => ({ status: 400, data: problemBody, contentType: "application/problem+json" }));
    const client = createBrpClient({ baseUrl: BASE, dispatcher: agent });
    const err = (await client.raadpleeg(["999900018"]).catch((e: unknown) => e)) as BrpError;
    expect(err).toBeInstanceOf(BrpError);
    expect(err.code).toBe("BRP_FOUT");
    expect(err.status).toBe(400);
    expect(err.problem).toMatchObject({ code: "paramsValidation", invalidParams: [{ name: "fields[0]" }] });
    expect(err.message).toContain("Een of meerdere parameters zijn niet correct.");
    expect(err.message).not.toContain("999900018");
  });

  it("treats 503 from the BRP as unreachable", async () => {
    const { agent } = mockBrp(() => ({ status: 503, data: { title: "Service Unavailable", status: 503 }, contentType: "application/problem+json" }));
    const client = createBrpClient({ baseUrl: BASE, dispatcher: agent });
    await expect(client.raadpleeg(["999900018"])).rejects.toMatchObject({ code: "BRP_ONBEREIKBAAR", status: 503 });
  });

  it("refuses an answer that is not the Haal Centraal shape", async () => {
    const { agent } = mockBrp(() => ({ status: 200, data: { personen: [{ bsn: "999900018" }] } }));
    const client = createBrpClient({ baseUrl: BASE, dispatcher: agent });
    const err = (await client.raadpleeg(["999900018"]).catch((e: unknown) => e)) as BrpError;
    expect(err).toBeInstanceOf(BrpError);
    expect(err.code).toBe("BRP_FOUT");
    expect(err.message).not.toContain("999900018");
  });

  it("reports BRP_ONBEREIKBAAR when nothing listens", async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((r) => server.close(() => r()));
    const client = createBrpClient({ baseUrl: `http://127.0.0.1:${port}/haalcentraal/api/brp`, timeoutMs: 2000 });
    await expect(client.raadpleeg(["999900018"])).rejects.toMatchObject({ name: "BrpError", code: "BRP_ONBEREIKBAAR", status: 503 });
    await client.close();
  });

  describe("against a BRP that never answers", () => {
    let server: Server | undefined;
    afterEach(async () => {
      server?.closeAllConnections();
      await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    });

    it("gives up after timeoutMs with BRP_ONBEREIKBAAR", async () => {
      server = createServer(() => {
        /* never answers */
      });
      await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
      const { port } = server.address() as AddressInfo;
      const client = createBrpClient({ baseUrl: `http://127.0.0.1:${port}/haalcentraal/api/brp`, timeoutMs: 300 });
      const t0 = performance.now();
      await expect(client.raadpleeg(["999900018"])).rejects.toMatchObject({ code: "BRP_ONBEREIKBAAR", status: 504 });
      expect(performance.now() - t0).toBeLessThan(3000);
      await client.close();
    });
  });
});

describe("toPersoon", () => {
  it("maps deceased, secret, partial dates, missing address and unknown sex", () => {
    const p = toPersoon(
      hcPersoon("999900171", {
        naam: { voornamen: "Bram", geslachtsnaam: "Peters" },
        geboorte: { datum: { type: "JaarMaandDatum", jaar: 2016, maand: 12, langFormaat: "december 2016" } },
        geslacht: { code: "O", omschrijving: "onbekend" },
        overlijden: { indicatieOverleden: true, datum: { type: "Datum", datum: "2026-02-22", langFormaat: "22 februari 2026" } },
        geheimhoudingPersoonsgegevens: true,
        verblijfplaats: { type: "VerblijfplaatsOnbekend" },
        ouders: undefined,
      }),
    );
    expect(p).toMatchObject({
      naam: { voornamen: "Bram", geslachtsnaam: "Peters", volledigeNaam: "Bram Peters" },
      geboortedatum: "2016-12-01",
      geslacht: "O",
      overlijdensdatum: "2026-02-22",
      geheimhouding: true,
      adres: null,
      ouders: [],
    });
    expect(p.naam.voorvoegsel).toBeUndefined();
  });
});
