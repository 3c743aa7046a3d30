import { type Bus, createMemoryBroker } from "@vi/bus";
import { afterEach, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import {
  createRpcClient,
  EventMetrics,
  memoryReplayGuard,
  type RemoteProblem,
  type RpcHandlers,
  RpcRefused,
  type RpcRequest,
  type RpcTransport,
  RpcUnreachable,
  type ServiceKeys,
  serveRpc,
  signEvent,
  staticTrustRegistry,
  subjects,
  type TrustRegistry,
  openEvent,
  openSealed,
  sealToken,
} from "../src/index";
import { decodePart, encKidOf, SAMPLE_DATA, service } from "./fixtures";

const ACTOR = SAMPLE_DATA["rpc.request"].actor;
const SIGNAAL_ID = "5b6c2f0e-8f1d-4c39-9d43-0c1b7a2e9f10";
const quiet = { warn: () => {}, error: () => {} };

/** A Problem-like error a handler throws. */
class Refusal extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    detail: string,
  ) {
    super(detail);
  }
}

const toProblemCalls: Array<{ error: unknown; op: string }> = [];
function toProblem(error: unknown, op: string): RemoteProblem {
  toProblemCalls.push({ error, op });
  if (error instanceof Refusal) return { code: error.code, status: error.status, detail: error.message };
  return { code: "INTERNE_FOUT", status: 500, detail: "Er ging iets mis." };
}

const buses: Bus[] = [];
afterEach(async () => {
  await Promise.all(buses.splice(0).map((b) => b.close()));
  toProblemCalls.length = 0;
});

interface Ctx {
  seen: Array<{ op: string; req: RpcRequest<"signaal.lezen"> | RpcRequest<"signaal.registreren"> }>;
}

async function setup() {
  const broker = createMemoryBroker({ log: quiet });
  const [hub, node, other] = await Promise.all([service("hub"), service("GM0363"), service("GM0479")]);
  const trust = staticTrustRegistry([hub.keys.jwks(), node.keys.jwks(), other.keys.jwks()]);
  const connect = (name: string) => {
    const bus = broker.connect(name);
    buses.push(bus);
    return bus;
  };
  const hubBus = connect("hub");
  const nodeBus = connect("GM0363");
  const ctx: Ctx = { seen: [] };
  const handlers: RpcHandlers<Ctx> = {
    "signaal.lezen": async (c, req) => {
      c.seen.push({ op: "signaal.lezen", req });
      if (req.args.signaalId === "00000000-0000-4000-8000-000000000000") throw new Refusal("SIGNAAL_NIET_GEVONDEN", 404, "Geen signaal met dit kenmerk.");
      if (req.args.signaalId === "00000000-0000-4000-8000-00000000dead") throw new Error("database connection lost");
      return { signaalId: req.args.signaalId, status: "actief", door: req.iss };
    },
    "signaal.registreren": async (c, req) => {
      c.seen.push({ op: "signaal.registreren", req });
      return undefined;
    },
  };
  const serverMetrics = new EventMetrics();
  const rejectedRequests: string[] = [];
  const serve = (opts: { self?: string; keys?: ServiceKeys; bus?: Bus; trust?: TrustRegistry; queue?: string; metrics?: EventMetrics } = {}) =>
    serveRpc<Ctx>({
      self: opts.self ?? "GM0363",
      keys: opts.keys ?? node.keys,
      trust: opts.trust ?? trust,
      transport: opts.bus ?? nodeBus,
      replay: memoryReplayGuard(),
      metrics: opts.metrics ?? serverMetrics,
      ctx,
      handlers,
      queue: opts.queue ?? "GM0363",
      toProblem,
      onRejectedRequest: (reason) => rejectedRequests.push(reason),
    });
  const clientMetrics = new EventMetrics();
  const rejectedReplies: Array<{ to: string; reason: string }> = [];
  const client = (opts: { transport?: RpcTransport; keys?: ServiceKeys; self?: string; timeoutMs?: number } = {}) =>
    createRpcClient({
      self: opts.self ?? "hub",
      keys: opts.keys ?? hub.keys,
      trust,
      transport: opts.transport ?? hubBus,
      replay: memoryReplayGuard(),
      metrics: clientMetrics,
      timeoutMs: opts.timeoutMs ?? 2000,
      onRejectedReply: (to, reason) => rejectedReplies.push({ to, reason }),
    });
  /** A request signed by hand (bypassing the client's checks), sent raw on the node's subject. */
  const sendRaw = async (data: { op: string; actor: null; args?: unknown }, aud = "GM0363", keys = hub.keys) => {
    const { token: signed } = await signEvent(keys, { type: "rpc.request", aud, data });
    // Encrypted to the node whose subject it is sent on, whatever its aud says.
    const token = await sealToken(signed, "GM0363", trust);
    return { token, answer: await hubBus.request(subjects.rpc("GM0363"), token, 2000) };
  };
  const readReply = (token: string) => openEvent(token, { keys: hub.keys, trust, audience: "hub", replay: memoryReplayGuard(), expect: ["rpc.reply"] });
  return {
    broker,
    hub,
    node,
    other,
    trust,
    connect,
    hubBus,
    nodeBus,
    ctx,
    serve,
    client,
    sendRaw,
    readReply,
    serverMetrics,
    clientMetrics,
    rejectedRequests,
    rejectedReplies,
  };
}

