/**
 * Pseudonyms no node can reverse (docs/adr/0024), over real NATS JetStream
 * and PostgreSQL: the hub's pseudonyms come from the pseudonym service, which
 * the nodes ask obliviously; a node's configuration and database hold no key
 * to compute them with; a youth keeps its own, so a rebuild needs no service;
 * rotating the key re-pseudonymises the hub's index and the hub's matches
 * stay exactly the same.
 */
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rowsOf } from "@vi/db";
import { parseNodeConfig } from "@vi/node";
import { evaluatePseudonym, keyOfVersion } from "@vi/pseudonym";
import { ADAM, IB, JGZ, NOOR, WIJKTEAM } from "../support/constants";
import { eventually, startFederation, type Federation } from "../support/federation";

let f: Federation;
beforeAll(async () => {
  f = await startFederation({ gemeenten: ["GM0363", "GM0479"] });
}, 120_000);
afterAll(async () => f?.close(), 60_000);

const q = async <T>(text: string) => rowsOf<T>(await f.database.db.execute(sql.raw(text)));
type IndexRow = { signaal_id: string; jeugdige: string; ouders: string[]; adres: string | null; sleutelversie: number };
const indexRows = () => q<IndexRow>(`select signaal_id, jeugdige, ouders, adres, sleutelversie from hub.index_signalen order by signaal_id`);
const hubMatches = async () => (await q<{ id: string }>(`select id from hub.hub_matches order by id`)).map((r) => r.id);
/** The pseudonym service's secret key of a version, read as the key holder (the test) can; never a node. */
const serviceKey = (versie: number) => {
  const v = f.pseudonymKeys.load()?.versies.find((k) => k.versie === versie);
  if (!v) throw new Error(`the service holds no version ${versie}`);
  return { seed: v.seed, secretKey: keyOfVersion(Buffer.from(v.seed, "base64url"), "regio", versie).secretKey };
};

let adamSignal: string;
let noorSignal: string;

