/**
 * The region on a three-server NATS JetStream cluster (docs/adr/0033): three
 * real nats-server processes on free ports with the project's configuration
 * (a user per service, the generated route login), the streams provisioned
 * with three replicas, every service given all three URLs. During a load of
 * registrations the server that leads the events stream is killed (SIGKILL)
 * and stays down: the other two elect a new leader, the services reconnect to
 * them, and nothing is lost — every expected match, every melding, every
 * e-mail, no dead letter.
 */
import { afterAll, beforeAll, expect, it, onTestFailed } from "vitest";
import { jetstreamManager, type JetStreamManager } from "@nats-io/jetstream";
import { connect as natsConnect } from "@nats-io/transport-node";
import { natsServers } from "@vi/bus";
import { startProcessRegion, type ProcessRegion } from "../support/processes";
import { runScenario } from "./harness";
import { assertSettled } from "./assert";

let region: ProcessRegion;
beforeAll(async () => {
  region = await startProcessRegion({ natsCluster: true });
}, 180_000);
afterAll(async () => region?.close(), 60_000);

/** The operator's view of the cluster (the stream API is the operator's only). */
async function withJsm<T>(fn: (jsm: JetStreamManager) => Promise<T>): Promise<T> {
  const nc = await natsConnect({ servers: natsServers(region.natsUrl), name: "cluster-probe", ...region.natsOperator });
  try {
    return await fn(await jetstreamManager(nc));
  } finally {
    await nc.close().catch(() => undefined);
  }
}

const stream = (kind: "EVENTS" | "DLQ") => `${region.namespace.toUpperCase()}_${kind}`;

it("killing the server that leads the events stream during the load loses nothing", async () => {
  onTestFailed(() => console.error(`--- process output ---\n${region.dumpLogs(120)}`));
  expect(Object.keys(region.natsProcesses).sort()).toEqual(["nats-1", "nats-2", "nats-3"]);
  // Provisioned with three replicas, one on each server.
  const before = await withJsm(async (jsm) => ({ evt: await jsm.streams.info(stream("EVENTS")), dlq: await jsm.streams.info(stream("DLQ")) }));
  expect(before.evt.config.num_replicas).toBe(3);
  expect(before.dlq.config.num_replicas).toBe(3);
  expect(1 + (before.evt.cluster?.replicas?.length ?? 0)).toBe(3);

  let killed: { process: string; server: string } | undefined;
  const outcome = await runScenario(region, {
    name: "NATS cluster: the events stream's leader killed",
    registrations: Number(process.env.FAULT_REGISTRATIONS ?? 600),
    fault: async (r) => {
      const leader = await withJsm(async (jsm) => (await jsm.streams.info(stream("EVENTS"))).cluster?.leader);
      const proc = Object.entries(r.natsProcesses).find(([, server]) => server === leader)?.[0];
      if (!leader || !proc) throw new Error(`no leader of ${stream("EVENTS")} among ${JSON.stringify(r.natsProcesses)}: ${leader}`);
      killed = { process: proc, server: leader };
      await r.procs.kill(proc, "SIGKILL");
    },
  });
  console.log(`killed ${killed?.process} (${killed?.server}), the events stream's leader\n${outcome.text}`);
  expect(killed).toBeDefined();
  // It stayed down the whole time: the region ran on the other two.
  expect(region.procs.running(killed!.process)).toBe(false);
  assertSettled(region, outcome, { expectedDeadLetters: {} });

  const after = await withJsm(async (jsm) => ({ evt: await jsm.streams.info(stream("EVENTS")), dlq: await jsm.streams.info(stream("DLQ")) }));
  // A new leader among the two that are left; nothing in any dead-letter subject (not only the durables the oracle reads).
  expect(after.evt.cluster?.leader).toBeDefined();
  expect(after.evt.cluster?.leader).not.toBe(killed!.server);
  expect(after.dlq.state.messages).toBe(0);
  // Every acknowledged registration made it through the stream: at least one index event each.
  expect(after.evt.state.last_seq).toBeGreaterThanOrEqual(outcome.load.acked.length);
}, 240_000);
