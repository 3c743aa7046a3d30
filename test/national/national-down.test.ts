/**
 * The national index down while both regions register (docs/national-chain.md): each bridge queues durably, the
 * registrations do not wait on it, and once the national index is back every cross-region match is delivered
 * exactly once, with nothing in a dead-letter queue.
 *
 * A small load (the fixture has one cross-region family: Fatima's children Yusuf and Mila). The same fault during a
 * load of a generated population laid out over both regions is the heavy fault test
 * test/faults/national-down.test.ts.
 */
import { count, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { rowsOf } from "@vi/db";
import { JGZ, MILA, YUSUF } from "../support/constants";
import { eventually } from "../support/federation";
import { startNationalChain, type NationalChain } from "../support/national";
import { dlqMessages } from "../support/dlq";

const JEUGDTEAM = "jeugdteam@haarlem.example";
let c: NationalChain;
beforeAll(async () => {
  c = await startNationalChain();
}, 180_000);
afterAll(async () => c?.close(), 60_000);

it("while the national index is down the bridges queue; afterwards the match is delivered once to each side", async () => {
  await c.national.index.stop();
  expect((await c.amsterdam.call("GM0384", JGZ, "POST", "/api/v1/signalen", { bsn: YUSUF, geinformeerd: true })).status).toBe(201);
  expect((await c.haarlem.call("GM0392", JEUGDTEAM, "POST", "/api/v1/signalen", { bsn: MILA, geinformeerd: true })).status).toBe(201);
  // Both changes reach their bridge's queue and wait there (the national index refuses connections).
  for (const [fed, bridge] of [
    [c.amsterdam, c.bridges.amsterdam],
    [c.haarlem, c.bridges["zuid-kennemerland"]],
  ] as const) {
    await eventually(
      async () => {
        const [row] = await fed.database.db.select({ n: count() }).from(bridge.ctx.t.wachtrij);
        return (row?.n ?? 0) >= 1 && bridge.ctx.figures.sendFailures > 0;
      },
      "the change queued at the bridge while the national index is down",
      30_000,
    );
  }

  await c.restartNational();
  const gezin = async (fed: NationalChain["amsterdam"], code: string, email: string) =>
    ((await fed.call(code, email, "GET", "/api/v1/matches")).body.matches as Array<{ soort: string }>).filter((m) => m.soort === "gezin");
  await eventually(async () => (await gezin(c.amsterdam, "GM0384", JGZ)).length === 1, "Diemen's match after the national index is back", 90_000);
  await eventually(async () => (await gezin(c.haarlem, "GM0392", JEUGDTEAM)).length === 1, "Haarlem's match after the national index is back", 90_000);

  // Settled: queues and deliveries empty, one match nationally, one mail each, nothing dead-lettered.
  await c.bridges.amsterdam.send();
  await c.bridges["zuid-kennemerland"].send();
  await c.national.index.deliver();
  for (const [fed, bridge] of [
    [c.amsterdam, c.bridges.amsterdam],
    [c.haarlem, c.bridges["zuid-kennemerland"]],
  ] as const) {
    const [row] = await fed.database.db.select({ n: count() }).from(bridge.ctx.t.wachtrij);
    expect(row?.n).toBe(0);
  }
  const nat = c.national.database.db;
  expect(rowsOf<{ n: number }>(await nat.execute(sql.raw("select count(*)::int as n from landelijk.matches")))[0]!.n).toBe(1);
  expect(rowsOf<{ n: number }>(await nat.execute(sql.raw("select count(*)::int as n from landelijk.afleveringen")))[0]!.n).toBe(0);
  await eventually(
    async () => c.amsterdam.sink.messages().some((m) => m.to.includes(JGZ)) && c.haarlem.sink.messages().some((m) => m.to.includes(JEUGDTEAM)),
    "the mails",
    30_000,
  );
  expect(c.amsterdam.sink.messages().filter((m) => m.to.includes(JGZ))).toHaveLength(1);
  expect(c.haarlem.sink.messages().filter((m) => m.to.includes(JEUGDTEAM))).toHaveLength(1);
  expect(await gezin(c.amsterdam, "GM0384", JGZ)).toHaveLength(1);
  expect(await dlqMessages(c.amsterdam.natsUrl, c.amsterdam.namespace)).toBe(0);
  expect(await dlqMessages(c.haarlem.natsUrl, c.haarlem.namespace)).toBe(0);
}, 180_000);
