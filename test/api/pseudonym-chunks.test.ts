/**
 * How a node asks the pseudonym service for many values (services/node/src/outbound/pseudonyms.ts): in requests of at
 * most PSEUDONYM_CHUNK distinct values, so that a page of the hub's rebuild (about 1,000 values) does not hold the
 * service, and every other node's request behind it, for one long evaluation (docs/adr/0040). The service is played
 * by an RPC client that evaluates with a key of the test's own, so the pseudonyms can be checked too.
 */
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { KeptPseudonyms } from "@vi/db";
import type { RpcArgs, RpcClient, RpcOp } from "@vi/events";
import { blindEvaluate, evaluatePseudonym, fromWire, keyOfVersion, MAX_ELEMENTS_PER_REQUEST, type PseudonymItem, toWire } from "@vi/pseudonym";
import { type KeepingRow, keptOf, PSEUDONYM_CHUNK, type Pseudonymised, pseudonymise, pseudonymsKept } from "../../services/node/src/outbound/pseudonyms";

/** The pseudonym service with a key per version it holds, counting the values asked. */
function serviceOf(versions: number[]) {
  const keys = new Map(versions.map((v) => [v, keyOfVersion(randomBytes(32), "regio", v).secretKey]));
  const asked: number[] = [];
  const rpc: RpcClient = {
    async call(_to: string, op: RpcOp, _actor: unknown, args: unknown) {
      if (op !== "pseudoniem.evalueren") throw new Error(`unexpected op ${op}`);
      const { elementen } = args as RpcArgs<"pseudoniem.evalueren">;
      asked.push(elementen.length);
      return { versies: [...keys].map(([versie, key]) => ({ versie, elementen: elementen.map((e) => toWire(blindEvaluate(key, fromWire(e)))) })) };
    },
  };
  const of = (versie: number, item: PseudonymItem) => evaluatePseudonym(keys.get(versie)!, item);
  return { rpc, asked, of };
}

/** A page of the rebuild: `n` signals, each with a youth, two parents and an address. */
function page(n: number): PseudonymItem[] {
  return Array.from({ length: n }, (_, i): PseudonymItem[] => [
    { kind: "jeugdige", value: `j${i}` },
    { kind: "ouder", value: `p${i}a` },
    { kind: "ouder", value: `p${i}b` },
    { kind: "adres", value: `a${i}` },
  ]).flat();
}

describe("pseudonymise", () => {
  it("asks for a rebuild page's 1,000 values in requests of 250, within what the service accepts, and finalizes every one", async () => {
    expect(PSEUDONYM_CHUNK).toBe(250);
    expect(PSEUDONYM_CHUNK).toBeLessThanOrEqual(MAX_ELEMENTS_PER_REQUEST);
    const service = serviceOf([1]);
    const items = page(250);
    const ps = await pseudonymise(service.rpc, items);
    expect(service.asked).toEqual([250, 250, 250, 250]);
    expect(ps.versions).toEqual([1]);
    for (const item of items) expect(ps.get(1, item)).toBe(service.of(1, item));
  });

  it("asks for a registration's few values in one request, each distinct value once", async () => {
    const service = serviceOf([1]);
    const youth = page(1);
    const ps = await pseudonymise(service.rpc, [...youth, youth[1]!]);
    expect(service.asked).toEqual([4]);
    for (const item of youth) expect(ps.get(1, item)).toBe(service.of(1, item));
  });
});

type Row = KeepingRow & { id: string };

/** A youth with two parents and an address, keeping what `keeps` gives for it (nothing by default). */
function youth(i: number, keeps?: (values: Row) => KeptPseudonyms | null): Row {
  const row: Row = { id: `y${i}`, bsn: `j${i}`, ouders: [`p${i}a`, `p${i}b`], adresId: `a${i}`, instelling: false, pseudoniemen: null };
  return { ...row, pseudoniemen: keeps ? keeps(row) : null };
}

const itemsOfRows = (rows: readonly Row[]): PseudonymItem[] =>
  rows.flatMap((r) => [
    { kind: "jeugdige" as const, value: r.bsn },
    ...r.ouders.map((value) => ({ kind: "ouder" as const, value })),
    ...(r.adresId && !r.instelling ? [{ kind: "adres" as const, value: r.adresId }] : []),
  ]);