/** Wraps a transport and records every request it sends. */
function recording(inner: RpcTransport) {
  const sent: Array<{ subject: string; data: string }> = [];
  const replies: string[] = [];
  const transport: RpcTransport = {
    request: async (subject, data, timeoutMs) => {
      sent.push({ subject, data });
      const reply = await inner.request(subject, data, timeoutMs);
      replies.push(reply);
      return reply;
    },
    serve: (subject, handler, opts) => inner.serve(subject, handler, opts),
  };
  return { transport, sent, replies };
}

async function caught(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (e: unknown) => e,
  );
}

describe("RPC: a call that is carried out", () => {
  it("reaches the handler of its op with the parsed args, the sender's iss and the actor, and resolves with the result", async () => {
    const s = await setup();
    await s.serve();
    const result = await s.client().call("GM0363", "signaal.lezen", ACTOR, { signaalId: SIGNAAL_ID });
    expect(result).toEqual({ signaalId: SIGNAAL_ID, status: "actief", door: "hub" });
    expect(s.ctx.seen).toEqual([{ op: "signaal.lezen", req: { iss: "hub", actor: ACTOR, args: { signaalId: SIGNAAL_ID } } }]);
    expect(s.serverMetrics.accepted).toBe(1);
    expect(s.clientMetrics.accepted).toBe(1);
  });

  it("travels as a signed rpc.request encrypted to the node asked, on that node's subject; the reply is encrypted to the asker", async () => {
    const s = await setup();
    await s.serve();
    const { transport, sent, replies } = recording(s.hubBus);
    await s.client({ transport }).call("GM0363", "signaal.lezen", null, { signaalId: SIGNAAL_ID });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.subject).toBe("rpc.GM0363");
    // On the bus: a compact JWE to GM0363's encryption key; nothing of the request readable.
    expect(sent[0]!.data.split(".")).toHaveLength(5);
    expect(decodePart(sent[0]!.data, 0)).toMatchObject({ alg: "ECDH-ES", enc: "A256GCM", cty: "vi-event+jwt", kid: encKidOf(s.node.keys) });
    expect(sent[0]!.data).not.toContain(SIGNAAL_ID);
    await expect(openSealed(sent[0]!.data, { keys: s.other.keys })).rejects.toMatchObject({ reason: "undecryptable" });
    expect(replies[0]!.split(".")).toHaveLength(5);
    expect(decodePart(replies[0]!, 0)).toMatchObject({ alg: "ECDH-ES", kid: encKidOf(s.hub.keys) });
    const payload = decodePart(await openSealed(sent[0]!.data, { keys: s.node.keys }), 1);
    expect(payload).toMatchObject({
      iss: "hub",
      aud: "GM0363",
      type: "rpc.request",
      data: { op: "signaal.lezen", actor: null, args: { signaalId: SIGNAAL_ID } },
    });
    expect((payload.exp as number) - (payload.iat as number)).toBe(60);
  });

  it("strips members the op's schema does not know, at the client and again at the server", async () => {
    const s = await setup();
    await s.serve();
    const input = { bsn: "999990019", geinformeerd: true, naam: "Adam" } as { bsn: string; geinformeerd: boolean };
    await s.client().call("GM0363", "signaal.registreren", ACTOR, { input });
    const { answer } = await s.sendRaw({
      op: "signaal.registreren",
      actor: null,
      args: { input: { bsn: "999990019", geinformeerd: false, adres: "x" }, extra: 1 },
    });
    expect((await s.readReply(answer)).data).toEqual({ ok: true, result: null });
    expect(s.ctx.seen.map((x) => x.req.args)).toEqual([
      { input: { bsn: "999990019", geinformeerd: true } },
      { input: { bsn: "999990019", geinformeerd: false } },
    ]);
  });

  it("resolves with null when the handler returns nothing", async () => {
    const s = await setup();
    await s.serve();
    expect(await s.client().call("GM0363", "signaal.registreren", ACTOR, { input: { bsn: "999990019", geinformeerd: true } })).toBeNull();
  });

  it("replicas in one queue group share the requests: each call is handled once", async () => {
    const s = await setup();
    await s.serve();
    await s.serve({ bus: s.connect("GM0363-b") });
    const client = s.client();
    for (let i = 0; i < 4; i++) await client.call("GM0363", "signaal.lezen", null, { signaalId: SIGNAAL_ID });
    expect(s.ctx.seen).toHaveLength(4);
  });
});