describe("pseudonyms from the pseudonym service", () => {
  it("the hub's pseudonym of a youth is the service key's OPRF of the BSN; the node asked for it without holding the key", async () => {
    const adam = await f.call("GM0363", IB, "POST", "/api/v1/signalen", { bsn: ADAM, geinformeerd: true });
    expect(adam.status).toBe(201);
    adamSignal = adam.body.signaal.id;
    const noor = await f.call("GM0479", WIJKTEAM, "POST", "/api/v1/signalen", { bsn: NOOR, geinformeerd: true });
    expect(noor.status).toBe(201);
    noorSignal = noor.body.signaal.id;
    await eventually(async () => (await hubMatches()).length === 1 || undefined, "the hub's gezin match of Adam and Noor");

    const rows = await indexRows();
    const adamRow = rows.find((r) => r.signaal_id === adamSignal)!;
    expect(adamRow.sleutelversie).toBe(1);
    const { secretKey } = serviceKey(1);
    expect(adamRow.jeugdige).toBe(evaluatePseudonym(secretKey, { kind: "jeugdige", value: ADAM }));
    // The service evaluated blinded elements only: it counted them, it never saw a BSN.
    expect(f.pseudonym.ctx.metrics.elements).toBeGreaterThanOrEqual(2);
  });

  it("a node's configuration and database hold nothing that computes the pseudonym of a BSN", async () => {
    const node = f.node("GM0363");
    const { seed, secretKey } = serviceKey(1);
    const target = evaluatePseudonym(secretKey, { kind: "jeugdige", value: NOOR }); // a youth of another node
    // No key in the node's configuration: the setting of old is refused, not silently used.
    const env = { GEMEENTE: "GM0363", AUTH_ISSUER: "http://issuer.test", NATS_URL: f.natsUrl };
    const config = parseNodeConfig(env);
    expect(Object.entries(config).filter(([k, v]) => /SLEUTEL|KEY|SECRET/i.test(k) && v !== undefined)).toEqual([]);
    expect(() => parseNodeConfig({ ...env, REGIO_PSEUDONIEM_SLEUTEL: "x".repeat(64) })).toThrow(/REGIO_PSEUDONIEM_SLEUTEL/);
    // Every secret the node holds (its signing key, anything in its schema) used as an HMAC key or as an OPRF seed gives another value.
    const nodeSecrets: Uint8Array[] = [];
    for (const k of (await f.keyStores.get("GM0363")!.load())?.keys ?? []) {
      if (typeof k.privateJwk.d === "string") nodeSecrets.push(Buffer.from(k.privateJwk.d, "base64url"));
    }
    expect(nodeSecrets.length).toBe(1);
    for (const s of nodeSecrets) {
      expect(createHmac("sha256", s).update(`jeugdige:${NOOR}`).digest("base64url")).not.toBe(target);
      expect(evaluatePseudonym(keyOfVersion(s.subarray(0, 32), "regio", 1).secretKey, { kind: "jeugdige", value: NOOR })).not.toBe(target);
    }
    // The node's database holds neither the service's seed nor its key, nor Noor's pseudonym (Noor is no youth of this node).
    const schemaDump = JSON.stringify(
      await Promise.all(
        (await q<{ table_name: string }>(`select table_name from information_schema.tables where table_schema = 'gm0363'`)).map(async (t) =>
          q(`select * from gm0363."${t.table_name}"`),
        ),
      ),
    );
    expect(schemaDump.length).toBeGreaterThan(1000);
    for (const secret of [
      seed,
      Buffer.from(seed, "base64url").toString("hex"),
      Buffer.from(secretKey).toString("base64url"),
      Buffer.from(secretKey).toString("hex"),
    ]) {
      expect(schemaDump).not.toContain(secret);
    }
    expect(schemaDump).not.toContain(target);
    expect(JSON.stringify(node.ctx.fed ? Object.keys(node.ctx.fed) : [])).not.toMatch(/key"|sleutel|regionKey/i);
  });

  it("without the pseudonym service a node cannot register (no pseudonym, no half-written signal): 503 PSEUDONIEMDIENST_ONBEREIKBAAR", async () => {
    const before = await q<{ n: number }>(`select count(*)::int as n from gm0363.signalen`);
    await f.pseudonym.stop();
    try {
      const res = await f.call("GM0363", JGZ, "POST", "/api/v1/signalen", { bsn: ADAM, geinformeerd: true });
      expect(res.status).toBe(503);
      expect(res.body.code).toBe("PSEUDONIEMDIENST_ONBEREIKBAAR");
      expect(await q<{ n: number }>(`select count(*)::int as n from gm0363.signalen`)).toEqual(before);
    } finally {
      await f.restartPseudonym();
    }
  });
});

describe("pseudonyms kept at the node (docs/adr/0047)", () => {
  it("a youth keeps the pseudonyms its registration asked; a rebuild without the pseudonym service yields the same index and matches", async () => {
    const [adam] = await q<{ pseudoniemen: Record<string, { j: string; o: string[]; a?: string }> }>(
      `select j.pseudoniemen from gm0363.jeugdigen j join gm0363.signalen s on s.jeugdige_id = j.id where s.id = '${adamSignal}'`,
    );
    const before = await indexRows();
    const hubRow = before.find((r) => r.signaal_id === adamSignal)!;
    expect(adam!.pseudoniemen).toEqual({ "1": { j: hubRow.jeugdige, o: hubRow.ouders, a: hubRow.adres } });
    const matches = await hubMatches();
    await f.pseudonym.stop();
    try {
      const report = await f.hub.rebuild();
      expect(report.nodes).toEqual({ GM0363: 1, GM0479: 1 });
      expect(report.matches).toEqual(matches);
      expect(await indexRows()).toEqual(before);
    } finally {
      await f.restartPseudonym();
    }
  });
});

describe("rotating the pseudonym key", () => {
  it("re-pseudonymises the hub's index under version 2 and keeps exactly the hub's matches; new matches are made on version 2", async () => {
    const before = await hubMatches();
    expect(before).toHaveLength(1);
    const rowsBefore = await indexRows();
    expect(rowsBefore.map((r) => r.sleutelversie)).toEqual([1, 1]);

    const report = await f.hub.rotateKey();
    expect(report).toMatchObject({ status: "gewisseld", van: 1, naar: 2, nodes: { GM0363: 1, GM0479: 1 }, indexed: 2, added: [] });

    expect(await hubMatches()).toEqual(before);
    const rowsAfter = await indexRows();
    expect(rowsAfter.map((r) => r.signaal_id)).toEqual(rowsBefore.map((r) => r.signaal_id));
    expect(rowsAfter.map((r) => r.sleutelversie)).toEqual([2, 2]);
    const { secretKey } = serviceKey(2);
    const adamRow = rowsAfter.find((r) => r.signaal_id === adamSignal)!;
    expect(adamRow.jeugdige).toBe(evaluatePseudonym(secretKey, { kind: "jeugdige", value: ADAM }));
    for (const [i, r] of rowsAfter.entries()) {
      expect(r.jeugdige).not.toBe(rowsBefore[i]!.jeugdige);
      expect(r.ouders.some((o) => rowsBefore[i]!.ouders.includes(o))).toBe(false);
    }
    // The old key is gone for good; the stage is empty.
    expect(f.pseudonymKeys.load()?.versies.map((v) => v.versie)).toEqual([2]);
    expect(await q(`select * from hub.index_volgende_sleutel`)).toEqual([]);
    expect(await q(`select actief, volgende from hub.pseudoniem_sleutel`)).toEqual([{ actief: 2, volgende: null }]);

    // A rebuild after the rotation finds the same matches.
    const rebuilt = await f.hub.rebuild();
    expect(rebuilt.matches).toEqual(before);
    expect(rebuilt.sleutelversie).toBe(2);

    // A registration after the rotation matches the re-pseudonymised entries: jgz on Noor (via Amsterdam) with ib on Adam.
    const jgz = await f.call("GM0363", JGZ, "POST", "/api/v1/signalen", { bsn: NOOR, geinformeerd: true });
    expect(jgz.status).toBe(201);
    await eventually(async () => ((await hubMatches()).length === 2 ? true : undefined), "the hub's gezin match of jgz (Noor) and ib (Adam)");
    const index = await indexRows();
    expect(index.every((r) => r.sleutelversie === 2)).toBe(true);
    expect(index.map((r) => r.signaal_id)).toContain(noorSignal);
  });
});
