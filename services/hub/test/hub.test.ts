/**
 * The regional hub over the in-process memory bus and real PostgreSQL:
 * cross-gemeente family matches, meldingen to both entry nodes, rejection of
 * every kind of bad event, rebuild from the nodes, trust registry, HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { createMemoryBroker } from "@vi/bus";
import { rowsOf } from "@vi/db";
import { loadOrCreateServiceKeys, matchId, memoryKeyStore, signEvent, openEvent, sealEvent, memoryReplayGuard, type EventData } from "@vi/events";
import { freshNamespace, IB, WIJKTEAM } from "../../../test/support/constants";
import { handleIndexEvents } from "../src/index-consumer";
import { adamEnNoor, entry, JGZ_ZAANSTREEK, ps, startTestHub, waitFor, type SimNode, type TestHub } from "./support";

const namespace = freshNamespace("t");
const broker = createMemoryBroker({ namespace });
let h: TestHub;

beforeAll(async () => {
  h = await startTestHub({ bus: (name) => broker.connect(name) });
});
afterAll(async () => {
  await h?.close();
});

async function publishAndWait(node: SimNode, data: EventData<"signaal.index">, o?: Parameters<TestHub["publishIndex"]>[2]) {
  const before = h.handledCount();
  const signed = await h.publishIndex(node, data, o);
  await h.handled(before);
  return signed;
}

function metric(text: string, name: string, labels: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${name}{${labels}}`) || (labels === "" && l.startsWith(`${name} `)));
  if (!line) throw new Error(`metric ${name}{${labels}} missing`);
  return Number(line.split(" ").pop());
}

describe("cross-gemeente family match", () => {
  const { adam, noor, pseudonyms } = adamEnNoor();
  const id = matchId(adam.signaalId, noor.signaalId);

  it("Adam (Amsterdam) and Noor (Zaanstad) share parent P2: one gezin match, one melding to each entry node", async () => {
    await publishAndWait(h.nodes.GM0363, adam);
    expect((await h.counts()).matches).toBe(0);
    await publishAndWait(h.nodes.GM0479, noor);

    expect(await h.matchIds()).toEqual([id]);
    const [row] = rowsOf<{ signaal_a: string; signaal_b: string; soort: string }>(
      await h.database.db.execute(sql`select signaal_a::text, signaal_b::text, soort from hub.hub_matches`),
    );
    expect(row).toEqual({ signaal_a: [adam.signaalId, noor.signaalId].sort()[0], signaal_b: [adam.signaalId, noor.signaalId].sort()[1], soort: "gezin" });

    await waitFor("meldingen", () => h.nodes.GM0363.meldingen.length >= 1 && h.nodes.GM0479.meldingen.length >= 1);
    const [toAmsterdam] = h.nodes.GM0363.meldingen;
    const [toZaanstad] = h.nodes.GM0479.meldingen;
    expect(h.nodes.GM0363.meldingen).toHaveLength(1);
    expect(h.nodes.GM0479.meldingen).toHaveLength(1);
    expect(toAmsterdam!.subject).toBe("evt.melding.GM0363.hub");
    expect(toZaanstad!.subject).toBe("evt.melding.GM0479.hub");
    expect(toAmsterdam!.iss).toBe("hub");
    expect(toAmsterdam!.data).toMatchObject({
      matchId: id,
      soort: "gezin",
      viaArchief: false,
      voor: { email: IB, signaalId: adam.signaalId },
      betrokkene: { ...noor.professional, eerderBetrokken: false },
    });
    expect(toZaanstad!.data).toMatchObject({
      matchId: id,
      soort: "gezin",
      voor: { email: JGZ_ZAANSTREEK, signaalId: noor.signaalId },
      betrokkene: { ...adam.professional, eerderBetrokken: false },
    });
    // Never a youth pseudonym, a parent, an address, or the other youth's signal.
    for (const m of [toAmsterdam!, toZaanstad!]) {
      const payload = Buffer.from(m.token.split(".")[1]!, "base64url").toString("utf8");
      for (const p of pseudonyms) expect(payload).not.toContain(p);
    }
    expect(JSON.stringify(toAmsterdam!.data)).not.toContain(noor.signaalId);
    expect(JSON.stringify(toZaanstad!.data)).not.toContain(adam.signaalId);
    // The relay marks a row published after the bus acknowledged it, which can be after a consumer already has the message.
    await waitFor("outbox drained", async () => (await h.hub.ctx.relay.pending()) === 0);
  });

  it("the same event again is a replay: rejected, nothing changes", async () => {
    const before = await h.counts();
    const replayedBefore = h.hub.ctx.metrics.rejected.replayed;
    const signed = await signEvent(h.nodes.GM0479.keys, { type: "signaal.index", aud: "hub", data: noor });
    await publishAndWait(h.nodes.GM0479, noor, { jti: signed.jti }); // first use of this jti: accepted, not newer, no change
    const n = h.handledCount();
    await h.publishRaw(h.nodes.GM0479, signed.token); // same token, new msgId (past the bus' dedup)
    await h.handled(n);
    expect(h.hub.ctx.metrics.rejected.replayed).toBe(replayedBefore + 1);
    const after = await h.counts();
    expect({ ...after, ontvangen: 0 }).toEqual({ ...before, ontvangen: 0 });
  });

  it("a re-publish with a new jti, or a newer version, makes no second match or melding", async () => {
    await publishAndWait(h.nodes.GM0479, noor);
    await publishAndWait(h.nodes.GM0363, { ...adam, versie: adam.versie + 1000 });
    await publishAndWait(h.nodes.GM0479, { ...noor, versie: noor.versie + 1000 });
    expect(await h.matchIds()).toEqual([id]);
    await h.hub.ctx.relay.flush();
    await new Promise((r) => setTimeout(r, 100));
    expect(h.nodes.GM0363.meldingen).toHaveLength(1);
    expect(h.nodes.GM0479.meldingen).toHaveLength(1);
  });

  it("archiving keeps the match; an archived signal makes no new match", async () => {
    await publishAndWait(h.nodes.GM0363, { ...adam, status: "gearchiveerd", versie: adam.versie + 2000 });
    const [stored] = rowsOf<{ status: string }>(await h.database.db.execute(sql`select status from hub.index_signalen where signaal_id = ${adam.signaalId}`));
    expect(stored?.status).toBe("gearchiveerd");
    expect(await h.matchIds()).toEqual([id]);
    // an older version arriving late changes nothing
    await publishAndWait(h.nodes.GM0363, { ...adam, status: "actief", versie: adam.versie + 1500 });
    const [still] = rowsOf<{ status: string }>(await h.database.db.execute(sql`select status from hub.index_signalen where signaal_id = ${adam.signaalId}`));
    expect(still?.status).toBe("gearchiveerd");
    // a third professional on another sibling in Zaanstad: matches Noor? same node → no; Adam archived → no
    const sibling = entry({ node: "GM0479", jeugdige: ps("jeugdige", "noor-zus"), ouders: [ps("ouder", "P1")], email: WIJKTEAM });
    await publishAndWait(h.nodes.GM0479, sibling);
    expect(await h.matchIds()).toEqual([id]);
  });
});

describe("a removed signal leaves no trace at the hub", () => {
  it("a verwijderd entry deletes its index row and its hub matches, tells both entry nodes, and a late older event does not bring it back", async () => {
    const a = entry({ node: "GM0363", jeugdige: ps("jeugdige", "weg-1"), ouders: [ps("ouder", "W1")], email: "weg-a@school.example" });
    const b = entry({ node: "GM0479", jeugdige: ps("jeugdige", "weg-2"), ouders: [ps("ouder", "W1")], email: "weg-b@school.example" });
    await publishAndWait(h.nodes.GM0363, a);
    await publishAndWait(h.nodes.GM0479, b);
    const id = matchId(a.signaalId, b.signaalId);
    expect(await h.matchIds()).toContain(id);
    const figuresBefore = (await h.get("/metrics")).text;
    const before = { GM0363: h.nodes.GM0363.verwijderd.length, GM0479: h.nodes.GM0479.verwijderd.length };

    await publishAndWait(h.nodes.GM0479, { ...b, status: "verwijderd", versie: b.versie + 1 });

    expect(await h.matchIds()).not.toContain(id);
    const rows = rowsOf(await h.database.db.execute(sql`select signaal_id from hub.index_signalen where signaal_id = ${b.signaalId}`));
    expect(rows).toEqual([]);
    const text = JSON.stringify(rowsOf(await h.database.db.execute(sql`select * from hub.index_signalen`)));
    expect(text).not.toContain("weg-b@school.example");
    // Both entry nodes are told to delete their meldingen of the match.
    await waitFor(
      "match.verwijderd at both entry nodes",
      () => h.nodes.GM0363.verwijderd.length > before.GM0363 && h.nodes.GM0479.verwijderd.length > before.GM0479,
    );
    expect(h.nodes.GM0363.verwijderd.at(-1)).toEqual({ iss: "hub", data: { matchIds: [id] } });
    expect(h.nodes.GM0479.verwijderd.at(-1)).toEqual({ iss: "hub", data: { matchIds: [id] } });
    // The hub no longer counts it.
    const figuresAfter = (await h.get("/metrics")).text;
    const matchesMetric = (t: string) =>
      Number(
        t
          .split("\n")
          .find((l) => /^vi_hub_matches /.test(l))
          ?.split(" ")
          .pop(),
      );
    expect(matchesMetric(figuresAfter)).toBe(matchesMetric(figuresBefore) - 1);

    // An older event about the removed signal, arriving late, does not bring it back.
    await publishAndWait(h.nodes.GM0479, { ...b, versie: b.versie });
    expect(rowsOf(await h.database.db.execute(sql`select signaal_id from hub.index_signalen where signaal_id = ${b.signaalId}`))).toEqual([]);
    expect(await h.matchIds()).not.toContain(id);
  });
});

describe("at-least-once delivery", () => {
  it("a change that fails after the checks is retried and applied, not mistaken for a replay (jti recorded in the same transaction)", async () => {
    const a = entry({ node: "GM0363", jeugdige: ps("jeugdige", "retry-1"), ouders: [ps("ouder", "R1")], email: "g@school.example" });
    const b = entry({ node: "GM0479", jeugdige: ps("jeugdige", "retry-2"), ouders: [ps("ouder", "R1")], email: "h@school.example" });
    await publishAndWait(h.nodes.GM0363, a);
    // The first attempt to store b fails inside the transaction (after verification); a sequence is not rolled back.
    await h.database.db.execute(
      sql.raw(`
      create sequence hub.faal_eenmaal;
      create function hub.faal_eenmaal() returns trigger language plpgsql as $$
      begin
        if new.jeugdige = '${b.jeugdige}' and nextval('hub.faal_eenmaal') = 1 then raise exception 'simulated crash'; end if;
        return new;
      end $$;
      create trigger faal_eenmaal before insert on hub.index_signalen for each row execute function hub.faal_eenmaal();`),
    );
    try {
      const replayed = h.hub.ctx.metrics.rejected.replayed;
      const accepted = h.hub.ctx.metrics.accepted;
      await h.publishIndex(h.nodes.GM0479, b);
      await waitFor("the redelivery to be applied", () => h.hub.ctx.metrics.accepted === accepted + 1);
      expect(h.hub.ctx.metrics.rejected.replayed).toBe(replayed);
      expect(await h.matchIds()).toContain(matchId(a.signaalId, b.signaalId));
      expect(h.logLines.some((l) => l.includes("index event not applied; will be redelivered"))).toBe(true);
    } finally {
      await h.database.db.execute(
        sql.raw(`drop trigger faal_eenmaal on hub.index_signalen; drop function hub.faal_eenmaal(); drop sequence hub.faal_eenmaal;`),
      );
    }
  });
});

describe("what is not a hub match", () => {
  it("siblings in the same gemeente: the node's business, no hub match", async () => {
    const a = entry({
      node: "GM0363",
      jeugdige: ps("jeugdige", "sam"),
      ouders: [ps("ouder", "S1")],
      adres: ps("adres", "kalverstraat-2"),
      email: "a@school-a.example",
    });
    const b = entry({
      node: "GM0363",
      jeugdige: ps("jeugdige", "sara"),
      ouders: [ps("ouder", "S1")],
      adres: ps("adres", "kalverstraat-2"),
      email: "b@school-b.example",
    });
    const before = await h.matchIds();
    await publishAndWait(h.nodes.GM0363, a);
    await publishAndWait(h.nodes.GM0363, b);
    expect(await h.matchIds()).toEqual(before);
  });

  it("an institution address (null) matches nobody by address; a shared residential address does", async () => {
    const before = await h.matchIds();
    const i1 = entry({ node: "GM0363", jeugdige: ps("jeugdige", "inst-1"), adres: null, email: "c@instelling.example" });
    const i2 = entry({ node: "GM0479", jeugdige: ps("jeugdige", "inst-2"), adres: null, email: "d@instelling.example" });
    await publishAndWait(h.nodes.GM0363, i1);
    await publishAndWait(h.nodes.GM0479, i2);
    expect(await h.matchIds()).toEqual(before);

    const r1 = entry({ node: "GM0363", jeugdige: ps("jeugdige", "huis-1"), adres: ps("adres", "grensweg-9"), email: "e@school.example" });
    const r2 = entry({ node: "GM0479", jeugdige: ps("jeugdige", "huis-2"), adres: ps("adres", "grensweg-9"), email: "f@school.example" });
    await publishAndWait(h.nodes.GM0363, r1);
    await publishAndWait(h.nodes.GM0479, r2);
    expect(await h.matchIds()).toEqual([...before, matchId(r1.signaalId, r2.signaalId)].sort());
  });

  it("the same professional on both youths gets no match with themself", async () => {
    const before = await h.matchIds();
    const a = entry({ node: "GM0363", jeugdige: ps("jeugdige", "zelf-1"), ouders: [ps("ouder", "Z1")], email: "zelfde@school.example" });
    const b = entry({ node: "GM0479", jeugdige: ps("jeugdige", "zelf-2"), ouders: [ps("ouder", "Z1")], email: "Zelfde@School.example" });
    await publishAndWait(h.nodes.GM0363, a);
    await publishAndWait(h.nodes.GM0479, b);
    expect(await h.matchIds()).toEqual(before);
  });
});

describe("rejected events: counted, acknowledged, nothing changed", () => {
  const fresh = (tag: string) =>
    entry({
      node: "GM0363",
      jeugdige: ps("jeugdige", `bad-${tag}`),
      ouders: [ps("ouder", "P2")],
      adres: ps("adres", "zaandam-7"),
      email: `${tag}@bad.example`,
    });

  async function expectRejected(reason: string, send: () => Promise<unknown>) {
    // Earlier tests' events leave the outbox once published (deleted then): let that happen before counting.
    await h.hub.ctx.relay.flush();
    const before = await h.counts();
    const count = h.hub.ctx.metrics.rejected[reason as "forged"];
    const n = h.handledCount();
    await send();
    await h.handled(n);
    expect(h.hub.ctx.metrics.rejected[reason as "forged"]).toBe(count + 1);
    expect(await h.counts()).toEqual(before);
    const metrics = await h.get("/metrics", "admin");
    expect(metric(metrics.text, "vi_events_rejected_total", `service="hub",reason="${reason}"`)).toBe(count + 1);
  }

  it("forged: payload altered after signing", async () => {
    await expectRejected("forged", async () => {
      const { token } = await signEvent(h.nodes.GM0363.keys, { type: "signaal.index", aud: "hub", data: fresh("forged") });
      const [head, body, sig] = token.split(".");
      const payload = JSON.parse(Buffer.from(body!, "base64url").toString("utf8"));
      payload.data.professional.email = "aanvaller@evil.example";
      await h.publishRaw(h.nodes.GM0363, [head, Buffer.from(JSON.stringify(payload)).toString("base64url"), sig].join("."));
    });
  });

  it("forged: a node speaking for another node's signal", async () => {
    await expectRejected("forged", () => h.publishIndex(h.nodes.GM0479, fresh("spoof"), { subject: "evt.index.GM0479" }));
  });

  it("expired", async () => {
    await expectRejected("expired", async () => {
      const old = await loadOrCreateServiceKeys({ iss: "GM0363", store: h.nodes.GM0363.store, now: () => new Date(Date.now() - 3_600_000) });
      await h.publishIndex(h.nodes.GM0363, fresh("expired"), { keys: old });
    });
  });

  it("wrong audience", async () => {
    await expectRejected("wrong-audience", () => h.publishIndex(h.nodes.GM0363, fresh("aud"), { aud: "GM0479" }));
  });

  it("unknown issuer", async () => {
    const stranger = await loadOrCreateServiceKeys({ iss: "GM0363", store: memoryKeyStore() }); // claims Amsterdam, key not registered
    await expectRejected("unknown-issuer", () => h.publishIndex(h.nodes.GM0363, fresh("unknown"), { keys: stranger }));
  });

  it("replayed", async () => {
    const signed = await publishAndWait(h.nodes.GM0363, fresh("replay"));
    await expectRejected("replayed", () => h.publishRaw(h.nodes.GM0363, signed.token));
  });

  it("malformed", async () => {
    await expectRejected("malformed", () => h.publishRaw(h.nodes.GM0363, "not-a-jwt"));
  });

  it("unencrypted: a valid signed index event sent in clear", async () => {
    await expectRejected("unencrypted", async () => {
      const { token } = await signEvent(h.nodes.GM0363.keys, { type: "signaal.index", aud: "hub", data: fresh("clear") });
      await h.publishRaw(h.nodes.GM0363, token, undefined, undefined, { clear: true });
    });
  });

  it("undecryptable: encrypted to another service's key", async () => {
    await expectRejected("undecryptable", async () => {
      const { token } = await sealEvent(h.nodes.GM0363.keys, h.trust, { type: "signaal.index", aud: "GM0479", data: fresh("other-key") });
      await h.publishRaw(h.nodes.GM0363, token, undefined, undefined, { clear: true });
    });
  });

  it("rejections are logged by reason only, never with the token", () => {
    const rejected = h.logLines.filter((l) => l.includes("index event rejected"));
    expect(rejected.length).toBeGreaterThanOrEqual(7);
    for (const l of rejected) {
      expect(Object.keys(JSON.parse(l)).sort()).toEqual(["hostname", "level", "msg", "pid", "reason", "subject", "time"]);
    }
  });
});

describe("a batch of index events (the consumer under load)", () => {
  it("is applied in one transaction with the outcomes of one by one: rejections skipped, a replay within the batch caught, order kept", async () => {
    await h.hub.ctx.relay.flush();
    const before = await h.counts();
    const accepted = h.hub.ctx.metrics.accepted;
    const { forged, replayed, malformed } = h.hub.ctx.metrics.rejected;
    const meldingen = { GM0363: h.nodes.GM0363.meldingen.length, GM0479: h.nodes.GM0479.meldingen.length };
    const a = entry({ node: "GM0363", jeugdige: ps("jeugdige", "batch-a"), ouders: [ps("ouder", "batch-P")], email: "a@batch.example" });
    const b = entry({ node: "GM0479", jeugdige: ps("jeugdige", "batch-b"), ouders: [ps("ouder", "batch-P")], email: "b@batch.example" });
    const sa = await h.sealIndex(h.nodes.GM0363, a);
    const sb = await h.sealIndex(h.nodes.GM0479, b);
    // GM0479 speaking for a signal of GM0363: forged, whatever else the batch holds.
    const spoof = await h.sealIndex(h.nodes.GM0479, entry({ node: "GM0363", jeugdige: ps("jeugdige", "batch-x"), email: "x@batch.example" }));
    const archived = await h.sealIndex(h.nodes.GM0363, { ...a, status: "gearchiveerd", versie: a.versie + 1 });
    const batch = [sa, sb, spoof, { subject: sb.subject, data: sb.data }, archived, { subject: "evt.index.GM0363", data: "not-a-jwt" }];

    const outcomes = await handleIndexEvents(h.hub.ctx, batch);

    const id = matchId(a.signaalId, b.signaalId);
    expect(outcomes).toEqual([
      { outcome: "stored", signaalId: a.signaalId, status: "actief", matches: [] },
      { outcome: "stored", signaalId: b.signaalId, status: "actief", matches: [id] },
      { outcome: "rejected", reason: "forged" },
      { outcome: "rejected", reason: "replayed" },
      { outcome: "stored", signaalId: a.signaalId, status: "gearchiveerd", matches: [] },
      { outcome: "rejected", reason: "malformed" },
    ]);
    expect(h.hub.ctx.metrics.accepted).toBe(accepted + 3);
    expect(h.hub.ctx.metrics.rejected).toMatchObject({ forged: forged + 1, replayed: replayed + 1, malformed: malformed + 1 });
    const after = await h.counts();
    expect(after.index).toBe(before.index + 2);
    expect(after.matches).toBe(before.matches + 1);
    const [stored] = rowsOf<{ status: string }>(await h.database.db.execute(sql`select status from hub.index_signalen where signaal_id = ${a.signaalId}`));
    expect(stored?.status).toBe("gearchiveerd");
    // The match's meldingen leave after the commit, one to each entry node.
    await waitFor("meldingen", () => h.nodes.GM0363.meldingen.length > meldingen.GM0363 && h.nodes.GM0479.meldingen.length > meldingen.GM0479);
    expect(h.nodes.GM0363.meldingen.slice(meldingen.GM0363).map((m) => m.data.matchId)).toEqual([id]);
    expect(h.nodes.GM0479.meldingen.slice(meldingen.GM0479).map((m) => m.data.matchId)).toEqual([id]);
    // Delivered again (at least once), the whole batch is a replay and changes nothing.
    const again = await handleIndexEvents(h.hub.ctx, [sa, sb, archived]);
    expect(again.map((o) => o.outcome === "rejected" && o.reason)).toEqual(["replayed", "replayed", "replayed"]);
    expect({ ...(await h.counts()), outbox: 0 }).toEqual({ ...after, outbox: 0 });
  });
});

describe("rebuild from the nodes", () => {
  it("yields exactly the hub matches of normal operation, twice, and again from an empty index", async () => {
    // The nodes answer rpc.<GM> with the index entries they hold: exactly what the hub received.
    const held = new Map<string, Map<string, EventData<"signaal.index">>>();
    const rows = rowsOf<any>(await h.database.db.execute(sql`select * from hub.index_signalen`));
    for (const r of rows) {
      const byNode = held.get(r.node) ?? new Map();
      byNode.set(r.signaal_id, {
        signaalId: r.signaal_id,
        node: r.node,
        entryNode: r.entry_node,
        status: r.status,
        versie: Number(r.versie),
        jeugdige: r.jeugdige,
        ouders: r.ouders,
        adres: r.adres,
        sleutelversie: r.sleutelversie,
        professional: typeof r.professional === "string" ? JSON.parse(r.professional) : r.professional,
      });
      held.set(r.node, byNode);
    }
    const servers = [];
    const asked: string[] = [];
    // First as nodes of an older version (the whole index in one reply, the request's page ignored), then paged.
    let paged = false;
    const cursors: string[] = [];
    for (const node of Object.values(h.nodes)) {
      const replay = memoryReplayGuard();
      servers.push(
        await node.bus.serve(`rpc.${node.code}`, async (token) => {
          const req = await openEvent(token, { keys: node.keys, trust: h.trust, audience: node.code, replay, expect: ["rpc.request"] });
          asked.push(`${node.code}:${req.iss}:${req.data.op}`);
          const all = [...(held.get(node.code)?.values() ?? [])].sort((a, b) => (a.signaalId < b.signaalId ? -1 : 1));
          const { na, limiet } = req.data.args as { na?: string; limiet?: number };
          let result: unknown = { entries: all };
          if (paged) {
            cursors.push(`${node.code}:${na ?? "-"}:${limiet}`);
            const after = all.filter((e) => !na || e.signaalId > na);
            const page = after.slice(0, limiet);
            result = { entries: page, volgende: after.length > page.length ? page.at(-1)!.signaalId : null };
          }
          return (await sealEvent(node.keys, h.trust, { type: "rpc.reply", aud: req.iss, ttlSec: 60, data: { ok: true, result } })).token;
        }),
      );
    }
    const config = h.hub.ctx.config;
    const pageSize = config.REBUILD_PAGE_SIZE;
    try {
      const normal = await h.matchIds();
      expect(normal.length).toBeGreaterThanOrEqual(2);
      const first = await h.hub.rebuild();
      expect(asked.sort()).toEqual(["GM0363:hub:index.opvragen", "GM0479:hub:index.opvragen"]);
      expect(first.matches).toEqual(normal);
      expect(first.added).toEqual([]);
      expect(first.nodes).toEqual({ GM0363: held.get("GM0363")!.size, GM0479: held.get("GM0479")!.size });
      expect(first.indexed).toBe(rows.length);
      expect(await h.matchIds()).toEqual(normal);

      const second = await h.hub.rebuild();
      // The same report but for how long it took.
      expect({ ...second, duurMs: undefined }).toEqual({ ...first, duurMs: undefined });
      expect(first.paginas).toEqual({ GM0363: 1, GM0479: 1 });

      // Paged: a signal per page; the same report but for the pages, each page asked after the last one's signal.
      paged = true;
      config.REBUILD_PAGE_SIZE = 1;
      const byPage = await h.hub.rebuild();
      const sizes = { GM0363: held.get("GM0363")!.size, GM0479: held.get("GM0479")!.size };
      expect(sizes.GM0363).toBeGreaterThanOrEqual(2);
      expect({ ...byPage, paginas: sizes, duurMs: undefined }).toEqual({ ...first, paginas: sizes, duurMs: undefined });
      expect(byPage.paginas).toEqual(sizes);
      for (const code of ["GM0363", "GM0479"]) {
        const ids = [...held.get(code)!.keys()].sort();
        expect(cursors.filter((c) => c.startsWith(`${code}:`))).toEqual(["-", ...ids.slice(0, -1)].map((na) => `${code}:${na}:1`));
      }

      // Lost state: the whole index and all matches gone; the rebuild brings the same matches back.
      // (Adam was archived after his match, so that one pair is not recomputed from active signals.)
      const archivedPairs = rowsOf<{ id: string }>(
        await h.database.db.execute(
          sql`select m.id::text from hub.hub_matches m join hub.index_signalen s on s.signaal_id in (m.signaal_a, m.signaal_b) where s.status <> 'actief'`,
        ),
      ).map((r) => r.id);
      await h.database.db.execute(sql`delete from hub.index_signalen`);
      await h.database.db.execute(sql`delete from hub.hub_matches where id <> all(${`{${archivedPairs.join(",")}}`}::uuid[])`);
      // What the nodes received, counted as they receive it (the outbox is emptied as it is published).
      const received = () => {
        const all = Object.values(h.nodes);
        return { meldingen: all.reduce((n, node) => n + node.meldingen.length, 0), regie: all.reduce((n, node) => n + node.regie.length, 0) };
      };
      const before = received();
      const beforeByNode = new Map(Object.values(h.nodes).map((node) => [node.code, node.meldingen.length]));
      const fromScratch = await h.hub.rebuild();
      expect(fromScratch.matches).toEqual(normal);
      expect(fromScratch.added).toEqual(normal.filter((m) => !archivedPairs.includes(m)));
      // Per match made again: a melding to each side's entry node and its matchregie to each side's residence node (ADR 39).
      const expected = { meldingen: before.meldingen + 2 * fromScratch.added.length, regie: before.regie + 2 * fromScratch.added.length };
      await waitFor("the meldingen and matchregie of the matches made again", () => {
        const now = received();
        return now.meldingen >= expected.meldingen && now.regie >= expected.regie;
      });
      // Each, for the matches made again: two of each.
      const since = Object.values(h.nodes)
        .flatMap((node) => node.meldingen.slice(beforeByNode.get(node.code)))
        .map((m) => m.data.matchId)
        .sort();
      expect(since).toEqual([...fromScratch.added, ...fromScratch.added].sort());
      expect(received()).toEqual(expected);
      expect(fromScratch.indexed).toBe(rows.length);

      // A node that does not answer keeps its entries; the report says so.
      await servers.pop()!.stop();
      const partial = await h.hub.rebuild();
      expect(partial.nodes.GM0479).toBe("onbereikbaar");
      expect(partial.indexed).toBe(rows.length);
      expect(partial.matches).toEqual(normal);
    } finally {
      config.REBUILD_PAGE_SIZE = pageSize;
      for (const s of servers) await s.stop();
    }
  });
});

const pick = (k: { crv?: string; alg: string; use: string }) => ({ crv: k.crv, alg: k.alg, use: k.use });

describe("HTTP", () => {
  it("trust registry: hub keys and every node's own keys, each with its iss; a key in another's name is ignored", async () => {
    const intruder = await loadOrCreateServiceKeys({ iss: "GM0363", store: memoryKeyStore() });
    const zaanstadKeys = h.nodes.GM0479.keys;
    h.nodes.GM0479.jwks = () => ({ keys: [...zaanstadKeys.jwks().keys, ...intruder.jwks().keys] as Record<string, unknown>[] });
    try {
      await h.hub.refreshNodes();
      const res = await h.get("/api/v1/vertrouwen/jwks.json");
      expect(res.status).toBe(200);
      expect(res.headers.get("api-version")).toBe("1.0.0");
      const keys = res.json.keys as Array<{ kid: string; iss: string; kty: string; crv: string; alg: string; use: string; d?: string }>;
      const expected = [...h.hubKeys.jwks().keys, ...h.nodes.GM0363.keys.jwks().keys, ...zaanstadKeys.jwks().keys].map((k) => `${k.iss}:${k.kid}`).sort();
      expect(keys.map((k) => `${k.iss}:${k.kid}`).sort()).toEqual(expected);
      for (const k of intruder.jwks().keys) expect(keys.some((x) => x.kid === k.kid)).toBe(false);
      for (const k of keys)
        expect([
          { crv: "Ed25519", alg: "EdDSA", use: "sig" },
          { crv: "X25519", alg: "ECDH-ES", use: "enc" },
        ]).toContainEqual(pick(k));
      // One encryption key per service: the hub and both nodes.
      expect(
        keys
          .filter((k) => k.use === "enc")
          .map((k) => k.iss)
          .sort(),
      ).toEqual(["GM0363", "GM0479", "hub"]);
      expect(keys.every((k) => k.d === undefined)).toBe(true);
    } finally {
      h.nodes.GM0479.jwks = () => zaanstadKeys.jwks() as { keys: Record<string, unknown>[] };
    }
  });

  it("the hub's own JWKS", async () => {
    const res = await h.get("/.well-known/jwks.json");
    expect(res.status).toBe(200);
    expect(res.json).toEqual(h.hubKeys.jwks());
  });

  it("nodes overview (admin port only): status and last seen per node", async () => {
    h.nodes.GM0479.reachable = false;
    try {
      await h.hub.refreshNodes();
      // Not on the API's port: only operators see which nodes are down (docs/adr/0009).
      expect((await h.get("/api/v1/nodes")).status).toBe(404);
      const res = await h.get("/api/v1/nodes", "admin");
      expect(res.status).toBe(200);
      const byCode = Object.fromEntries((res.json.nodes as any[]).map((n) => [n.code, n]));
      expect(byCode.GM0363).toMatchObject({ naam: "Amsterdam", url: h.nodes.GM0363.url, status: "gereed" });
      expect(Date.parse(byCode.GM0363.laatstGezien)).toBeGreaterThan(Date.now() - 60_000);
      expect(byCode.GM0479).toMatchObject({ naam: "Zaanstad", status: "onbereikbaar" });
      expect(Object.keys(byCode).sort()).toEqual(["GM0363", "GM0479"]);
    } finally {
      h.nodes.GM0479.reachable = true;
      await h.hub.refreshNodes();
    }
  });

  it("health, readiness, metrics (admin port only), Problem Details", async () => {
    expect((await h.get("/health")).json).toEqual({ status: "ok" });
    expect((await h.get("/ready")).status).toBe(200);
    expect((await h.get("/metrics")).status).toBe(404);
    const m = await h.get("/metrics", "admin");
    expect(m.status).toBe(200);
    expect(m.headers.get("content-type")).toContain("text/plain");
    expect(metric(m.text, "vi_events_accepted_total", 'service="hub"')).toBe(h.hub.ctx.metrics.accepted);
    expect(metric(m.text, "vi_outbox_pending", 'service="hub"')).toBe(await h.hub.ctx.relay.pending());
    expect(metric(m.text, "vi_hub_matches", "")).toBe((await h.matchIds()).length);
    const { index } = await h.counts();
    const statuses = ["actief", "gearchiveerd", "verwijderd"].map((s) => metric(m.text, "vi_hub_index_signalen", `status="${s}"`));
    expect(statuses.reduce((a, b) => a + b, 0)).toBe(index);
    expect(metric(m.text, "vi_hub_node_up", 'node="GM0363"')).toBe(1);

    const missing = await h.get("/api/v1/bestaat-niet");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toBe("application/problem+json");
    expect(missing.headers.get("api-version")).toBe("1.0.0");
    expect(missing.json).toMatchObject({ status: 404, code: "NIET_GEVONDEN", title: "Niet gevonden" });
  });
});

describe("trust from the node registry (no injected trust)", () => {
  it("accepts a node's event only with a key that node publishes for itself", async () => {
    const broker2 = createMemoryBroker({ namespace: freshNamespace("r") });
    const r = await startTestHub({ bus: (name) => broker2.connect(name), trust: "registry" });
    try {
      const intruder = await loadOrCreateServiceKeys({ iss: "GM0363", store: memoryKeyStore() });
      const zaanstadKeys = r.nodes.GM0479.keys;
      r.nodes.GM0479.jwks = () => ({ keys: [...zaanstadKeys.jwks().keys, ...intruder.jwks().keys] as Record<string, unknown>[] });
      await r.hub.refreshNodes();
      const { adam, noor } = adamEnNoor();
      let n = r.handledCount();
      await r.publishIndex(r.nodes.GM0363, adam, { keys: intruder });
      await r.handled(n);
      expect(r.hub.ctx.metrics.rejected["unknown-issuer"]).toBe(1);
      n = r.handledCount();
      await r.publishIndex(r.nodes.GM0363, adam);
      await r.publishIndex(r.nodes.GM0479, noor);
      await r.handled(n, 2);
      expect(r.hub.ctx.metrics.accepted).toBe(2);
      expect(await r.matchIds()).toEqual([matchId(adam.signaalId, noor.signaalId)]);
    } finally {
      await r.close();
    }
  });

  it("a node's new key while the hub cannot read its node registry: its event is retried, not rejected, and its request gets a 503", async () => {
    const broker2 = createMemoryBroker({ namespace: freshNamespace("r") });
    const r = await startTestHub({ bus: (name) => broker2.connect(name), trust: "registry" });
    const table = sql.raw(`"${r.hub.ctx.schema}"`);
    try {
      await r.hub.refreshNodes();
      // Zaanstad restarts with a new key, which the hub has not fetched yet; then the hub's registry cannot be read.
      const rotated = await loadOrCreateServiceKeys({ iss: "GM0479", store: memoryKeyStore() });
      r.nodes.GM0479.jwks = () => rotated.jwks() as { keys: Record<string, unknown>[] };
      await r.database.db.execute(sql`alter table ${table}.nodes rename to nodes_weg`);
      const { adam, noor } = adamEnNoor();
      const n = r.handledCount();
      await r.publishIndex(r.nodes.GM0363, adam);
      await r.publishIndex(r.nodes.GM0479, noor, { keys: rotated });
      await waitFor("a failed refetch", () => r.logLines.some((l) => l.includes("node key refetch failed")));
      const { token } = await signEvent(rotated, { type: "register.verzoek", aud: "hub", data: { node: "GM0479" }, ttlSec: 60 });
      const res = await fetch(`${r.hub.url}/api/v1/register/ondertekend`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ code: "DIENST_ONBEREIKBAAR" });
      expect(res.headers.get("retry-after")).not.toBeNull();
      expect(r.hub.ctx.metrics.rejected["unknown-issuer"] ?? 0).toBe(0);

      await r.database.db.execute(sql`alter table ${table}.nodes_weg rename to nodes`);
      await r.handled(n, 2);
      expect(r.hub.ctx.metrics.rejected["unknown-issuer"] ?? 0).toBe(0);
      expect(await r.matchIds()).toEqual([matchId(adam.signaalId, noor.signaalId)]);
    } finally {
      await r.database.db.execute(sql`alter table if exists ${table}.nodes_weg rename to nodes`);
      await r.close();
    }
  });
});