/** What a youth keeps under `versions` of `service`, as a registration stores it. */
const keptBy = (service: ReturnType<typeof serviceOf>, versions: number[]) => (r: Row) =>
  Object.fromEntries(
    versions.map((v) => [
      String(v),
      {
        j: service.of(v, { kind: "jeugdige", value: r.bsn }),
        o: r.ouders.map((value) => service.of(v, { kind: "ouder", value })),
        ...(r.adresId ? { a: service.of(v, { kind: "adres", value: r.adresId }) } : {}),
      },
    ]),
  );

/** Every value of `rows` under `versie` is the service's pseudonym of it. */
function expectPseudonyms(ps: Pseudonymised, rows: Row[], versie: number, service: ReturnType<typeof serviceOf>) {
  for (const item of itemsOfRows(rows)) expect(ps.get(versie, item)).toBe(service.of(versie, item));
}

describe("pseudonymsKept (a page of the hub's rebuild, docs/adr/0047)", () => {
  it("answers from what the youths keep under the versions the hub asks, asking the service nothing", async () => {
    const service = serviceOf([1]);
    const rows = [0, 1, 2].map((i) => youth(i, keptBy(service, [1])));
    const { ps, fresh } = await pseudonymsKept(service.rpc, rows, [1], itemsOfRows);
    expect(service.asked).toEqual([]);
    expect(fresh).toEqual([]);
    expect(ps.versions).toEqual([1]);
    expectPseudonyms(ps, rows, 1, service);
  });

  it("asks only the values of the youths that keep nothing, or too little, and returns what they are to keep", async () => {
    const service = serviceOf([1]);
    const keeping = youth(0, keptBy(service, [1]));
    const none = youth(1);
    // Kept before a second parent was known: one parent too few.
    const stale = youth(2, (r) => ({ "1": { ...keptBy(service, [1])(r)["1"]!, o: [service.of(1, { kind: "ouder", value: r.ouders[0]! })] } }));
    const { ps, fresh } = await pseudonymsKept(service.rpc, [keeping, none, stale], [1], itemsOfRows);
    expect(service.asked).toEqual([8]);
    expectPseudonyms(ps, [keeping, none, stale], 1, service);
    expect(fresh.map((f) => f.row.id)).toEqual(["y1", "y2"]);
    for (const f of fresh) expect(f.pseudoniemen).toEqual(keptBy(service, [1])(f.row));
  });

  it("an institution's address needs no kept pseudonym: its youth is answered from the rest", async () => {
    const service = serviceOf([1]);
    const atInstitution = { ...youth(0), instelling: true };
    const row = {
      ...atInstitution,
      pseudoniemen: { "1": { j: service.of(1, { kind: "jeugdige", value: "j0" }), o: ["p0a", "p0b"].map((value) => service.of(1, { kind: "ouder", value })) } },
    };
    const { ps } = await pseudonymsKept(service.rpc, [row], [1], itemsOfRows);
    expect(service.asked).toEqual([]);
    expectPseudonyms(ps, [row], 1, service);
  });

  it("during a rotation the hub asks two versions: a youth that keeps only the first is asked, and answered under both", async () => {
    const service = serviceOf([1, 2]);
    const rows = [youth(0, keptBy(service, [1])), youth(1, keptBy(service, [1, 2]))];
    const { ps, fresh } = await pseudonymsKept(service.rpc, rows, [1, 2], itemsOfRows);
    expect(service.asked).toEqual([4]);
    expect(ps.versions).toEqual([1, 2]);
    expectPseudonyms(ps, rows, 1, service);
    expectPseudonyms(ps, rows, 2, service);
    expect(fresh.map((f) => Object.keys(f.pseudoniemen))).toEqual([["1", "2"]]);
  });

  it("a version the service no longer holds: every value is asked, and the answer is under the service's versions", async () => {
    const service = serviceOf([2]);
    const old = serviceOf([1]);
    const rows = [youth(0, keptBy(old, [1])), youth(1)];
    const { ps } = await pseudonymsKept(service.rpc, rows, [1], itemsOfRows);
    expect(ps.versions).toEqual([2]);
    expectPseudonyms(ps, rows, 2, service);
  });
});

describe("keptOf (what a registration keeps)", () => {
  it("keeps the youth's, the parents' in order and the address's pseudonym per version; nothing when one is missing", async () => {
    const service = serviceOf([1, 2]);
    const row = youth(3);
    const ps = await pseudonymise(service.rpc, itemsOfRows([row]));
    expect(keptOf(ps, row)).toEqual(keptBy(service, [1, 2])(row));
    const partial = await pseudonymise(service.rpc, itemsOfRows([{ ...row, ouders: ["p3a"] }]));
    expect(keptOf(partial, row)).toBeUndefined();
  });
});
