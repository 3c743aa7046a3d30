/**
 * One contract, two implementations: the in-memory bus must behave like NATS.
 * Each test gets a fresh namespace; on NATS its streams are deleted afterwards.
 *
 * Run on the memory bus by contract.memory.test.ts (unit) and on NATS by
 * contract.nats.test.ts (integration).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { BusError, type Bus, type BusMessage } from "../src/index";
import { randomNamespace, sleep, waitFor, type Impl, type World } from "./support";

const fast = { backoffMs: [50, 100] };

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error("expected a rejection");
}

export function busContract(impl: Impl): void {
  describe(`bus contract (${impl.kind})`, () => {
    let world: World;
    let current: World | undefined;
    beforeAll(() => impl.start());
    afterAll(() => impl.stop());
    afterEach(async () => {
      await current?.teardown();
      current = undefined;
    });

    async function ready(name = "svc", ns?: string): Promise<Bus> {
      const bus = await world.bus(name, ns);
      await bus.ensureStreams();
      return bus;
    }
    function fresh(): void {
      current = world = impl.world();
    }

    function collector() {
      const got: BusMessage[] = [];
      return { got, handler: async (m: BusMessage) => void got.push(m) };
    }

    it("reports its kind and namespace", async () => {
      fresh();
      const bus = await ready();
      expect(bus.kind).toBe(impl.kind);
      expect(bus.namespace).toBe(world.ns);
    });

    it("ensureStreams can be called again without harm, and keeps the messages", async () => {
      fresh();
      const bus = await ready();
      await bus.publish("evt.index.GM0363", "een", "m1");
      await bus.ensureStreams();
      const { got, handler } = collector();
      await bus.consume({ durable: "hub-index", filterSubjects: ["evt.index.*"], ...fast }, handler);
      await waitFor("one message", () => got.length === 1);
      expect(got[0]?.data).toBe("een");
    });

    it("delivers a message once per msgId: a duplicate publish is accepted and dropped", async () => {
      fresh();
      const bus = await ready();
      await bus.publish("evt.index.GM0363", "a", "id-1");
      await bus.publish("evt.index.GM0363", "a again", "id-1");
      await bus.publish("evt.index.GM0363", "b", "id-2");
      const { got, handler } = collector();
      await bus.consume({ durable: "hub-index", filterSubjects: ["evt.index.>"], ...fast }, handler);
      await waitFor("two messages", () => got.length >= 2);
      await sleep(250);
      expect(got).toEqual([
        { subject: "evt.index.GM0363", data: "a", msgId: "id-1", deliveryCount: 1 },
        { subject: "evt.index.GM0363", data: "b", msgId: "id-2", deliveryCount: 1 },
      ]);
    });

    it("hands a consumer its messages in publication order, one at a time", async () => {
      fresh();
      const bus = await ready();
      for (let i = 0; i < 25; i++) await bus.publish(`evt.melding.GM${i % 3}`, String(i), `m${i}`);
      const order: string[] = [];
      let running = 0;
      let overlap = false;
      await bus.consume({ durable: "node-GM0363-melding", filterSubjects: ["evt.melding.*"], ...fast }, async (m) => {
        running++;
        if (running > 1) overlap = true;
        await sleep(1);
        order.push(m.data);
        running--;
      });
      await waitFor("25 messages", () => order.length === 25);
      expect(order).toEqual(Array.from({ length: 25 }, (_, i) => String(i)));
      expect(overlap).toBe(false);
    });

    it("gives a consumer only the subjects its filters select (wildcards, several filters)", async () => {
      fresh();
      const bus = await ready();
      await bus.publish("evt.index.GM0363", "index 363", "1");
      await bus.publish("evt.melding.GM0363", "melding 363", "2");
      await bus.publish("evt.melding.GM0599", "melding 599", "3");
      await bus.publish("evt.index.GM0599", "index 599", "4");
      await bus.publish("evt.verhuizing.x.y", "deep", "5");
      const one = collector();
      const two = collector();
      await bus.consume({ durable: "index", filterSubjects: ["evt.index.*"], ...fast }, one.handler);
      await bus.consume({ durable: "mixed", filterSubjects: ["evt.melding.GM0363", "evt.verhuizing.>"], ...fast }, two.handler);
      await waitFor("filtered messages", () => one.got.length === 2 && two.got.length === 2);
      await sleep(200);
      expect(one.got.map((m) => m.data)).toEqual(["index 363", "index 599"]);
      expect(two.got.map((m) => m.data)).toEqual(["melding 363", "deep"]);
    });

    it("redelivers a message whose handler throws after the backoff delay, until it succeeds", async () => {
      fresh();
      const bus = await ready();
      const attempts: Array<{ at: number; count: number }> = [];
      await bus.consume({ durable: "flaky", filterSubjects: ["evt.>"], maxDeliver: 5, backoffMs: [80, 160] }, async (m) => {
        attempts.push({ at: Date.now(), count: m.deliveryCount });
        if (attempts.length < 3) throw new Error(`tijdelijk ${attempts.length}`);
      });
      await bus.publish("evt.index.GM0363", "x", "flaky-1");
      await waitFor("three attempts", () => attempts.length === 3);
      await sleep(400);
      expect(attempts.map((a) => a.count)).toEqual([1, 2, 3]);
      const [a1, a2, a3] = attempts.map((a) => a.at) as [number, number, number];
      expect(a2 - a1).toBeGreaterThanOrEqual(70);
      expect(a3 - a2).toBeGreaterThanOrEqual(150);
      expect(await bus.deadLetters("flaky")).toEqual([]);
    });

    it("a handler that never settles counts as failed after handlerTimeoutMs: the message comes again and the consumer goes on", async () => {
      fresh();
      const bus = await ready();
      const seen: Array<{ data: string; count: number }> = [];
      await bus.consume({ durable: "hangs", filterSubjects: ["evt.>"], maxDeliver: 5, backoffMs: [20], handlerTimeoutMs: 200 }, async (m) => {
        seen.push({ data: m.data, count: m.deliveryCount });
        // The first delivery of the first message never settles, like a query lost with its connection.
        if (m.data === "eerste" && m.deliveryCount === 1) await new Promise(() => {});
      });
      await bus.publish("evt.index.GM0363", "eerste", "hangs-1");
      await bus.publish("evt.index.GM0363", "tweede", "hangs-2");
      await waitFor("both handled", () => seen.some((s) => s.data === "eerste" && s.count === 2) && seen.some((s) => s.data === "tweede"));
      expect(seen.filter((s) => s.data === "eerste").map((s) => s.count)).toEqual([1, 2]);
      expect(await bus.deadLetters("hangs")).toEqual([]);
    });

    it("dead-letters a poison message to dlq.<durable> after maxDeliver, with the error, and never loops it without delay", async () => {
      fresh();
      const bus = await ready();
      const attempts: number[] = [];
      const good = collector();
      await bus.consume({ durable: "hub-index", filterSubjects: ["evt.index.*"], maxDeliver: 3, backoffMs: [50] }, async (m) => {
        if (m.data === "gif") {
          attempts.push(Date.now());
          throw new Error(`onverwerkbaar (poging ${m.deliveryCount})`);
        }
        await good.handler(m);
      });
      await bus.publish("evt.index.GM0363", "gif", "poison-1");
      await bus.publish("evt.index.GM0363", "goed", "good-1");
      await waitFor("a dead letter", async () => (await bus.deadLetters("hub-index")).length === 1);
      await sleep(300);
      expect(attempts).toHaveLength(3);
      for (let i = 1; i < attempts.length; i++) expect(attempts[i]! - attempts[i - 1]!).toBeGreaterThanOrEqual(40);
      expect(good.got.map((m) => m.data)).toEqual(["goed"]);
      const dead = await bus.deadLetters("hub-index");
      expect(dead).toEqual([
        {
          subject: "dlq.hub-index",
          originalSubject: "evt.index.GM0363",
          data: "gif",
          msgId: "poison-1",
          deliveryCount: 3,
          error: "onverwerkbaar (poging 3)",
        },
      ]);
      // reading the dead letters does not consume them, and another durable's list is separate
      expect(await bus.deadLetters("hub-index")).toEqual(dead);
      expect(await bus.deadLetters("other")).toEqual([]);
    });

    it("a stopped durable consumer resumes where it left: nothing lost, nothing acked comes back", async () => {
      fresh();
      const bus = await ready();
      for (let i = 1; i <= 3; i++) await bus.publish("evt.melding.GM0363", `m${i}`, `r${i}`);
      const first = collector();
      const c1 = await bus.consume({ durable: "node-GM0363-melding", filterSubjects: ["evt.melding.GM0363"], ...fast }, first.handler);
      await waitFor("first three", () => first.got.length === 3);
      await c1.stop();
      for (let i = 4; i <= 6; i++) await bus.publish("evt.melding.GM0363", `m${i}`, `r${i}`);
      await sleep(100);
      expect(first.got.map((m) => m.data)).toEqual(["m1", "m2", "m3"]);
      const other = await world.bus("restarted");
      const second = collector();
      await other.consume({ durable: "node-GM0363-melding", filterSubjects: ["evt.melding.GM0363"], ...fast }, second.handler);
      await waitFor("the other three", () => second.got.length >= 3, 3000);
      await sleep(250);
      expect(second.got.map((m) => m.data)).toEqual(["m4", "m5", "m6"]);
    });

    it("a consumer stopped mid-stream hands back what it had not handled: the next one gets it at once", async () => {
      fresh();
      const bus = await ready();
      for (let i = 1; i <= 6; i++) await bus.publish("evt.melding.GM0363", `m${i}`, `q${i}`);
      const first: string[] = [];
      let stopping: Promise<void> | undefined;
      const c1 = await bus.consume({ durable: "midstream", filterSubjects: ["evt.>"], ...fast }, async (m) => {
        first.push(m.data);
        if (first.length === 3) stopping = c1.stop(); // not awaited: stop waits for this handler
      });
      await waitFor("stop requested", () => stopping !== undefined);
      await stopping;
      expect(first).toEqual(["m1", "m2", "m3"]);
      const second = collector();
      await bus.consume({ durable: "midstream", filterSubjects: ["evt.>"], ...fast }, second.handler);
      // well within the 30 s ack wait: nothing may sit unacknowledged in a stopped consumer's buffer
      await waitFor("the other three", () => second.got.length >= 3, 3000);
      await sleep(200);
      expect(second.got.map((m) => m.data)).toEqual(["m4", "m5", "m6"]);
    });

    it("consumeBatch hands over what is waiting, in order and at most maxBatch at once; a lone message comes at once", async () => {
      fresh();
      const bus = await ready();
      for (let i = 0; i < 25; i++) await bus.publish(`evt.index.GM${i % 3}`, String(i), `b${i}`);
      const batches: string[][] = [];
      let running = 0;
      let overlap = false;
      await bus.consumeBatch({ durable: "hub-index", filterSubjects: ["evt.index.*"], maxBatch: 10, ...fast }, async (ms) => {
        running++;
        if (running > 1) overlap = true;
        await sleep(20);
        batches.push(ms.map((m) => m.data));
        running--;
      });
      await waitFor("25 messages", () => batches.flat().length === 25);
      expect(batches.flat()).toEqual(Array.from({ length: 25 }, (_, i) => String(i)));
      expect(Math.max(...batches.map((b) => b.length))).toBeGreaterThan(1);
      expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(10);
      expect(overlap).toBe(false);
      const before = batches.length;
      const sent = Date.now();
      await bus.publish("evt.index.GM0363", "alleen", "b-alone");
      await waitFor("the lone one", () => batches.length === before + 1);
      expect(batches.at(-1)).toEqual(["alleen"]);
      // not held back to fill a batch (the fetch of a pull consumer waits up to its expiry for more)
      expect(Date.now() - sent).toBeLessThan(900);
      await expect(bus.consumeBatch({ durable: "x", filterSubjects: ["evt.>"], maxBatch: 0 }, async () => undefined)).rejects.toThrow(/maxBatch/);
    });

    it("a failing batch is handled again message by message: the bad one is retried and dead-lettered alone, the rest handled once", async () => {
      fresh();
      const bus = await ready();
      for (const [i, data] of ["a", "b", "gif", "c", "d"].entries()) await bus.publish("evt.index.GM0363", data, `f${i}`);
      const handled: string[] = [];
      const sizes: number[] = [];
      let poisonAttempts = 0;
      await bus.consumeBatch({ durable: "hub-index", filterSubjects: ["evt.index.*"], maxDeliver: 3, backoffMs: [50], maxBatch: 10 }, async (ms) => {
        sizes.push(ms.length);
        if (ms.some((m) => m.data === "gif")) {
          if (ms.length === 1) poisonAttempts++;
          throw new Error("onverwerkbaar");
        }
        await sleep(5);
        handled.push(...ms.map((m) => m.data));
      });
      await waitFor("a dead letter", async () => (await bus.deadLetters("hub-index")).length === 1, 4000);
      await sleep(300);
      expect([...handled].sort()).toEqual(["a", "b", "c", "d"]);
      expect(poisonAttempts).toBe(3);
      const [dead] = await bus.deadLetters("hub-index");
      expect(dead).toMatchObject({ data: "gif", msgId: "f2", deliveryCount: 3, error: "onverwerkbaar" });
    });

    it("a batch consumer stopped mid-stream hands back what it had not handled: the next one gets it at once", async () => {
      fresh();
      const bus = await ready();
      for (let i = 1; i <= 30; i++) await bus.publish("evt.melding.GM0363", `m${i}`, `bq${i}`);
      const first: string[] = [];
      let stopping: Promise<void> | undefined;
      const c1 = await bus.consumeBatch({ durable: "midstream", filterSubjects: ["evt.>"], maxBatch: 4, ...fast }, async (ms) => {
        first.push(...ms.map((m) => m.data));
        stopping ??= c1.stop(); // not awaited: stop waits for this batch
        await sleep(50);
      });
      await waitFor("stop requested", () => stopping !== undefined);
      await stopping;
      expect(first.length).toBeGreaterThan(0);
      const second: string[] = [];
      await bus.consumeBatch({ durable: "midstream", filterSubjects: ["evt.>"], maxBatch: 4, ...fast }, async (ms) => {
        second.push(...ms.map((m) => m.data));
      });
      // well within the ack wait: nothing may sit unacknowledged in a stopped consumer's buffer
      await waitFor("the rest", () => first.length + second.length >= 30, 3000);
      await sleep(200);
      expect([...first, ...second]).toEqual(Array.from({ length: 30 }, (_, i) => `m${i + 1}`));
    });

    it("two consumers with the same durable share the work: each message handled once", async () => {
      fresh();
      const a = await ready("a");
      const b = await world.bus("b");
      const byA: string[] = [];
      const byB: string[] = [];
      const opts = { durable: "shared", filterSubjects: ["evt.>"], ...fast };
      await a.consume(opts, async (m) => {
        await sleep(15);
        byA.push(m.data);
      });
      await b.consume(opts, async (m) => {
        await sleep(15);
        byB.push(m.data);
      });
      for (let i = 0; i < 20; i++) await a.publish("evt.index.GM0363", String(i), `s${i}`);
      await waitFor("20 handled", () => byA.length + byB.length >= 20);
      await sleep(250);
      const all = [...byA, ...byB].sort((x, y) => Number(x) - Number(y));
      expect(all).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
      expect(byA.length).toBeGreaterThan(0);
      expect(byB.length).toBeGreaterThan(0);
    });

    it("two consumers with different durables each get every message", async () => {
      fresh();
      const bus = await ready();
      const x = collector();
      const y = collector();
      await bus.consume({ durable: "x", filterSubjects: ["evt.>"], ...fast }, x.handler);
      await bus.consume({ durable: "y", filterSubjects: ["evt.>"], ...fast }, y.handler);
      for (let i = 0; i < 5; i++) await bus.publish("evt.index.GM0363", String(i), `d${i}`);
      await waitFor("both got five", () => x.got.length === 5 && y.got.length === 5);
      expect(x.got.map((m) => m.data)).toEqual(["0", "1", "2", "3", "4"]);
      expect(y.got.map((m) => m.data)).toEqual(["0", "1", "2", "3", "4"]);
    });

    it("answers a request through serve, across two buses", async () => {
      fresh();
      const server = await ready("GM0363");
      const client = await world.bus("hub");
      const seen: string[] = [];
      await server.serve("rpc.GM0363", async (data) => {
        seen.push(data);
        return `antwoord op ${data}`;
      });
      expect(await client.request("rpc.GM0363", "vraag", 2000)).toBe("antwoord op vraag");
      expect(seen).toEqual(["vraag"]);
    });

    it("gives each request to one member of a queue group", async () => {
      fresh();
      const s1 = await ready("n1");
      const s2 = await world.bus("n2");
      const client = await world.bus("client");
      const calls: string[] = [];
      await s1.serve("rpc.GM0363", async (d) => (calls.push(`1:${d}`), "1"), { queue: "node" });
      await s2.serve("rpc.GM0363", async (d) => (calls.push(`2:${d}`), "2"), { queue: "node" });
      for (let i = 0; i < 10; i++) expect(["1", "2"]).toContain(await client.request("rpc.GM0363", String(i), 2000));
      await sleep(100);
      expect(calls).toHaveLength(10);
    });

    it("rejects a request nobody serves with GEEN_ANTWOORD, quickly", async () => {
      fresh();
      const bus = await ready();
      const started = Date.now();
      const err = await rejection(bus.request("rpc.GM9999", "hallo"));
      expect(err).toBeInstanceOf(BusError);
      expect((err as BusError).code).toBe("GEEN_ANTWOORD");
      expect(Date.now() - started).toBeLessThan(1000);
    });

    it("a serve handler that throws sends no reply: the caller gets GEEN_ANTWOORD after its timeout", async () => {
      fresh();
      const bus = await ready();
      await bus.serve("rpc.GM0363", async () => {
        throw new Error("kapot");
      });
      const started = Date.now();
      const err = await rejection(bus.request("rpc.GM0363", "x", 300));
      expect((err as BusError).code).toBe("GEEN_ANTWOORD");
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    });

    it("a stopped server no longer answers", async () => {
      fresh();
      const bus = await ready();
      const s = await bus.serve("rpc.GM0363", async () => "ja");
      expect(await bus.request("rpc.GM0363", "x", 1000)).toBe("ja");
      await s.stop();
      expect(((await rejection(bus.request("rpc.GM0363", "x", 300))) as BusError).code).toBe("GEEN_ANTWOORD");
    });

    it("isolates namespaces: events, dead letters and requests never cross", async () => {
      fresh();
      const mine = await ready("mine");
      const theirs = await ready("theirs", randomNamespace());
      expect(theirs.namespace).not.toBe(mine.namespace);
      const gotMine = collector();
      const gotTheirs = collector();
      await mine.consume({ durable: "hub-index", filterSubjects: ["evt.>"], ...fast }, gotMine.handler);
      await theirs.consume({ durable: "hub-index", filterSubjects: ["evt.>"], ...fast }, gotTheirs.handler);
      await mine.publish("evt.index.GM0363", "alleen voor mij", "same-id");
      await theirs.publish("evt.index.GM0363", "alleen voor hen", "same-id");
      await waitFor("each its own", () => gotMine.got.length === 1 && gotTheirs.got.length === 1);
      await sleep(200);
      expect(gotMine.got.map((m) => m.data)).toEqual(["alleen voor mij"]);
      expect(gotTheirs.got.map((m) => m.data)).toEqual(["alleen voor hen"]);
      await mine.serve("rpc.GM0363", async () => "mijn antwoord");
      expect(((await rejection(theirs.request("rpc.GM0363", "x", 300))) as BusError).code).toBe("GEEN_ANTWOORD");
    });

    it("close() loses nothing: messages published before close are consumed later, an ack in flight is kept", async () => {
      fresh();
      const bus = await ready("first");
      let started = false;
      let finished = false;
      await bus.consume({ durable: "d", filterSubjects: ["evt.>"], ...fast }, async () => {
        started = true;
        await sleep(200);
        finished = true;
      });
      await bus.publish("evt.index.GM0363", "in behandeling", "c0");
      await waitFor("handler started", () => started);
      for (let i = 1; i <= 3; i++) await bus.publish("evt.index.GM0363", `m${i}`, `c${i}`);
      await bus.close();
      expect(finished).toBe(true);
      expect(((await rejection(bus.publish("evt.index.GM0363", "te laat", "late"))) as BusError).code).toBe("NIET_VERBONDEN");
      const next = await world.bus("second");
      const got = collector();
      await next.consume({ durable: "d", filterSubjects: ["evt.>"], ...fast }, got.handler);
      await waitFor("the rest", () => got.got.length >= 3, 4000);
      await sleep(250);
      expect(got.got.map((m) => m.data)).toEqual(["m1", "m2", "m3"]);
    });

    it("refuses to publish where no stream is, and refuses unsafe consumer options", async () => {
      fresh();
      const bare = await world.bus("bare");
      expect(((await rejection(bare.publish("evt.index.GM0363", "x", "no-stream"))) as BusError).code).toBe("PUBLICATIE_MISLUKT");
      await bare.ensureStreams();
      const noop = async () => undefined;
      await expect(bare.consume({ durable: "d", filterSubjects: ["evt.>"], backoffMs: [] }, noop)).rejects.toThrow(/backoffMs/);
      await expect(bare.consume({ durable: "a.b", filterSubjects: ["evt.>"] }, noop)).rejects.toThrow(/durable/);
      await expect(bare.consume({ durable: "d", filterSubjects: ["evt.>", "evt.index.*"] }, noop)).rejects.toThrow(/overlap/);
      await expect(bare.publish("rpc.GM0363", "x", "id")).rejects.toThrow(/not in a stream/);
      await expect(bare.request("evt.index.GM0363", "x")).rejects.toThrow(/overlaps a stream/);
    });
  });
}
