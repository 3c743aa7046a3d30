/**
 * `kill -9` of the regional hub during a load of a few thousand registrations,
 * then a restart (same KEYS_DIR, same database). Index events wait in the
 * stream (durable `hub-index`), the hub's own outbox keeps the meldingen it had
 * committed; afterwards every cross-gemeente family match exists exactly once
 * and every professional is told once.
 */
import { afterAll, beforeAll, expect, it, onTestFailed } from "vitest";
import { startProcessRegion, type ProcessRegion } from "../support/processes";
import { runScenario } from "./harness";
import { assertSettled } from "./assert";

let region: ProcessRegion;
beforeAll(async () => {
  region = await startProcessRegion();
}, 120_000);
afterAll(async () => region?.close(), 60_000);

it("kill -9 of the hub during the load loses nothing and duplicates nothing", async () => {
  onTestFailed(() => console.error(`--- process output ---\n${region.dumpLogs(120)}`));
  const outcome = await runScenario(region, {
    name: "kill -9 of the hub, restart",
    fault: async (r) => {
      await r.procs.kill("hub", "SIGKILL");
      await new Promise((res) => setTimeout(res, 2000));
      await r.procs.restart("hub");
    },
  });
  console.log(outcome.text);
  expect(outcome.settled.verdict.counts.expectedGezinHub, "the load makes family matches across gemeenten").toBeGreaterThan(50);
  assertSettled(region, outcome, { expectedDeadLetters: {} });
}, 240_000);
