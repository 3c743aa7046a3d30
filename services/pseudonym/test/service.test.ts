/**
 * The pseudonym service over the in-process bus, with the shared signed RPC
 * client: who may ask, what it refuses, and its key versions during a rotation.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pino from "pino";
import { createMemoryBroker } from "@vi/bus";
import {
  createRpcClient,
  loadOrCreateServiceKeys,
  memoryKeyStore,
  memoryReplayGuard,
  pseudoniemResultaat,
  RpcRefused,
  RpcUnreachable,
  staticTrustRegistry,
  type ServiceKeys,
} from "@vi/events";
import { blindItems, evaluatePseudonym, keyOfVersion } from "@vi/pseudonym";
import { memoryKeys, parsePseudonymConfig, startPseudonymService, type RunningPseudonymService } from "../src/index";

const broker = createMemoryBroker({ namespace: "pstest", log: { warn: () => {}, error: () => {} } });
const keysOf = (iss: string) => loadOrCreateServiceKeys({ iss, store: memoryKeyStore() });
let service: RunningPseudonymService;
const keyFile = memoryKeys();
const signers: Record<string, ServiceKeys> = {};

const client = (iss: string, keys = signers[iss]!) =>
  createRpcClient({
    self: iss,
    keys,
    trust: staticTrustRegistry([signers.pseudoniem!.jwks()]),
    transport: broker.connect(iss),
    replay: memoryReplayGuard(),
    timeoutMs: 1000,
  });

beforeAll(async () => {
  // GM9999 is trusted (its key is in the registry) but no gemeente of the region.
  for (const iss of ["pseudoniem", "hub", "GM0363", "GM9999"]) signers[iss] = await keysOf(iss);
  service = await startPseudonymService({
    config: parsePseudonymConfig({ REGIO_GEMEENTEN: "GM0363,GM0479", LOG_LEVEL: "silent" }),
    keyFile,
    keys: signers.pseudoniem,
    trust: staticTrustRegistry(["hub", "GM0363", "GM9999"].map((iss) => signers[iss]!.jwks())),
    bus: broker.connect("pseudoniem"),
    log: pino({ level: "silent" }),
    http: false,
  });
});
afterAll(async () => service?.stop());

const secretOf = (versie: number) => {
  const v = keyFile.load()!.versies.find((k) => k.versie === versie)!;
  return keyOfVersion(Buffer.from(v.seed, "base64url"), "regio", versie).secretKey;
};

describe("the pseudonym service", () => {
  it("evaluates a node's blinded elements under its key: the node finalizes them into the key holder's pseudonyms", async () => {
    const items = [
      { kind: "jeugdige", value: "999900018" },
      { kind: "ouder", value: "999900043" },
    ] as const;
    const round = blindItems(items);
    const reply = pseudoniemResultaat.parse(await client("GM0363").call("pseudoniem", "pseudoniem.evalueren", null, { elementen: round.elements }));
    expect(reply.versies.map((v) => v.versie)).toEqual([1]);
    expect(round.finish(reply.versies[0]!.elementen)).toEqual(items.map((i) => evaluatePseudonym(secretOf(1), i)));
  });

  it("refuses a caller that is no node of the region nor the hub, and never answers an unknown signer", async () => {
    const round = blindItems([{ kind: "jeugdige", value: "999900018" }]);
    const refused = await client("GM9999")
      .call("pseudoniem", "pseudoniem.evalueren", null, { elementen: round.elements })
      .catch((e) => e);
    expect(refused).toBeInstanceOf(RpcRefused);
    expect((refused as RpcRefused).problem).toMatchObject({ code: "NIET_TOEGESTAAN", status: 403 });
    const stranger = await keysOf("GM0479"); // a gemeente of the region, but a key nobody registered
    const unanswered = await client("GM0479", stranger)
      .call("pseudoniem", "pseudoniem.evalueren", null, { elementen: round.elements })
      .catch((e) => e);
    expect(unanswered).toBeInstanceOf(RpcUnreachable);
    expect(service.ctx.metrics.refused).toMatchObject({ "niet-toegestaan": 1, "unknown-issuer": 1 });
  });

  it("refuses an element that is no ristretto255 element (Problem ELEMENT_ONGELDIG)", async () => {
    const refused = await client("GM0363")
      .call("pseudoniem", "pseudoniem.evalueren", null, { elementen: ["A".repeat(43)] })
      .catch((e) => e);
    expect(refused).toBeInstanceOf(RpcRefused);
    expect((refused as RpcRefused).problem.code).toBe("ELEMENT_ONGELDIG");
  });

  it("lets only the hub change key versions; during a rotation it evaluates under both, then only under the new one", async () => {
    const nodeTry = await client("GM0363")
      .call("pseudoniem", "pseudoniem.sleutel.nieuw", null, {})
      .catch((e) => e);
    expect((nodeTry as RpcRefused).problem?.code).toBe("NIET_TOEGESTAAN");
    expect(keyFile.load()!.versies.map((v) => v.versie)).toEqual([1]);

    expect(await client("hub").call("pseudoniem", "pseudoniem.sleutel.nieuw", null, {})).toEqual({ versies: [1, 2] });
    // Asked again while the rotation runs: nothing is added.
    expect(await client("hub").call("pseudoniem", "pseudoniem.sleutel.nieuw", null, {})).toEqual({ versies: [1, 2] });
    const item = { kind: "adres", value: "0363010000000001" } as const;
    const round = blindItems([item]);
    const both = pseudoniemResultaat.parse(await client("GM0363").call("pseudoniem", "pseudoniem.evalueren", null, { elementen: round.elements }));
    expect(both.versies.map((v) => v.versie)).toEqual([1, 2]);
    const [p1, p2] = both.versies.map((v) => round.finish(v.elementen)[0]);
    expect(p1).toBe(evaluatePseudonym(secretOf(1), item));
    expect(p2).toBe(evaluatePseudonym(secretOf(2), item));
    expect(p1).not.toBe(p2);

    expect(await client("hub").call("pseudoniem", "pseudoniem.sleutel.intrekken", null, { versie: 1 })).toEqual({ versies: [2] });
    const last = await client("hub")
      .call("pseudoniem", "pseudoniem.sleutel.intrekken", null, { versie: 2 })
      .catch((e) => e);
    expect((last as RpcRefused).problem?.code).toBe("LAATSTE_SLEUTELVERSIE");
    const after = pseudoniemResultaat.parse(
      await client("GM0363").call("pseudoniem", "pseudoniem.evalueren", null, { elementen: blindItems([item]).elements }),
    );
    expect(after.versies.map((v) => v.versie)).toEqual([2]);
  });
});
