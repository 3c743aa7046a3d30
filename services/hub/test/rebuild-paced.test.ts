/**
 * The rebuild paced and retried (docs/adr/0040): at most REBUILD_PARALLEL nodes
 * are paged at a time, a page that fails for a passing reason is asked again
 * from the same cursor, and a refusal that would come again is not. Three
 * nodes in the hub's registry are answered by an RPC client of the test's own
 * (passed to rebuildIndex), which counts the requests in flight and can fail
 * a chosen request; the hub stores on real PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { createMemoryBroker } from "@vi/bus";
import { rowsOf } from "@vi/db";
import { type RpcArgs, type RpcClient, type RpcOp, RpcRefused, RpcUnreachable } from "@vi/events";
import { rebuildIndex } from "../src/index";
import { freshNamespace } from "../../../test/support/constants";
import { entry, ps, startTestHub, type IndexData, type TestHub } from "./support";

const namespace = freshNamespace("rp");
const broker = createMemoryBroker({ namespace });
const CODES = ["GM0363", "GM0453", "GM0479"] as const;
/** Signals per node, two per page: three pages each. */
const SIGNALS = 5;
/**
 * What each node holds, in id order: youth i of Amsterdam and of Zaanstad share parent P<i> (a gezin match each);
 * GM0453's youths have parents of their own (it has no simulated node to receive a melding or its matchregie).
 */
const held = new Map<string, IndexData[]>();
let h: TestHub;

beforeAll(async () => {
  h = await startTestHub({ bus: (name) => broker.connect(name), extraNodes: ["GM0453"] });
  for (const code of CODES) {
    const parent = (i: number) => ps("ouder", code === "GM0453" ? `${code}-P${i}` : `P${i}`);
    const entries = Array.from({ length: SIGNALS }, (_, i) =>
      entry({ node: code, jeugdige: ps("jeugdige", `${code}-${i}`), ouders: [parent(i)], email: `prof@${code.toLowerCase()}.example` }),
    );
    held.set(
      code,
      entries.sort((a, b) => (a.signaalId < b.signaalId ? -1 : 1)),
    );
  }
  h.hub.ctx.config.REBUILD_PAGE_SIZE = 2;
});
afterAll(async () => {
  await h?.close();
});

interface Call {
  node: string;
  na: string | undefined;
}

/**
 * The nodes as an RPC client: pages of `held` as a node cuts them; `fail` may turn a request (the node's n-th, from
 * 0) into an error. Each answer comes a moment later, so that every request the rebuild sends beside it is sent first.
 */
function fakeNodes(fail?: (call: Call & { n: number }) => Error | undefined) {
  const calls: Call[] = [];
  const seen = { inFlight: 0, maxInFlight: 0 };
  const rpc: RpcClient = {
    async call(to: string, op: RpcOp, _actor: unknown, args: unknown) {
      if (op !== "index.opvragen") throw new Error(`unexpected op ${op}`);
      const { na, limiet } = args as RpcArgs<"index.opvragen">;
      const n = calls.filter((c) => c.node === to).length;
      calls.push({ node: to, na });
      seen.inFlight++;
      seen.maxInFlight = Math.max(seen.maxInFlight, seen.inFlight);
      try {
        await new Promise((r) => setTimeout(r, 2));
        const error = fail?.({ node: to, na, n });
        if (error) throw error;
        const after = (held.get(to) ?? []).filter((e) => !na || e.signaalId > na);
        const page = after.slice(0, limiet);
        return { entries: page, volgende: after.length > page.length ? page.at(-1)!.signaalId : null };
      } finally {
        seen.inFlight--;
      }
    },
  };
  return { rpc, calls, seen };
}

const indexRows = async () =>
  rowsOf<{ signaal_id: string; node: string; versie: string }>(
    await h.database.db.execute(sql`select signaal_id::text, node, versie::text from hub.index_signalen order by signaal_id`),
  );

/** The log lines of retried pages written since line `from`. */
const retryLines = (from: number) =>
  h.logLines
    .slice(from)
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((l) => l.msg === "index page asked again");

async function withConfig<T>(over: Partial<TestHub["hub"]["ctx"]["config"]>, fn: () => Promise<T>): Promise<T> {
  const config = h.hub.ctx.config;
  const before = { ...config };
  Object.assign(config, over);
  try {
    return await fn();
  } finally {
    Object.assign(config, before);
  }
}

