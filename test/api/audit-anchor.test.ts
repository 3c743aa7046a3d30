/**
 * The audit chain head anchored at the hub (issue 9 item 6, docs/adr/0026): the node sends its chain head
 * (`auditketen.kop`, sealed to the hub) through its outbox, the hub keeps it (and logs it in its own chain), and
 * `npm run audit:verify -- gm0363 --hub hub` reports the rows removed from the END of the node's chain after the
 * anchor, which the chain on its own cannot show. Hub, node and pseudonym service on the in-process bus, one real
 * PostgreSQL database.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTokenVerifier, loadOrCreateDevIssuer, type DevIssuer } from "@vi/auth";
import { createMemoryBroker } from "@vi/bus";
import { openDatabase, rowsOf, verifyAuditChainOf, type Database } from "@vi/db";
import { DEMO_REGISTER_FILE, demoSubject } from "@vi/demo";
import { startFakeBrp } from "@vi/fake-brp";
import { createLogger as hubLogger, parseHubConfig, type RunningHub, startHub } from "@vi/hub";
import { checkAuditChain, createLogger, parseNodeConfig, type RunningNode, startNode } from "@vi/node";
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
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "vi-anker-"));
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
      // The test sends the head itself (anchorAuditChain), so nothing is sent behind its back.
      AUDIT_ANKER_INTERVAL_SECONDEN: "0",
      LOG_LEVEL: "silent",
    }),
    database,
    bus: broker.connect("node-GM0363"),
    verifier: createTokenVerifier({ issuer: issuer.issuer, audience: issuer.audience, keys: issuer.keys }),
    log: createLogger("silent", "GM0363"),
  });
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
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const exec = async <T>(q: string) => rowsOf<T>(await database.db.execute(sql.raw(q)));

async function signal(bsn: string) {
  const res = await fetch(`${node.url}/api/v1/signalen`, {
    method: "POST",
    headers: { authorization: `Bearer ${await issuer.sign(IB)}`, "content-type": "application/json" },
    body: JSON.stringify({ bsn, geinformeerd: true }),
  });
  return res.status;
}

/** The heads the hub holds for GM0363, once it holds one with this row id (the consumer runs on its own). */
async function anchoredAtHub(regelId: number) {
  for (;;) {
    const rows = await exec<{ regel_id: string; hash: string }>("select regel_id, hash from hub.auditketen_koppen where node = 'GM0363' order by regel_id");
    if (rows.some((r) => Number(r.regel_id) === regelId)) return rows.map((r) => ({ regelId: Number(r.regel_id), hash: r.hash }));
    await new Promise((r) => setTimeout(r, 50));
  }
}

function cli(...args: string[]) {
  const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/audit-verify.ts", ...args], {
    env: { ...process.env, DATABASE_URL: testDb.url, HUB_DATABASE_URL: "" },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: run.status, out: run.stdout + run.stderr };
}

describe("the audit chain head anchored at the hub", () => {
  let head: { id: number; hash: string };

  it("the node sends its head; the hub keeps it and logs it in its own chain", async () => {
    expect(await signal(ADAM)).toBe(201);
    expect(await signal(LIAM)).toBe(201);
    // Reads are logged too: more rows than the two the test removes from the end.
    for (let i = 0; i < 3; i++) {
      const read = await fetch(`${node.url}/api/v1/signalen`, { headers: { authorization: `Bearer ${await issuer.sign(IB)}` } });
      expect(read.status).toBe(200);
    }
    const [last] = await exec<{ id: string; hash: string }>("select id, hash from gm0363.audit_log order by id desc limit 1");
    head = { id: Number(last!.id), hash: last!.hash };
    expect(await node.anchorAuditChain()).toEqual({ outcome: "verstuurd", regelId: head.id });
    expect(await anchoredAtHub(head.id)).toEqual([{ regelId: head.id, hash: head.hash }]);
    const logged = await exec<{ details: Record<string, unknown> }>("select details from hub.audit_log where actie = 'auditketen.verankerd'");
    expect(logged.map((x) => x.details)).toEqual([expect.objectContaining({ node: "GM0363", regelId: head.id, hash: head.hash })]);
    expect(await verifyAuditChainOf(database.db, hub.ctx.t.auditLog)).toMatchObject({ ok: true });
    // Unchanged since: not sent again.
    expect(await node.anchorAuditChain()).toEqual({ outcome: "ongewijzigd" });
  });

  it("audit:verify with the hub's anchor passes on an untouched node", () => {
    const run = cli("gm0363", "--hub", "hub");
    expect(run.out).toContain(`De verankerde kop (regel ${head.id}) staat in de keten.`);
    expect(run.status).toBe(0);
  });

  it("rows removed from the end after the anchor: the chain alone looks whole, audit:verify names the truncation", async () => {
    await exec(`delete from gm0363.audit_log where id >= ${head.id - 1}`);
    const [left] = await exec<{ id: string }>("select max(id) as id from gm0363.audit_log");
    const lastLeft = Number(left!.id);
    expect(lastLeft).toBeLessThan(head.id - 1);
    // What the chain cannot show on its own.
    expect(await checkAuditChain(database.db, node.ctx.t)).toMatchObject({ ok: true });
    const run = cli("gm0363", "--hub", "hub");
    expect(run.status).toBe(1);
    expect(run.out).toContain(`de keten is afgekapt: de hub verankerde regel ${head.id}, maar de keten eindigt bij regel ${lastLeft}`);
  });

  it("the same check against an exported head (--anker)", () => {
    const file = join(dir, "anker.json");
    writeFileSync(file, JSON.stringify({ regelId: head.id, hash: head.hash }));
    const run = cli("gm0363", "--anker", file);
    expect(run.status).toBe(1);
    expect(run.out).toContain("de keten is afgekapt");
  });

  it("a head that went back is logged at the hub, and the first anchor is kept", async () => {
    const outcome = await node.anchorAuditChain();
    expect(outcome).toMatchObject({ outcome: "verstuurd" });
    const back = (outcome as { regelId: number }).regelId;
    expect(back).toBeLessThan(head.id);
    await anchoredAtHub(back);
    for (;;) {
      const rows = await exec<{ details: Record<string, unknown> }>("select details from hub.audit_log where actie = 'auditketen.teruggelopen'");
      if (rows.length > 0) {
        expect(rows[0]!.details).toMatchObject({ node: "GM0363", regelId: back, vorigeRegelId: head.id });
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    // audit:verify still checks against the highest anchored row.
    expect(cli("gm0363", "--hub", "hub").status).toBe(1);
  });
});
