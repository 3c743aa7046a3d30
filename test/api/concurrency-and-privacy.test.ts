/**
 * Registrations at the same moment never miss a match nor make one twice,
 * and nothing the node logs carries a BSN.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rowsOf } from "@vi/db";
import { generatePopulation } from "@vi/demo";
import { ageOn } from "@vi/domain";
import { ADAM, IB, JGZ, LEERPLICHT, LIAM, TODAY } from "../support/constants";
import { startTestRegion, type TestRegion } from "../support/region";

const logLines: string[] = [];
const population = { seed: 7, youths: 4000, today: TODAY };
let r: TestRegion;
beforeAll(async () => {
  r = await startTestRegion({ gemeenten: ["GM0363"], logLines, population });
});

/** Pairs of siblings in Amsterdam who share a parent but not an address, from the generated population. */
function siblingPairs(n: number): [string, string][] {
  const pop = generatePopulation(population);
  const byParent = new Map<string, string[]>();
  for (const y of pop.youths()) {
    if (y.gemeenteCode !== "GM0363" || y.overlijdensdatum || ageOn(y.geboortedatum, TODAY) >= 22) continue;
    for (const p of y.ouders) byParent.set(p, [...(byParent.get(p) ?? []), y.bsn]);
  }
  const pairs: [string, string][] = [];
  const used = new Set<string>();
  for (const kids of byParent.values()) {
    const [a, b] = kids;
    if (a && b && !used.has(a) && !used.has(b)) {
      pairs.push([a, b]);
      used.add(a).add(b);
    }
    if (pairs.length === n) break;
  }
  return pairs;
}
afterAll(async () => r?.close());

describe("simultaneous registrations", () => {
  it("three professionals on Adam and Liam at once make exactly the three expected matches", async () => {
    const results = await Promise.all([
      r.call("GM0363", IB, "POST", "/api/v1/signalen", { bsn: ADAM, geinformeerd: true }),
      r.call("GM0363", JGZ, "POST", "/api/v1/signalen", { bsn: ADAM, geinformeerd: true }),
      r.call("GM0363", LEERPLICHT, "POST", "/api/v1/signalen", { bsn: LIAM, geinformeerd: true }),
    ]);
    expect(results.map((x) => x.status)).toEqual([201, 201, 201]);
    const pairs = rowsOf<{ soort: string; a: string; b: string }>(
      await r.database.db.execute(sql`
        select m.soort, pa.email as a, pb.email as b
        from gm0363.matches m
        join gm0363.signalen sa on sa.id = m.signaal_a join gm0363.professionals pa on pa.id = sa.professional_id
        join gm0363.signalen sb on sb.id = m.signaal_b join gm0363.professionals pb on pb.id = sb.professional_id`),
    );
    const normalised = pairs.map((p) => `${p.soort}:${[p.a, p.b].sort().join("+")}`).sort();
    expect(normalised).toEqual(
      [`client:${[IB, JGZ].sort().join("+")}`, `gezin:${[IB, LEERPLICHT].sort().join("+")}`, `gezin:${[JGZ, LEERPLICHT].sort().join("+")}`].sort(),
    );
  });

  it("siblings signalled at the same moment by two professionals always make exactly one gezin match", async () => {
    const pairs = siblingPairs(40);
    expect(pairs.length).toBe(40);
    const results = await Promise.all(
      pairs.flatMap(([a, b]) => [
        r.call("GM0363", IB, "POST", "/api/v1/signalen", { bsn: a, geinformeerd: true }),
        r.call("GM0363", JGZ, "POST", "/api/v1/signalen", { bsn: b, geinformeerd: true }),
      ]),
    );
    expect(results.filter((x) => x.status !== 201).map((x) => x.body)).toEqual([]);
    const [row] = rowsOf<{ n: number; zelfde: number }>(
      await r.database.db.execute(sql`
        select count(*)::int as n, count(*) filter (where sa.professional_id = sb.professional_id)::int as zelfde
        from gm0363.matches m join gm0363.signalen sa on sa.id = m.signaal_a join gm0363.signalen sb on sb.id = m.signaal_b
        where m.soort = 'gezin'`),
    );
    // 2 from the Adam/Liam test above, plus one per sibling pair.
    expect(row).toEqual({ n: 2 + pairs.length, zelfde: 0 });
  });

  it("the same professional twice at once gets one signal and one refusal", async () => {
    const both = await Promise.all([
      r.call("GM0363", LEERPLICHT, "POST", "/api/v1/signalen", { bsn: ADAM, geinformeerd: true }),
      r.call("GM0363", LEERPLICHT, "POST", "/api/v1/signalen", { bsn: ADAM, geinformeerd: true }),
    ]);
    expect(both.map((x) => x.status).sort()).toEqual([201, 409]);
    const n = rowsOf<{ n: number }>(
      await r.database.db.execute(
        sql`select count(*)::int as n from gm0363.signalen s join gm0363.professionals p on p.id = s.professional_id where p.email = ${LEERPLICHT} and s.status = 'actief'`,
      ),
    );
    expect(n[0]!.n).toBe(2); // Liam and Adam
  });
});

describe("logs", () => {
  it("log every request but never a BSN, even for refused and malformed input", async () => {
    await r.call("GM0363", IB, "POST", "/api/v1/signalen", { bsn: "123456789", geinformeerd: true });
    await r.call("GM0363", IB, "POST", "/api/v1/signalen", { bsn: "999900183", geinformeerd: true });
    await r.call("GM0363", IB, "POST", "/api/v1/signalen", '{"bsn":"999900092",');
    const own = await r.call("GM0363", IB, "GET", "/api/v1/signalen");
    await r.call("GM0363", IB, "GET", `/api/v1/signalen/${own.body.signalen[0].id}/clientkaart`);
    expect(logLines.length).toBeGreaterThan(5);
    expect(logLines.some((l) => l.includes('"route":"/api/v1/signalen"'))).toBe(true);
    for (const line of logLines) {
      expect(line).not.toMatch(/\b\d{9}\b/);
      expect(line).not.toContain("Bearer");
    }
  });
});