describe("RPC: refusals", () => {
  it("a handler's error becomes the reply's problem via toProblem, and the client throws RpcRefused with it", async () => {
    const s = await setup();
    await s.serve();
    const e = await caught(s.client().call("GM0363", "signaal.lezen", ACTOR, { signaalId: "00000000-0000-4000-8000-000000000000" }));
    expect(e).toBeInstanceOf(RpcRefused);
    expect((e as RpcRefused).problem).toEqual({ code: "SIGNAAL_NIET_GEVONDEN", status: 404, detail: "Geen signaal met dit kenmerk." });
    expect((e as RpcRefused).message).toBe("Geen signaal met dit kenmerk.");
    expect(toProblemCalls).toHaveLength(1);
    expect(toProblemCalls[0]!.op).toBe("signaal.lezen");
    expect(toProblemCalls[0]!.error).toBeInstanceOf(Refusal);
  });

  it("an unexpected handler error travels only as what toProblem makes of it", async () => {
    const s = await setup();
    await s.serve();
    const e = await caught(s.client().call("GM0363", "signaal.lezen", ACTOR, { signaalId: "00000000-0000-4000-8000-00000000dead" }));
    expect((e as RpcRefused).problem).toEqual({ code: "INTERNE_FOUT", status: 500, detail: "Er ging iets mis." });
    expect(JSON.stringify((e as RpcRefused).problem)).not.toContain("database");
  });

  it("an op the server has no handler for is refused with VERZOEK_ONGELDIG", async () => {
    const s = await setup();
    await s.serve();
    const e = await caught(s.client().call("GM0363", "signaal.intrekken", ACTOR, { signaalId: SIGNAAL_ID }));
    expect(e).toBeInstanceOf(RpcRefused);
    expect((e as RpcRefused).problem).toEqual({ code: "VERZOEK_ONGELDIG", status: 400, detail: "Onbekende opdracht signaal.intrekken." });
    expect(s.ctx.seen).toEqual([]);
  });

  it.each(["bestaat.niet", "toString", "__proto__"])("an op outside RPC_OPS (%s) is refused with VERZOEK_ONGELDIG", async (op) => {
    const s = await setup();
    await s.serve();
    const { answer } = await s.sendRaw({ op, actor: null, args: {} });
    const reply = await s.readReply(answer);
    expect(reply.iss).toBe("GM0363");
    expect(reply.data).toEqual({ ok: false, problem: { code: "VERZOEK_ONGELDIG", status: 400, detail: `Onbekende opdracht ${op}.` } });
    expect(s.ctx.seen).toEqual([]);
  });

  it("args that fail the op's schema are refused with VERZOEK_ONGELDIG and never reach the handler", async () => {
    const s = await setup();
    await s.serve();
    for (const args of [{ signaalId: "geen-uuid" }, {}, undefined, "tekst"]) {
      const { answer } = await s.sendRaw({ op: "signaal.lezen", actor: null, args });
      expect((await s.readReply(answer)).data).toEqual({
        ok: false,
        problem: { code: "VERZOEK_ONGELDIG", status: 400, detail: "De gegevens bij signaal.lezen kloppen niet." },
      });
    }
    expect(s.ctx.seen).toEqual([]);
  });

  it("the client refuses to send args that fail the op's schema", async () => {
    const s = await setup();
    await s.serve();
    const { transport, sent } = recording(s.hubBus);
    const e = await caught(s.client({ transport }).call("GM0363", "signaal.lezen", ACTOR, { signaalId: "geen-uuid" }));
    expect(e).toBeInstanceOf(ZodError);
    expect(sent).toEqual([]);
    expect(s.ctx.seen).toEqual([]);
  });
});

