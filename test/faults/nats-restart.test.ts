/**
 * A restart of the NATS server (the test's own nats-server, JetStream store
 * kept) during a load of a few thousand registrations. Routed registrations
 * fail while NATS is away (503 NODE_ONBEREIKBAAR) and are retried by the
 * client; outboxes publish again once the services have reconnected.
 */
import { afterAll, beforeAll, it, onTestFailed } from "vitest";
import { startProcessRegion, type ProcessRegion } from "../support/processes";
import { runScenario } from "./harness";
import { assertSettled } from "./assert";

let region: ProcessRegion;
beforeAll(async () => {
  region = await startProcessRegion();
}, 120_000);
afterAll(async () => region?.close(), 60_000);

it("a NATS restart during the load loses nothing and duplicates nothing", async () => {
  onTestFailed(() => console.error(`--- process output ---\n${region.dumpLogs(120)}`));
  const outcome = await runScenario(region, {
    name: "NATS server restart",
    fault: (r) => r.restartNats("SIGTERM", 2000),
  });
  console.log(outcome.text);
  assertSettled(region, outcome, { expectedDeadLetters: {} });
}, 240_000);
