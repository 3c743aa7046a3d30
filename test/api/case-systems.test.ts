/**
 * Case systems (FIXTURES.md: ggd-dossier for GGD Amsterdam, buurtschool-lvs for De Buurtschool): OAuth 2 client
 * credentials with private_key_jwt at the development OpenID Connect provider, acting for a named designated
 * professional of their own organisation (header Namens-Professional, docs/adr/0016). Each registration is the
 * professional's and its audit row says it came through the case system; without a named professional, for
 * another organisation's professional or a non-designated one, nothing is registered. Real HTTP, PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { exportJWK, generateKeyPair, type JWK } from "jose";
import { clientCredentialsToken, createTokenVerifier, DEFAULT_RESOURCE, loadOrCreateDevIssuer, startOidcProvider } from "@vi/auth";
import { openDatabase, type Database } from "@vi/db";
import { demoSubject } from "@vi/demo";
import { startFakeBrp } from "@vi/fake-brp";
import { createLogger, parseNodeConfig, type RunningNode, startNode } from "@vi/node";
import { DEMO_REGISTER_FILE } from "@vi/demo";
import { ADAM, DOCENT, IB, JGZ, LIAM, NOOR } from "../support/constants";
import { type CreatedDatabase, createTestDatabase } from "../support/database";

let testDb: CreatedDatabase;
let database: Database;
let brp: Awaited<ReturnType<typeof startFakeBrp>>;
let op: Awaited<ReturnType<typeof startOidcProvider>>;
let node: RunningNode;
const keys = new Map<string, JWK>();

beforeAll(async () => {
  testDb = await createTestDatabase();
  database = await openDatabase({ url: testDb.url, max: 5 });
  brp = await startFakeBrp({ port: 0, host: "127.0.0.1" });
  const dev = await loadOrCreateDevIssuer({ issuer: "http://unused.test", subjectOf: demoSubject });
  const clients = [];
  for (const id of ["ggd-dossier", "buurtschool-lvs", "onbekend-systeem"]) {
    const pair = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
    keys.set(id, { ...(await exportJWK(pair.privateKey)), kid: `${id}-1` });
    clients.push({ client_id: id, jwks: { keys: [{ ...(await exportJWK(pair.publicKey)), kid: `${id}-1` }] }, redirect_uris: [], caseSystem: true });
  }
  op = await startOidcProvider({ port: 0, signingKey: dev.signingJwk, subjectOf: () => undefined, clients });
  node = await startNode({
    config: parseNodeConfig({
      GEMEENTE: "GM0363",
      PORT: "0",
      DATABASE_URL: testDb.url,
      BRP_URL: `${brp.url}/haalcentraal/api/brp`,
      AUTH_ISSUER: op.issuer,
      REGISTER_BESTAND: DEMO_REGISTER_FILE,
      RETENTIE_INTERVAL_MINUTEN: "0",
      BRP_MUTATIES_INTERVAL_MS: "0",
      LOG_LEVEL: "silent",
    }),
    database,
    verifier: createTokenVerifier({ issuer: op.issuer, audience: "verwijsindex", jwksUrl: `${op.issuer}/jwks.json` }),
    log: createLogger("silent", "GM0363"),
  });
}, 60_000);

afterAll(async () => {
  await node?.stop();
  await op?.close();
  await brp?.close();
  await database?.close();
  await testDb?.drop();
});

async function tokenOf(clientId: string): Promise<string> {
  const res = await clientCredentialsToken({ issuer: op.issuer, clientId, clientKey: keys.get(clientId)!, resource: DEFAULT_RESOURCE });
  expect(res.status).toBe(200);
  return res.body.access_token as string;
}

async function register(clientId: string, namens: string | undefined, bsn: string) {
  const headers: Record<string, string> = { authorization: `Bearer ${await tokenOf(clientId)}`, "content-type": "application/json" };
  if (namens) headers["namens-professional"] = namens;
  const res = await fetch(`${node.url}/api/v1/signalen`, { method: "POST", headers, body: JSON.stringify({ bsn, geinformeerd: true }) });
  return { status: res.status, body: (await res.json()) as { signaal?: { id: string }; code?: string } };
}

const signalCount = async () => (await database.db.select().from(node.ctx.t.signalen)).length;

describe("a case system acts for a named designated professional of its own organisation", () => {
  it("ggd-dossier for jgz@ggd: registered as jgz's signal, the audit row names the case system", async () => {
    const res = await register("ggd-dossier", JGZ, ADAM);
    expect(res.status).toBe(201);
    const t = node.ctx.t;
    const [row] = await database.db
      .select({ email: t.professionals.email })
      .from(t.signalen)
      .innerJoin(t.professionals, eq(t.professionals.id, t.signalen.professionalId))
      .where(eq(t.signalen.id, res.body.signaal!.id));
    expect(row?.email).toBe(JGZ);
    const [audit] = await database.db
      .select()
      .from(t.auditLog)
      .where(and(eq(t.auditLog.actie, "signaal.geregistreerd"), eq(t.auditLog.signaalId, res.body.signaal!.id)));
    expect(audit).toMatchObject({ actor: JGZ, namens: "ggd-amsterdam", details: expect.objectContaining({ viaSysteem: "ggd-dossier" }) });
  });

  it("buurtschool-lvs for ib@buurtschool: registered", async () => {
    expect((await register("buurtschool-lvs", IB, LIAM)).status).toBe(201);
  });

  it("no named professional: 400, nothing registered", async () => {
    const before = await signalCount();
    const res = await register("ggd-dossier", undefined, NOOR);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("PROFESSIONAL_NIET_GENOEMD");
    expect(await signalCount()).toBe(before);
  });

  it("a professional of another organisation, or a non-designated one: 403, nothing registered", async () => {
    const before = await signalCount();
    const other = await register("ggd-dossier", IB, ADAM);
    expect(other.status).toBe(403);
    expect(other.body.code).toBe("NAMENS_NIET_TOEGESTAAN");
    const docent = await register("buurtschool-lvs", DOCENT, ADAM);
    expect(docent.status).toBe(403);
    expect(docent.body.code).toBe("NAMENS_NIET_TOEGESTAAN");
    expect(await signalCount()).toBe(before);
  });

  it("a client the register does not know as a case system: 403, whoever it names", async () => {
    const res = await register("onbekend-systeem", JGZ, ADAM);
    expect(res.status).toBe(403);
    expect(res.body.code).toBe("NIET_AANGESLOTEN");
  });
});
