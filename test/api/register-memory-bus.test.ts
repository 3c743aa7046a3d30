/**
 * The embedded region (`npm start` without NATS_URL): hub and node on the in-process bus. A designation revoked at
 * the hub is refused at the node within seconds, as over NATS (test/api/register.test.ts).
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTokenVerifier, loadOrCreateDevIssuer, type DevIssuer } from "@vi/auth";
import { createMemoryBroker } from "@vi/bus";
import { openDatabase, type Database } from "@vi/db";
import { DEMO_REGISTER_FILE, demoSubject } from "@vi/demo";
import { startFakeBrp } from "@vi/fake-brp";
import { createLogger as hubLogger, parseHubConfig, type RunningHub, startHub } from "@vi/hub";
import { createLogger, parseNodeConfig, type RunningNode, startNode } from "@vi/node";
import { memoryKeys, parsePseudonymConfig, type RunningPseudonymService, startPseudonymService } from "@vi/pseudonym-service";
import { ADAM, DEV_ISSUER, IB, LIAM } from "../support/constants";
import { type CreatedDatabase, createTestDatabase } from "../support/database";
import { freePort } from "../support/processes";

let testDb: CreatedDatabase;
let database: Database;
let brp: Awaited<ReturnType<typeof startFakeBrp>>;
let issuer: DevIssuer;
let node: RunningNode;
let hub: RunningHub;
let pseudonym: RunningPseudonymService;

beforeAll(async () => {
  testDb = await createTestDatabase();
  database = await openDatabase({ url: testDb.url, max: 5 });
  brp = await startFakeBrp({ port: 0, host: "127.0.0.1" });
  issuer = await loadOrCreateDevIssuer({ issuer: DEV_ISSUER, subjectOf: demoSubject });
  const broker = createMemoryBroker({ namespace: `m${randomBytes(4).toString("hex")}` });
  const hubPort = await freePort();
  node = await startNode({
    config: parseNodeConfig({
      GEMEENTE: "GM0363",
      PORT: "0",
      BRP_URL: `${brp.url}/haalcentraal/api/brp`,
      AUTH_ISSUER: issuer.issuer,
      REGISTER_BESTAND: DEMO_REGISTER_FILE,
      HUB_URL: `http://127.0.0.1:${hubPort}`,
      RETENTIE_INTERVAL_MINUTEN: "0",
      BRP_MUTATIES_INTERVAL_MS: "0",
      LOG_LEVEL: "silent",
    }),
    database,
    bus: broker.connect("node-GM0363"),
    verifier: createTokenVerifier({ issuer: issuer.issuer, audience: issuer.audience, keys: issuer.keys }),
    log: createLogger("silent", "GM0363"),
  });
  // The region's pseudonym service on the same in-process bus, as npm start runs it.
  pseudonym = await startPseudonymService({
    config: parsePseudonymConfig({ PORT: "0", HUB_URL: `http://127.0.0.1:${hubPort}`, LOG_LEVEL: "silent" }),
    keyFile: memoryKeys(),
    bus: broker.connect("pseudoniem"),
    log: createLogger("silent", "pseudoniem"),
  });
  hub = await startHub({
    config: parseHubConfig({
      PORT: String(hubPort),
      NODES: `GM0363=${node.url}`,
      NODES_REFRESH_SECONDS: "0",
      PSEUDONIEM_URL: `http://127.0.0.1:${pseudonym.port}`,
      AUTH_ISSUER: issuer.issuer,
      REGISTER_BESTAND: DEMO_REGISTER_FILE,
      LOG_LEVEL: "silent",
    }),
    database,
    bus: broker.connect("hub"),
    verifier: createTokenVerifier({ issuer: issuer.issuer, audience: "verwijsindex-hub", keys: issuer.keys }),
    log: hubLogger("silent"),
  });
  await node.refreshRegister();
}, 60_000);

afterAll(async () => {
  await hub?.stop();
  await pseudonym?.stop();
  await node?.stop();
  await brp?.close();
  await database?.close();
  await testDb?.drop();
});

async function signal(bsn: string) {
  const res = await fetch(`${node.url}/api/v1/signalen`, {
    method: "POST",
    headers: { authorization: `Bearer ${await issuer.sign(IB)}`, "content-type": "application/json" },
    body: JSON.stringify({ bsn, geinformeerd: true }),
  });
  return { status: res.status, body: (await res.json()) as { code?: string } };
}

it("a designation revoked at the hub is refused at the node within seconds, on the in-process bus", async () => {
  expect(node.ctx.registerSource!.versie()).toBe(1);
  expect((await signal(ADAM)).status).toBe(201);
  const token = await issuer.sign("convenant@regio-amsterdam.example", { audience: "verwijsindex-hub" });
  const res = await fetch(`${hub.url}/api/v1/register/personen/${demoSubject(IB)}/aanwijzing`, {
    method: "DELETE",
    headers: { authorization: `Bearer ${token}` },
  });
  expect(res.status).toBe(200);
  const until = Date.now() + 5000;
  while (node.ctx.registerSource!.versie() < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  const refused = await signal(LIAM);
  expect(refused.status).toBe(403);
  expect(refused.body.code).toBe("NIET_SIGNALERINGSBEVOEGD");
});