describe("a paced rebuild", () => {
  it("with REBUILD_PARALLEL=1 pages one node at a time, and yields the index and the matches of the default", async () => {
    const byDefault = fakeNodes();
    const first = await rebuildIndex(h.hub.ctx, { rpc: byDefault.rpc });
    // The default (2) pages two nodes side by side: two requests in flight, never three.
    expect(h.hub.ctx.config.REBUILD_PARALLEL).toBe(2);
    expect(byDefault.seen.maxInFlight).toBe(2);
    expect(first.nodes).toEqual({ GM0363: SIGNALS, GM0453: SIGNALS, GM0479: SIGNALS });
    expect(first.paginas).toEqual({ GM0363: 3, GM0453: 3, GM0479: 3 });
    expect(first.indexed).toBe(3 * SIGNALS);
    expect(first.matches).toHaveLength(SIGNALS);
    const indexByDefault = await indexRows();

    const oneByOne = fakeNodes();
    const second = await withConfig({ REBUILD_PARALLEL: 1 }, () => rebuildIndex(h.hub.ctx, { rpc: oneByOne.rpc }));
    expect(oneByOne.seen.maxInFlight).toBe(1);
    // Each node's requests come together: a node is paged to its end before the next one's first page is asked.
    const runs = oneByOne.calls.map((c) => c.node).filter((node, i, all) => i === 0 || all[i - 1] !== node);
    expect(runs).toEqual([...CODES]);
    expect(oneByOne.calls).toHaveLength(3 * 3);
    // The same report (nothing added: the first rebuild made every match), the same index.
    expect({ ...second, duurMs: undefined }).toEqual({ ...first, added: [], duurMs: undefined });
    expect(await indexRows()).toEqual(indexByDefault);
  });
});

describe("a retried page", () => {
  it.each([
    ["a refusal because the pseudonym service was out of reach", () => new RpcRefused({ code: "PSEUDONIEMDIENST_ONBEREIKBAAR", status: 503, detail: "x" })],
    ["a refusal because the node's database was out of reach", () => new RpcRefused({ code: "NODE_ONBEREIKBAAR", status: 503, detail: "x" })],
    ["no answer in time", () => new RpcUnreachable("GM0453", "no-answer", "GM0453 did not answer index.opvragen")],
  ])("a node whose first page fails once with %s is asked again from the same cursor and fully indexed", async (_, failure) => {
    const from = h.logLines.length;
    const nodes = fakeNodes((c) => (c.node === "GM0453" && c.n === 0 ? failure() : undefined));
    const report = await rebuildIndex(h.hub.ctx, { rpc: nodes.rpc });
    expect(report.nodes).toEqual({ GM0363: SIGNALS, GM0453: SIGNALS, GM0479: SIGNALS });
    expect(report.paginas.GM0453).toBe(3);
    const ids = held.get("GM0453")!.map((e) => e.signaalId);
    // The first page twice (no cursor), then the pages after its second and fourth signal.
    expect(nodes.calls.filter((c) => c.node === "GM0453").map((c) => c.na)).toEqual([undefined, undefined, ids[1], ids[3]]);
    const retries = retryLines(from);
    expect(retries).toHaveLength(1);
    expect(retries[0]).toMatchObject({ node: "GM0453", pagina: 1, poging: 1, van: 3, wachtMs: 10 });
    // No signal, pseudonym or professional in the line.
    const line = JSON.stringify(retries[0]);
    for (const e of held.get("GM0453")!) for (const v of [e.signaalId, e.jeugdige, e.professional.email]) expect(line).not.toContain(v);
  });

  it("a node that keeps failing for a passing reason is asked REBUILD_RETRIES more times, waiting twice as long each time, then counted unreachable", async () => {
    const from = h.logLines.length;
    const nodes = fakeNodes((c) =>
      c.node === "GM0453" && c.na !== undefined ? new RpcRefused({ code: "PSEUDONIEMDIENST_ONBEREIKBAAR", status: 503, detail: "x" }) : undefined,
    );
    const report = await rebuildIndex(h.hub.ctx, { rpc: nodes.rpc });
    expect(report.nodes).toEqual({ GM0363: SIGNALS, GM0453: "onbereikbaar", GM0479: SIGNALS });
    // Its first page was stored; the second was asked 1 + 3 times from the same cursor.
    expect(report.paginas.GM0453).toBe(1);
    const second = held.get("GM0453")![1]!.signaalId;
    expect(nodes.calls.filter((c) => c.node === "GM0453").map((c) => c.na)).toEqual([undefined, second, second, second, second]);
    expect(retryLines(from).map((l) => [l.pagina, l.poging, l.wachtMs])).toEqual([
      [2, 1, 10],
      [2, 2, 20],
      [2, 3, 40],
    ]);
    // An unreachable node keeps its entries.
    expect(report.indexed).toBe(3 * SIGNALS);
  });
});

