/**
 * How a node asks the pseudonym service for many values (services/node/src/outbound/pseudonyms.ts): in requests of at
 * most PSEUDONYM_CHUNK distinct values, so that a page of the hub's rebuild (about 1,000 values) does not hold the
 * service, and every other node's request behind it, for one long evaluation (docs/adr/0040). The service is played
 * by an RPC client that evaluates with a key of the test's own, so the pseudonyms can be checked too.
 */
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { RpcArgs, RpcClient, RpcOp } from "@vi/events";
import { blindEvaluate, evaluatePseudonym, fromWire, keyOfVersion, MAX_ELEMENTS_PER_REQUEST, type PseudonymItem, toWire } from "@vi/pseudonym";
import { PSEUDONYM_CHUNK, pseudonymise } from "../../services/node/src/outbound/pseudonyms";

const KEY = keyOfVersion(randomBytes(32), "regio", 1).secretKey;

function pseudonymService() {
  const sizes: number[] = [];
  const rpc: RpcClient = {
    async call(_to: string, op: RpcOp, _actor: unknown, args: unknown) {
      if (op !== "pseudoniem.evalueren") throw new Error(`unexpected op ${op}`);
      const { elementen } = args as RpcArgs<"pseudoniem.evalueren">;
      sizes.push(elementen.length);
      return { versies: [{ versie: 1, elementen: elementen.map((e) => toWire(blindEvaluate(KEY, fromWire(e)))) }] };
    },
  };
  return { rpc, sizes };
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
    const service = pseudonymService();
    const items = page(250);
    const ps = await pseudonymise(service.rpc, items);
    expect(service.sizes).toEqual([250, 250, 250, 250]);
    expect(ps.versions).toEqual([1]);
    for (const item of items) expect(ps.get(1, item)).toBe(evaluatePseudonym(KEY, item));
  });

  it("asks for a registration's few values in one request, each distinct value once", async () => {
    const service = pseudonymService();
    const youth = page(1);
    const ps = await pseudonymise(service.rpc, [...youth, youth[1]!]);
    expect(service.sizes).toEqual([4]);
    for (const item of youth) expect(ps.get(1, item)).toBe(evaluatePseudonym(KEY, item));
  });
});
