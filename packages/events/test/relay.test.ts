import { type Bus, createMemoryBroker } from "@vi/bus";
import { afterEach, describe, expect, it } from "vitest";
import {
  createRpcClient,
  type Doorgifte,
  type RemoteProblem,
  type RpcHandlers,
  RpcUnreachable,
  memoryReplayGuard,
  routedTransport,
  serveRpc,
  staticTrustRegistry,
  subjects,
} from "../src/index";
import { SAMPLE_DATA, service } from "./fixtures";

const ACTOR = SAMPLE_DATA["rpc.request"].actor;
if (!ACTOR) throw new Error("the fixture has an actor");
const BSN = "999990019";
const NAAM_JEUGDIGE = "Mila de Vries";
const quiet = { warn: () => {}, error: () => {} };
const toProblem = (): RemoteProblem => ({ code: "INTERNE_FOUT", status: 500, detail: "Er ging iets mis." });

const buses: Bus[] = [];
afterEach(async () => {
  await Promise.all(buses.splice(0).map((b) => b.close()));
});

/** Two regions, each its own bus; GM0363 (Amsterdam) asks GM0392 (Haarlem) through a relay that records what it carries. */
async function setup(relayFails = false) {
  const amsterdam = createMemoryBroker({ log: quiet });
  const kennemerland = createMemoryBroker({ log: quiet });
  const [entry, neighbour, residence] = await Promise.all([service("GM0363"), service("GM0344"), service("GM0392")]);
  const trust = staticTrustRegistry([entry.keys.jwks(), neighbour.keys.jwks(), residence.keys.jwks()]);
  const connect = (broker: ReturnType<typeof createMemoryBroker>, name: string) => {
    const bus = broker.connect(name);
    buses.push(bus);
    return bus;
  };
  const entryBus = connect(amsterdam, "GM0363");
  const neighbourBus = connect(amsterdam, "GM0344");
  const residenceBus = connect(kennemerland, "GM0392");
  const otherBridgeBus = connect(kennemerland, "brug");
  const handled: Array<{ at: string; iss: string; bsn: string }> = [];
  const handlers = (at: string): RpcHandlers<null> => ({
    "signaal.registreren": async (_c, req) => {
      handled.push({ at, iss: req.iss, bsn: req.args.input.bsn });
      return { naam: NAAM_JEUGDIGE };
    },
  });
  const servers = await Promise.all(
    [
      { self: "GM0392", keys: residence.keys, bus: residenceBus },
      { self: "GM0344", keys: neighbour.keys, bus: neighbourBus },
    ].map((s) =>
      serveRpc<null>({
        self: s.self,
        keys: s.keys,
        trust,
        transport: s.bus,
        replay: memoryReplayGuard(),
        ctx: null,
        handlers: handlers(s.self),
        queue: s.self,
        toProblem,
      }),
    ),
  );
  const carried: string[] = [];
  const relay = async (d: Doorgifte) => {
    carried.push(JSON.stringify(d));
    if (relayFails) throw new Error("national index unreachable");
    const reply = await otherBridgeBus.request(d.subject, d.token, d.timeoutMs);
    carried.push(reply);
    return reply;
  };
  const client = createRpcClient({
    self: "GM0363",
    keys: entry.keys,
    trust,
    transport: routedTransport({ local: entryBus, isLocal: (s) => s === subjects.rpc("GM0344"), relay, defaultTimeoutMs: 2000 }),
    replay: memoryReplayGuard(),
    timeoutMs: 2000,
  });
  return { client, handled, carried, stop: () => Promise.all(servers.map((s) => s.stop())) };
}

describe("the sealed request/reply carried across regions by a relay", () => {
  it("a registration for a residence node in another region reaches it through the relay, verified as signed by the entry node, and the answer comes back", async () => {
    const s = await setup();
    const result = await s.client.call("GM0392", "signaal.registreren", ACTOR, { input: { bsn: BSN, geinformeerd: true } });
    expect(result).toEqual({ naam: NAAM_JEUGDIGE });
    expect(s.handled).toEqual([{ at: "GM0392", iss: "GM0363", bsn: BSN }]);
    await s.stop();
  });

  it("the relay sees neither the BSN, nor the youth's name, nor the professional's name", async () => {
    const s = await setup();
    await s.client.call("GM0392", "signaal.registreren", ACTOR, { input: { bsn: BSN, geinformeerd: true } });
    expect(s.carried).toHaveLength(2);
    const all = s.carried.join("\n");
    for (const secret of [BSN, NAAM_JEUGDIGE, ACTOR.naam, ACTOR.email]) expect(all).not.toContain(secret);
    expect(JSON.parse(s.carried[0] as string)).toMatchObject({ subject: "rpc.GM0392" });
    await s.stop();
  });

  it("a node of the own region is asked on the own bus, not through the relay", async () => {
    const s = await setup();
    await s.client.call("GM0344", "signaal.registreren", ACTOR, { input: { bsn: BSN, geinformeerd: true } });
    expect(s.handled).toEqual([{ at: "GM0344", iss: "GM0363", bsn: BSN }]);
    expect(s.carried).toEqual([]);
    await s.stop();
  });

  it("when the relay fails the call is unreachable (no answer), and nothing was handled", async () => {
    const s = await setup(true);
    const e = await s.client.call("GM0392", "signaal.registreren", ACTOR, { input: { bsn: BSN, geinformeerd: true } }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(RpcUnreachable);
    expect((e as RpcUnreachable).why).toBe("no-answer");
    expect(s.handled).toEqual([]);
    await s.stop();
  });
});
