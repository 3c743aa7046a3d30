import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { BULK_BSN_CAPACITY, GEMEENTEN, bulkBsn, bulkPersonIndex, demoPersons, generatePopulation, isElfproefValid, leeftijdOp, type BrpRecord } from "@vi/demo";

const TODAY = "2026-03-15";

describe("bulk BSN encoding", () => {
  it("gives every person index a BSN that passes the elfproef, starts with 9 but not 999, and decodes back", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: BULK_BSN_CAPACITY - 1 }), (i) => {
        const bsn = bulkBsn(i);
        expect(bsn).toMatch(/^9\d{8}$/);
        expect(bsn.startsWith("999")).toBe(false);
        expect(isElfproefValid(bsn)).toBe(true);
        expect(bulkPersonIndex(bsn)).toBe(i);
      }),
      { numRuns: 20_000 },
    );
  });

  it("is injective over a dense range and covers its edges", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200_000; i++) seen.add(bulkBsn(i));
    expect(seen.size).toBe(200_000);
    expect(isElfproefValid(bulkBsn(BULK_BSN_CAPACITY - 1))).toBe(true);
    expect(() => bulkBsn(BULK_BSN_CAPACITY)).toThrow(RangeError);
    expect(() => bulkBsn(-1)).toThrow(RangeError);
  });

  it("never decodes a fixture, test-range or malformed BSN as a bulk person", () => {
    for (const p of demoPersons(TODAY)) expect(bulkPersonIndex(p.bsn)).toBeUndefined();
    for (const bsn of ["999900183", "123456789", "900000000", "99999999", "9000000041", "abcdefghi"]) {
      expect(bulkPersonIndex(bsn)).toBeUndefined();
    }
    // A valid-looking 9-digit with a wrong check digit is not decoded.
    const good = bulkBsn(12345);
    const bad = good.slice(0, 8) + String((Number(good[8]) + 1) % 10);
    expect(bulkPersonIndex(bad)).toBeUndefined();
  });
});

