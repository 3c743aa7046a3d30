/**
 * The scanner of test/support/leak-scan.ts that the national chain's scans rely on (test/national/chain.test.ts):
 * it finds the fixture's personal data in the clear and behind every encoding the chain uses, and finds nothing
 * in what only looks like text by chance (pseudonyms, ciphertext, certificates).
 */
import { generateKeyPairSync, randomBytes, X509Certificate } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, createServer } from "node:tls";
import { loadOrCreateDevCa } from "@vi/fsc";
import { CompactSign, importJWK } from "jose";
import { describe, expect, it } from "vitest";
import { demoPersons } from "@vi/demo";
import { findLeaks, fixtureNeedles, sessionPeer } from "./support/leak-scan";
import { TODAY } from "./support/constants";

const persons = demoPersons(TODAY);
const needles = fixtureNeedles(TODAY, (bsn) => persons.find((p) => p.bsn === bsn));
const mila = persons.find((p) => p.voornamen === "Mila")!;
const b64 = (s: string) => Buffer.from(s).toString("base64url");

describe("the fixture's needles", () => {
  it("cover every person: BSN, names and birth date", () => {
    for (const p of persons) {
      expect(findLeaks("x", p.bsn, needles)).toEqual([`x: BSN of ${p.voornamen} ${p.geslachtsnaam}`]);
      expect(findLeaks("x", `Over ${p.voornamen}.`, needles).length).toBeGreaterThan(0);
      expect(findLeaks("x", { geboren: p.geboortedatum }, needles).length).toBeGreaterThan(0);
    }
    expect(findLeaks("x", "999900183", needles)).toEqual(["x: onbekend BSN"]);
  });

  it("leave out a surname alone that the demo register carries, and still find the full name", () => {
    expect(findLeaks("x", "Sanne Visser", needles)).toEqual([]);
    expect(findLeaks("x", "Jeugdteam Haarlem", needles)).toEqual([]);
    expect(findLeaks("x", "Daan  Visser", needles)).toEqual(["x: name of Daan Visser (Daan)", "x: name of Daan Visser (Daan Visser)"]);
    expect(findLeaks("x", "familie van haarlem", needles)).toHaveLength(3); // Adam's, Liam's and Sara's surname
  });
});

describe("findLeaks", () => {
  it("finds a BSN or name behind base64url, a compact JWS, JSON in a string and PEM", async () => {
    expect(findLeaks("x", { id: b64(mila.bsn) }, needles)).toEqual(["x: BSN of Mila Jansen"]);
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const key = await importJWK(privateKey.export({ format: "jwk" }), "ES256");
    const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify({ sub: mila.bsn }))).setProtectedHeader({ alg: "ES256" }).sign(key);
    expect(findLeaks("x", [`Handtekening: ${jws}`], needles)).toEqual(["x: BSN of Mila Jansen"]);
    expect(findLeaks("x", JSON.stringify({ inhoud: JSON.stringify({ naam: "Yusuf El Amrani" }) }), needles)).toContain(
      "x: name of Yusuf El Amrani (Yusuf El Amrani)",
    );
    const pem = `-----BEGIN DATA-----\n${Buffer.from(`postcode ${mila.adres.postcode}`).toString("base64")}\n-----END DATA-----\n`;
    expect(findLeaks("x", pem, needles)).toContain("x: postcode of Mila Jansen");
    expect(findLeaks("x", `organisatie ${b64("Noor Visser")}`, needles)).toEqual(["x: name of Noor Visser (Noor)", "x: name of Noor Visser (Noor Visser)"]);
  });

  it("finds nothing in random pseudonyms, ciphertext and certificates, nor in words that merely contain a name", () => {
    const random = Array.from({ length: 20_000 }, (_, i) => randomBytes(8 + (i % 64)).toString(i % 2 ? "base64" : "base64url"));
    expect(findLeaks("x", { random, dotted: random.slice(0, 500).join(".") }, needles)).toEqual([]);
    const { publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    expect(findLeaks("x", publicKey.export({ type: "spki", format: "pem" }), needles)).toEqual([]);
    expect(findLeaks("x", "Amsterdam, evaluaties, semantiek, timing, Noord, Bakkerij", needles)).toEqual([]);
  });
});

describe("sessionPeer", () => {
  it("finds in a resumed TLS session the peer certificate that Node no longer shows on the client side", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vi-devca-"));
    const ca = loadOrCreateDevCa(dir);
    const server = ca.issue({ name: "landelijke-index", oin: "00000001000000000200" });
    const client = ca.issue({ name: "brug-amsterdam", oin: "00000001000000000210" });
    const srv = createServer({ ca: ca.cert, cert: server.cert, key: server.key, requestCert: true, rejectUnauthorized: true }, (s) => s.end("ok"));
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
    const port = (srv.address() as AddressInfo).port;
    const dial = (session?: Buffer) =>
      new Promise<{ reused: boolean; peer: string | undefined; session: Buffer | undefined; fromSession: Buffer | undefined }>((resolve, reject) => {
        const s = connect({ host: "127.0.0.1", port, servername: "localhost", ca: ca.cert, cert: client.cert, key: client.key, session });
        let ticket: Buffer | undefined;
        s.on("session", (t: Buffer) => {
          ticket = t;
        });
        s.on("error", reject);
        s.once("secureConnect", () => {
          const out = { reused: s.isSessionReused(), peer: s.getPeerX509Certificate()?.subject, fromSession: sessionPeer(s.getSession()) };
          s.resume();
          s.on("end", () => resolve({ ...out, session: ticket }));
        });
      });
    try {
      const first = await dial();
      expect(first.reused).toBe(false);
      expect(first.peer).toContain("CN=landelijke-index");
      expect(first.session).toBeDefined();
      const again = await dial(first.session);
      expect(again.reused).toBe(true);
      // What the recorder works around: no peer certificate on the client side of a resumed session.
      expect(again.peer).toBeUndefined();
      expect(new X509Certificate(again.fromSession!).subject).toContain("CN=landelijke-index");
      expect(sessionPeer(Buffer.from("not a session"))).toBeUndefined();
    } finally {
      srv.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