describe("a refusal that would come again", () => {
  it.each([
    ["an invalid request", () => new RpcRefused({ code: "VERZOEK_ONGELDIG", status: 400, detail: "x" })],
    ["a hub the node does not accept", () => new RpcRefused({ code: "NIET_AANGESLOTEN", status: 403, detail: "x" })],
    ["an internal error", () => new RpcRefused({ code: "INTERNE_FOUT", status: 500, detail: "x" })],
    ["a reply that is not valid", () => new RpcUnreachable("GM0453", "invalid-reply", "the reply of GM0453 to index.opvragen was not valid")],
  ])("%s is not asked again: the node is unreachable after one request, the others are indexed", async (_, failure) => {
    const from = h.logLines.length;
    const nodes = fakeNodes((c) => (c.node === "GM0453" ? failure() : undefined));
    const report = await rebuildIndex(h.hub.ctx, { rpc: nodes.rpc });
    expect(report.nodes).toEqual({ GM0363: SIGNALS, GM0453: "onbereikbaar", GM0479: SIGNALS });
    expect(nodes.calls.filter((c) => c.node === "GM0453")).toHaveLength(1);
    expect(retryLines(from)).toEqual([]);
  });
});

describe("a rebuild over an index that mostly holds what the nodes hold (docs/adr/0049)", () => {
  /** Each row's xmin (the transaction that wrote its current version) and its stored state. */
  const rowState = async () =>
    new Map(
      rowsOf<{ signaal_id: string; xmin: string; versie: string; jeugdige: string }>(
        await h.database.db.execute(sql`select signaal_id::text, xmin::text, versie::text, jeugdige from hub.index_signalen`),
      ).map((r) => [r.signaal_id, r]),
    );

  it("rewrites no unchanged row, writes the changed one, keeps the overtaken one, drops what no page named, and leaves no notes", async () => {
    const saved = new Map([...held].map(([code, entries]) => [code, [...entries]]));
    try {
      await rebuildIndex(h.hub.ctx, { rpc: fakeNodes().rpc });
      // An event overtook a page: the hub holds a newer version of GM0363's first signal than the node's page will.
      const overtaken = held.get("GM0363")![0]!;
      await h.database.db.execute(sql`update hub.index_signalen set versie = versie + 5 where signaal_id = ${overtaken.signaalId}::uuid`);
      const before = await rowState();
      // GM0479's second signal changed at the node (same version, another pseudonym: as after a correction).
      const changed = held.get("GM0479")![1]!;
      held.get("GM0479")![1] = { ...changed, jeugdige: ps("jeugdige", "GM0479-corrected") };
      // GM0453 no longer holds its last signal.
      const gone = held.get("GM0453")!.pop()!;

      const report = await rebuildIndex(h.hub.ctx, { rpc: fakeNodes().rpc });
      expect(report.nodes).toEqual({ GM0363: SIGNALS, GM0453: SIGNALS - 1, GM0479: SIGNALS });
      const after = await rowState();
      expect(after.has(gone.signaalId)).toBe(false);
      expect(after.get(changed.signaalId)?.jeugdige).toBe(ps("jeugdige", "GM0479-corrected"));
      expect(after.get(changed.signaalId)?.xmin).not.toBe(before.get(changed.signaalId)?.xmin);
      expect(after.get(overtaken.signaalId)).toEqual(before.get(overtaken.signaalId));
      // Every other row is the very version stored before: not rewritten.
      const untouched = [...before.keys()].filter((id) => id !== gone.signaalId && id !== changed.signaalId);
      expect(untouched).toHaveLength(3 * SIGNALS - 2);
      for (const id of untouched) expect(after.get(id)).toEqual(before.get(id));
      const [{ n } = { n: -1 }] = rowsOf<{ n: number }>(await h.database.db.execute(sql`select count(*)::int as n from hub.herbouw_gezien`));
      expect(n).toBe(0);
    } finally {
      for (const [code, entries] of saved) held.set(code, entries);
      await rebuildIndex(h.hub.ctx, { rpc: fakeNodes().rpc });
    }
  });
});