describe("RPC: no valid answer", () => {
  it("no server: RpcUnreachable no-answer", async () => {
    const s = await setup();
    const e = await caught(s.client({ timeoutMs: 50 }).call("GM0363", "signaal.lezen", null, { signaalId: SIGNAAL_ID }));
    expect(e).toBeInstanceOf(RpcUnreachable);
    expect((e as RpcUnreachable).why).toBe("no-answer");
    expect((e as RpcUnreachable).to).toBe("GM0363");
  });

  it("a server that does not answer within the call's timeout: RpcUnreachable no-answer", async () => {
    const s = await setup();
    // Something answers on the subject, but never in time.
    await s.nodeBus.serve(subjects.rpc("GM0363"), () => new Promise<string>((r) => setTimeout(() => r(""), 400)));
    const started = performance.now();
    const e = await caught(s.client({ timeoutMs: 10_000 }).call("GM0363", "signaal.lezen", null, { signaalId: SIGNAAL_ID }, { timeoutMs: 50 }));
    expect((e as RpcUnreachable).why).toBe("no-answer");
    expect(performance.now() - started).toBeLessThan(350);
  });

  it("a service answering on another's subject cannot read the request: it is refused as undecryptable", async () => {
    const s = await setup();
    // GM0479 listens on GM0363's subject, but the request is encrypted to GM0363.
    await s.serve({ self: "GM0363", keys: s.other.keys, bus: s.connect("GM0479"), queue: "GM0479" });
    const e = await caught(s.client().call("GM0363", "signaal.lezen", ACTOR, { signaalId: SIGNAAL_ID }));
    expect(e).toBeInstanceOf(RpcUnreachable);
    expect(s.rejectedRequests).toEqual(["undecryptable"]);
    expect(s.serverMetrics.rejected.undecryptable).toBe(1);
    expect(s.ctx.seen).toEqual([]);
  });

  it("a reply signed by another service than the one asked: RpcUnreachable wrong-signer", async () => {
    const s = await setup();
    // GM0479 answers a request to GM0363 (encrypted to the asker, as a reply is), but can only sign as itself.
    const transport: RpcTransport = {
      request: async () => sealToken((await signEvent(s.other.keys, { type: "rpc.reply", aud: "hub", data: { ok: true, result: 1 } })).token, "hub", s.trust),
      serve: () => Promise.reject(new Error("not used")),
    };
    const e = await caught(s.client({ transport }).call("GM0363", "signaal.lezen", ACTOR, { signaalId: SIGNAAL_ID }));
    expect(e).toBeInstanceOf(RpcUnreachable);
    expect((e as RpcUnreachable).why).toBe("wrong-signer");
    expect((e as RpcUnreachable).message).toContain("GM0479");
    // The reply itself verified; the signer was the problem.
    expect(s.rejectedReplies).toEqual([]);
  });

  it("a reply in clear (signed, not encrypted) is refused as unencrypted", async () => {
    const s = await setup();
    const transport: RpcTransport = {
      request: async () => (await signEvent(s.node.keys, { type: "rpc.reply", aud: "hub", data: { ok: true, result: 1 } })).token,
      serve: () => Promise.reject(new Error("not used")),
    };
    const e = await caught(s.client({ transport }).call("GM0363", "signaal.lezen", null, { signaalId: SIGNAAL_ID }));
    expect((e as RpcUnreachable).why).toBe("invalid-reply");
    expect(s.rejectedReplies).toEqual([{ to: "GM0363", reason: "unencrypted" }]);
    expect(s.clientMetrics.rejected.unencrypted).toBe(1);
  });

  it("a reply addressed to another service: RpcUnreachable invalid-reply, reported with the reason", async () => {
    const s = await setup();
    const transport: RpcTransport = {
      request: async () => sealToken((await signEvent(s.node.keys, { type: "rpc.reply", aud: "GM0344", data: { ok: true, result: 1 } })).token, "hub", s.trust),
      serve: () => Promise.reject(new Error("not used")),
    };
    const e = await caught(s.client({ transport }).call("GM0363", "signaal.lezen", null, { signaalId: SIGNAAL_ID }));
    expect((e as RpcUnreachable).why).toBe("invalid-reply");
    expect(s.rejectedReplies).toEqual([{ to: "GM0363", reason: "wrong-audience" }]);
    expect(s.clientMetrics.rejected["wrong-audience"]).toBe(1);
  });

  it("a signed event of another type as the reply: RpcUnreachable invalid-reply", async () => {
    const s = await setup();
    const transport: RpcTransport = {
      request: async () =>
        sealToken((await signEvent(s.node.keys, { type: "rpc.request", aud: "hub", data: { op: "signaal.lezen", actor: null } })).token, "hub", s.trust),
      serve: () => Promise.reject(new Error("not used")),
    };
    const e = await caught(s.client({ transport }).call("GM0363", "signaal.lezen", null, { signaalId: SIGNAAL_ID }));
    expect((e as RpcUnreachable).why).toBe("invalid-reply");
    expect(s.rejectedReplies).toEqual([{ to: "GM0363", reason: "malformed" }]);
  });

  it("a reply token that comes twice is accepted once: the second is invalid-reply (replayed)", async () => {
    const s = await setup();
    const token = await sealToken(
      (await signEvent(s.node.keys, { type: "rpc.reply", aud: "hub", data: { ok: true, result: "eerste" } })).token,
      "hub",
      s.trust,
    );
    const transport: RpcTransport = { request: async () => token, serve: () => Promise.reject(new Error("not used")) };
    const client = s.client({ transport });
    expect(await client.call("GM0363", "signaal.lezen", null, { signaalId: SIGNAAL_ID })).toBe("eerste");
    const e = await caught(client.call("GM0363", "signaal.lezen", null, { signaalId: SIGNAAL_ID }));
    expect((e as RpcUnreachable).why).toBe("invalid-reply");
    expect(s.rejectedReplies).toEqual([{ to: "GM0363", reason: "replayed" }]);
  });
});

