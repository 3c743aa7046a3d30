/**
 * The hub against a real NATS JetStream server (NATS_URL, default
 * nats://127.0.0.1:4222) in a bus namespace of its own. Fails, never skips,
 * when the server cannot be reached.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectNatsBus, type Bus } from "@vi/bus";
import { matchId, memoryReplayGuard, signEvent, openEvent, sealEvent, type EventData } from "@vi/events";
import { freshNamespace, natsUrl } from "../../../test/support/constants";
import { deleteNamespaceStreams } from "../../../test/support/processes";
import { adamEnNoor, startTestHub, waitFor, type TestHub } from "./support";

const servers = natsUrl();
const namespace = freshNamespace("hubt");
let h: TestHub;

async function connect(name: string): Promise<Bus> {
  try {
    return await connectNatsBus({ servers, name, namespace });
  } catch (e) {
    throw new Error(`NATS at ${servers} is not reachable (${(e as Error).message}); start nats-server -js or set NATS_URL`);
  }
}

beforeAll(async () => {
  h = await startTestHub({ bus: connect });
});
afterAll(async () => {
  await h?.close();
  // The namespace's streams go with the suite, so the shared NATS keeps nothing of it.
  await deleteNamespaceStreams(servers, namespace);
});

describe("over NATS JetStream", () => {
  const { adam, noor, pseudonyms } = adamEnNoor();
  const id = matchId(adam.signaalId, noor.signaalId);

  it("Adam and Noor: one hub match, a verified melding on evt.melding.GM0363.hub and evt.melding.GM0479.hub", async () => {
    expect(h.hub.ctx.bus.kind).toBe("nats");
    const n = h.handledCount();
    await h.publishIndex(h.nodes.GM0363, adam);
    await h.publishIndex(h.nodes.GM0479, noor);
    await h.handled(n, 2);
    expect(await h.matchIds()).toEqual([id]);
    await waitFor("meldingen", () => h.nodes.GM0363.meldingen.length === 1 && h.nodes.GM0479.meldingen.length === 1);
    expect(h.nodes.GM0363.meldingen[0]!.data).toMatchObject({
      matchId: id,
      soort: "gezin",
      voor: { signaalId: adam.signaalId },
      betrokkene: { email: noor.professional.email },
    });
    expect(h.nodes.GM0479.meldingen[0]!.data).toMatchObject({
      matchId: id,
      soort: "gezin",
      voor: { signaalId: noor.signaalId },
      betrokkene: { email: adam.professional.email },
    });
    for (const m of [...h.nodes.GM0363.meldingen, ...h.nodes.GM0479.meldingen]) {
      const payload = Buffer.from(m.token.split(".")[1]!, "base64url").toString("utf8");
      for (const p of pseudonyms) expect(payload).not.toContain(p);
    }
  });

  it("a replayed token and a re-publish with a new jti make no second match or melding", async () => {
    const signed = await signEvent(h.nodes.GM0479.keys, { type: "signaal.index", aud: "hub", data: noor });
    let n = h.handledCount();
    await h.publishRaw(h.nodes.GM0479, signed.token, signed.jti);
    await h.handled(n);
    const replayed = h.hub.ctx.metrics.rejected.replayed;
    n = h.handledCount();
    await h.publishRaw(h.nodes.GM0479, signed.token); // new msgId: past JetStream's duplicate window
    await h.handled(n);
    expect(h.hub.ctx.metrics.rejected.replayed).toBe(replayed + 1);
    expect(await h.matchIds()).toEqual([id]);
    await h.hub.ctx.relay.flush();
    await new Promise((r) => setTimeout(r, 300));
    expect(h.nodes.GM0363.meldingen).toHaveLength(1);
    expect(h.nodes.GM0479.meldingen).toHaveLength(1);
  });

  it("a wrong-audience event is rejected, acknowledged (not redelivered) and changes nothing", async () => {
    const before = await h.counts();
    const count = h.hub.ctx.metrics.rejected["wrong-audience"];
    const n = h.handledCount();
    await h.publishIndex(h.nodes.GM0363, { ...adam, versie: adam.versie + 1 }, { aud: "GM0479" });
    await h.handled(n);
    await new Promise((r) => setTimeout(r, 500));
    expect(h.hub.ctx.metrics.rejected["wrong-audience"]).toBe(count + 1); // once: acknowledged, never retried
    expect(await h.counts()).toEqual(before);
  });

  it("rebuild over rpc.<GM> yields the same hub matches", async () => {
    const snapshot: Record<string, EventData<"signaal.index">[]> = { GM0363: [adam], GM0479: [noor] };
    const stops = [];
    for (const node of Object.values(h.nodes)) {
      const replay = memoryReplayGuard();
      stops.push(
        await node.bus.serve(`rpc.${node.code}`, async (token) => {
          const req = await openEvent(token, { keys: node.keys, trust: h.trust, audience: node.code, replay, expect: ["rpc.request"] });
          if (req.iss !== "hub" || req.data.op !== "index.opvragen") throw new Error("unexpected request");
          return (
            await sealEvent(node.keys, h.trust, { type: "rpc.reply", aud: req.iss, ttlSec: 60, data: { ok: true, result: { entries: snapshot[node.code] } } })
          ).token;
        }),
      );
    }
    try {
      const report = await h.hub.rebuild();
      expect(report).toEqual({
        nodes: { GM0363: 1, GM0479: 1 },
        paginas: { GM0363: 1, GM0479: 1 },
        sleutelversie: 1,
        indexed: 2,
        matches: [id],
        added: [],
        duurMs: { paginas: expect.any(Number), opslaan: expect.any(Number), afronding: expect.any(Number) },
      });
      expect(await h.matchIds()).toEqual([id]);
    } finally {
      for (const s of stops) await s.stop();
    }
  });
});