describe("generated population", () => {
  const pop = generatePopulation({ seed: 42, youths: 50_000, today: TODAY });
  const youths: BrpRecord[] = [...pop.youths()];

  it("is deterministic for a seed and a day, and differs for another seed", () => {
    const again = generatePopulation({ seed: 42, youths: 50_000, today: TODAY });
    const other = generatePopulation({ seed: 43, youths: 50_000, today: TODAY });
    expect(again.size).toEqual(pop.size);
    for (const i of [0, 1, 777, 49_999]) {
      expect(again.byBsn(again.youthBsn(i))).toEqual(pop.byBsn(pop.youthBsn(i)));
    }
    const differs = [0, 1, 2, 3, 4, 5, 6, 7].some((i) => JSON.stringify(other.byBsn(other.youthBsn(i))) !== JSON.stringify(pop.byBsn(pop.youthBsn(i))));
    expect(differs).toBe(true);
    // Iteration yields the same records as lookup.
    expect(youths[123]).toEqual(pop.byBsn(pop.youthBsn(123)));
  });

  it("looks up youth i by its BSN for any i", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 49_999 }), (i) => {
        const bsn = pop.youthBsn(i);
        expect(bsn.startsWith("9")).toBe(true);
        expect(isElfproefValid(bsn)).toBe(true);
        const rec = pop.byBsn(bsn);
        expect(rec?.bsn).toBe(bsn);
      }),
      { numRuns: 2000 },
    );
    expect(() => pop.youthBsn(50_000)).toThrow(RangeError);
  });

  it("knows nobody outside the population: fixtures, the unknown BSN, youths past the end", () => {
    expect(pop.byBsn("999900018")).toBeUndefined();
    expect(pop.byBsn("999900183")).toBeUndefined();
    const small = generatePopulation({ seed: 42, youths: 10, today: TODAY });
    expect(small.byBsn(bulkBsn(10 + 1_000))).toBeUndefined();
    expect(small.byBsn(bulkBsn(BULK_BSN_CAPACITY - 1))).toBeUndefined();
    expect(generatePopulation({ seed: 1, youths: 0, today: TODAY }).size).toEqual({ youths: 0, persons: 0 });
  });

  it("gives every youth existing adult parents, and only existing persons are counted", () => {
    const parents = new Set<string>();
    for (const y of youths) {
      expect(y.ouders.length).toBeGreaterThanOrEqual(1);
      expect(y.ouders.length).toBeLessThanOrEqual(2);
      for (const o of y.ouders) parents.add(o);
    }
    expect(pop.size.persons).toBe(50_000 + parents.size);
    for (const bsn of [...parents].slice(0, 2000)) {
      const p = pop.byBsn(bsn)!;
      expect(p).toBeDefined();
      expect(isElfproefValid(p.bsn)).toBe(true);
      expect(leeftijdOp(p.geboortedatum, TODAY)).toBeGreaterThanOrEqual(20);
      expect(p.ouders).toEqual([]);
    }
  });

  it("has families of 1 to 4 youths sharing parents, and households split over two gemeenten", () => {
    const families = new Map<string, BrpRecord[]>();
    for (const y of youths) {
      const key = y.ouders.join(",");
      families.set(key, [...(families.get(key) ?? []), y]);
    }
    const sizes = [...families.values()].map((f) => f.length);
    expect(Math.max(...sizes)).toBe(4);
    expect(sizes.filter((s) => s >= 2).length).toBeGreaterThan(families.size / 3);
    const split = [...families.values()].filter(
      (f) => new Set(f.map((y) => y.gemeenteCode)).size > 1 && f.every((y) => !y.adres.adresseerbaarObjectId.slice(6).startsWith("9")),
    );
    expect(split.length).toBeGreaterThan(100);
    // Parents living apart: the second parent lives elsewhere, sometimes in another gemeente.
    const apart = [...families.values()].filter((f) => {
      const [a, b] = f[0]!.ouders.map((o) => pop.byBsn(o)!);
      return a && b && a.gemeenteCode !== b.gemeenteCode;
    });
    expect(apart.length).toBeGreaterThan(100);
  });

  it("has about 1% of youths at institution addresses, shared by unrelated youths", () => {
    const inst = new Set(pop.institutionAddressIds());
    expect(inst.size).toBeGreaterThanOrEqual(GEMEENTEN.length);
    const atInst = youths.filter((y) => inst.has(y.adres.adresseerbaarObjectId));
    expect(atInst.length / youths.length).toBeGreaterThan(0.007);
    expect(atInst.length / youths.length).toBeLessThan(0.013);
    const byAddress = new Map<string, BrpRecord[]>();
    for (const y of atInst) byAddress.set(y.adres.adresseerbaarObjectId, [...(byAddress.get(y.adres.adresseerbaarObjectId) ?? []), y]);
    const shared = [...byAddress.values()].find((ys) => new Set(ys.map((y) => y.ouders.join(","))).size > 1);
    expect(shared).toBeDefined();
    // Youths elsewhere never live at an institution id.
    for (const y of youths) if (!inst.has(y.adres.adresseerbaarObjectId)) expect(y.adres.adresseerbaarObjectId.slice(6, 7)).toBe("0");
  });

  it("has secret addresses (~0.5%), deceased youths (~0.1%) and deaths after birth", () => {
    const secret = youths.filter((y) => y.geheimhouding).length / youths.length;
    expect(secret).toBeGreaterThan(0.002);
    expect(secret).toBeLessThan(0.01);
    const dead = youths.filter((y) => y.overlijdensdatum);
    expect(dead.length).toBeGreaterThan(10);
    expect(dead.length).toBeLessThan(120);
    for (const y of dead) {
      expect(y.overlijdensdatum! >= y.geboortedatum).toBe(true);
      expect(y.overlijdensdatum! < TODAY).toBe(true);
    }
  });

  it("spreads ages 0..22 with a few aged 23 and over", () => {
    const ages = new Map<number, number>();
    for (const y of youths) {
      const a = leeftijdOp(y.geboortedatum, TODAY);
      ages.set(a, (ages.get(a) ?? 0) + 1);
    }
    for (let a = 0; a <= 22; a++) expect(ages.get(a) ?? 0).toBeGreaterThan(1000);
    const over = [...ages].filter(([a]) => a >= 23).reduce((s, [, n]) => s + n, 0);
    expect(over).toBeGreaterThan(300);
    expect(over).toBeLessThan(2000);
  });

  it("spreads over all thirteen gemeenten roughly by population, Amsterdam largest", () => {
    const per = new Map<string, number>();
    for (const y of youths) per.set(y.gemeenteCode, (per.get(y.gemeenteCode) ?? 0) + 1);
    expect([...per.keys()].sort()).toEqual(GEMEENTEN.map((g) => g.code).sort());
    const sorted = [...per].sort((a, b) => b[1] - a[1]);
    expect(sorted[0]![0]).toBe("GM0363");
    expect(sorted[1]![0]).toBe("GM0479");
    expect(per.get("GM0363")! / youths.length).toBeGreaterThan(0.5);
  });

  it("produces well-formed records", () => {
    for (const y of youths.slice(0, 5000)) {
      expect(y.geboortedatum).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(y.adres.postcode).toMatch(/^[1-9]\d{3}[A-Z]{2}$/);
      expect(y.adres.adresseerbaarObjectId).toMatch(/^\d{16}$/);
      expect(y.adres.adresseerbaarObjectId.slice(0, 4)).toBe(y.gemeenteCode.slice(2));
      expect(y.voornamen.length).toBeGreaterThan(0);
      expect(y.geslachtsnaam.length).toBeGreaterThan(0);
      expect(["M", "V"]).toContain(y.geslacht);
    }
  });
});

describe("a population of a million youths", () => {
  it("is created and queried quickly in modest memory", () => {
    const before = process.memoryUsage().rss;
    const t0 = performance.now();
    const pop = generatePopulation({ seed: 7, youths: 1_000_000, today: TODAY });
    const built = performance.now() - t0;
    expect(pop.size.youths).toBe(1_000_000);
    expect(pop.size.persons).toBeGreaterThan(1_500_000);
    const t1 = performance.now();
    let found = 0;
    for (let n = 0; n < 20_000; n++) {
      const i = (n * 7919 + 13) % 1_000_000;
      if (pop.byBsn(pop.youthBsn(i))?.bsn === pop.youthBsn(i)) found++;
    }
    const queried = performance.now() - t1;
    expect(found).toBe(20_000);
    expect(built).toBeLessThan(2000);
    expect(queried).toBeLessThan(3000);
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
    // The last youth and its parents exist too.
    const last = pop.byBsn(pop.youthBsn(999_999))!;
    for (const o of last.ouders) expect(pop.byBsn(o)).toBeDefined();
  });
});
