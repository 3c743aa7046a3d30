/**
 * The three nodes of the region served by one worker process (docs/adr/0045), killed with `kill -9` during a load
 * and restarted: three gemeenten down at once. Afterwards, within a bounded time, the region holds exactly what the
 * oracle computes from the acknowledged registrations, as with a process per gemeente (node-kill.test.ts).
 */
import { afterAll, beforeAll, expect, it, onTestFailed } from "vitest";
import { startProcessRegion, type ProcessRegion } from "../support/processes";
import { runScenario } from "./harness";
import { assertSettled } from "./assert";

let region: ProcessRegion;
beforeAll(async () => {
  region = await startProcessRegion({ nodeWorker: true });
}, 120_000);
afterAll(async () => region?.close(), 60_000);

it("one process serves the three nodes, each under its own gemeente", async () => {
  expect(region.procs.running("nodes")).toBe(true);
  for (const code of region.gemeenten) {
    expect(region.procs.running(code)).toBe(false);
    const ready = await fetch(`${region.nodeUrl(code)}/ready`).then((r) => r.json() as Promise<{ gemeente?: string }>);
    expect(ready.gemeente).toBe(code);
  }
});

it("kill -9 of the worker during the load loses nothing and duplicates nothing but a mail in flight per gemeente", async () => {
  onTestFailed(() => console.error(`--- process output ---\n${region.dumpLogs(120)}`));
  const outcome = await runScenario(region, {
    name: "kill -9 of the node worker (GM0363, GM0479, GM0384), restart",
    registrations: 1000,
    // Each of the three nodes may have had one mail accepted by SMTP but not yet marked: it resends that one.
    allowedResends: 3,
    fault: async (r) => {
      await r.procs.kill("nodes", "SIGKILL");
      await new Promise((res) => setTimeout(res, 1000));
      await r.procs.restart("nodes");
    },
  });
  console.log(outcome.text);
  assertSettled(region, outcome, { expectedDeadLetters: {} });
  expect(region.procs.running("nodes")).toBe(true);
}, 240_000);