describe("RPC: requests the server rejects", () => {
  it("a replayed request token is rejected: no signed reply, the handler ran once, and it is counted", async () => {
    const s = await setup();
    await s.serve();
    const { transport, sent } = recording(s.hubBus);
    await s.client({ transport }).call("GM0363", "signaal.lezen", ACTOR, { signaalId: SIGNAAL_ID });
    expect(s.serverMetrics.rejected.replayed).toBe(0);

    const replayed = await s.hubBus.request(subjects.rpc("GM0363"), sent[0]!.data, 2000);
    expect(replayed).toBe("");
    expect(s.ctx.seen).toHaveLength(1);
    expect(s.serverMetrics.rejected.replayed).toBe(1);
    expect(s.serverMetrics.accepted).toBe(1);
    expect(s.rejectedRequests).toEqual(["replayed"]);
    expect(s.serverMetrics.toPrometheus("GM0363")).toContain('vi_events_rejected_total{service="GM0363",reason="replayed"} 1');
  });

  it("a request addressed to another node is rejected (wrong-audience) and not carried out", async () => {
    const s = await setup();
    await s.serve();
    const { answer } = await s.sendRaw({ op: "signaal.lezen", actor: null, args: { signaalId: SIGNAAL_ID } }, "GM0344");
    expect(answer).toBe("");
    expect(s.rejectedRequests).toEqual(["wrong-audience"]);
    expect(s.serverMetrics.rejected["wrong-audience"]).toBe(1);
    expect(s.ctx.seen).toEqual([]);
  });

  it("a request from a service the server does not trust is rejected (unknown-issuer); its client gets no valid reply", async () => {
    const s = await setup();
    const stranger = await service("GM9999");
    await s.serve();
    const e = await caught(s.client({ keys: stranger.keys, self: "GM9999" }).call("GM0363", "signaal.lezen", ACTOR, { signaalId: SIGNAAL_ID }));
    expect(e).toBeInstanceOf(RpcUnreachable);
    expect((e as RpcUnreachable).why).toBe("invalid-reply");
    expect(s.rejectedRequests).toEqual(["unknown-issuer"]);
    expect(s.serverMetrics.rejected["unknown-issuer"]).toBe(1);
    expect(s.ctx.seen).toEqual([]);
  });

  it("a request that is not a token at all is rejected as malformed", async () => {
    const s = await setup();
    await s.serve();
    expect(await s.hubBus.request(subjects.rpc("GM0363"), "geen token", 2000)).toBe("");
    expect(s.rejectedRequests).toEqual(["malformed"]);
    expect(s.serverMetrics.rejected.malformed).toBe(1);
  });
});
