/**
 * A rebuild's family pairs (allFamilyPairs, services/hub/src/matching.ts) found by two equality joins, on a parent and
 * on the address, equal those of the one join on `ouders && … or adres = …` they replaced (kept here as the oracle),
 * on a random index of three nodes with shared parents, shared addresses, the same youth at two nodes, one
 * professional at two nodes, signals that are not active and signals without an address. On PostgreSQL.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { type Database, hubTables, migrate, openDatabase, rowsOf } from "@vi/db";
import { createTestDatabase } from "../../../test/support/database";
import type { HubContext } from "../src/context";
import { allFamilyPairs } from "../src/matching";

const t = hubTables("hub");
let created: Awaited<ReturnType<typeof createTestDatabase>>;
let d: Database;

beforeAll(async () => {
  created = await createTestDatabase("vi_pairs");
  d = await openDatabase({ url: created.url, max: 2 });
  await migrate(d.db, "hub", "hub");
}, 60_000);
afterAll(async () => {
  await d?.close();
  await created?.drop();
});

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let r = Math.imul(a ^ (a >>> 15), 1 | a);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

const oracle = async () =>
  rowsOf<{ a: string; b: string }>(
    await d.db.execute(sql`
      select a.signaal_id::text as a, b.signaal_id::text as b
        from hub.index_signalen a
        join hub.index_signalen b
          on a.signaal_id < b.signaal_id
         and a.node <> b.node
         and a.jeugdige <> b.jeugdige
         and lower(a.professional->>'email') <> lower(b.professional->>'email')
         and (a.ouders && b.ouders or (a.adres is not null and a.adres = b.adres))
       where a.status = 'actief' and b.status = 'actief'
       order by a.signaal_id, b.signaal_id`),
  );

it.each([1, 2, 3])("the pairs of a random index (seed %i) are the oracle's, in its order", async (seed) => {
  await d.db.delete(t.indexSignalen);
  const next = random(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!;
  const nodes = ["GM0363", "GM0453", "GM0479"];
  const parents = Array.from({ length: 120 }, (_, i) => `ouder-${i}`);
  const addresses = Array.from({ length: 150 }, (_, i) => `adres-${i}`);
  const youths = Array.from({ length: 500 }, (_, i) => `jeugdige-${i}`);
  const rows = Array.from({ length: 600 }, () => {
    const node = pick(nodes);
    const ouders = [...new Set(Array.from({ length: Math.floor(next() * 3) }, () => pick(parents)))];
    // Now and then one professional at two nodes (shared email, another case), or the same email at one node.
    const email = next() < 0.1 ? "Gedeeld@Example.NL" : `prof-${Math.floor(next() * 40)}@${node.toLowerCase()}.example`;
    return {
      signaalId: randomUUID(),
      node,
      entryNode: node,
      status: pick(["actief", "actief", "actief", "gearchiveerd"] as const),
      versie: 1,
      jeugdige: pick(youths),
      ouders,
      adres: next() < 0.2 ? null : pick(addresses),
      professional: { email: next() < 0.5 ? email : email.toLowerCase(), naam: "P", functie: "f", telefoon: "t", organisatie: "O", domein: "onderwijs" },
      bijgewerktOp: new Date(),
    };
  });
  await d.db.insert(t.indexSignalen).values(rows);
  await d.db.execute(sql`analyze hub.index_signalen`);
  const expected = await oracle();
  expect(expected.length).toBeGreaterThan(50);
  const pairs = await allFamilyPairs({ schema: "hub" } as HubContext, d.db);
  expect(pairs.map(([a, b]) => ({ a: a.signaalId, b: b.signaalId }))).toEqual(expected);
});
