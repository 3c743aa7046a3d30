/**
 * PostgreSQL connection loss during a load of a few thousand registrations:
 * every backend of the region's database is terminated (pg_terminate_backend),
 * three times two seconds apart, so transactions of registrations, consumers,
 * outbox relays and mail loops are cut off mid-way. The services reconnect
 * (postgres.js opens new connections); the client retries what failed.
 */
import { afterAll, beforeAll, expect, it, onTestFailed } from "vitest";
import postgres from "postgres";
import { startProcessRegion, type ProcessRegion } from "../support/processes";
import { runScenario } from "./harness";
import { assertSettled } from "./assert";

let region: ProcessRegion;
beforeAll(async () => {
  region = await startProcessRegion();
}, 120_000);
afterAll(async () => region?.close(), 60_000);

it("losing every PostgreSQL connection during the load loses nothing and duplicates nothing", async () => {
  onTestFailed(() => console.error(`--- process output ---\n${region.dumpLogs(120)}`));
  const terminated: number[] = [];
  // A connection of its own (not in the test's pool), opened before the load so it cannot be refused
  // when the server is at max_connections; it spares itself (pid <> pg_backend_pid()).
  const killer = postgres(region.databaseUrl, { max: 1, onnotice: () => {}, connection: { application_name: "fault-killer" } });
  await killer`select 1`;
  let outcome: Awaited<ReturnType<typeof runScenario>> | undefined;
  try {
    outcome = await runScenario(region, {
      name: "PostgreSQL connections terminated (3x)",
      fault: async () => {
        for (let i = 0; i < 3; i++) {
          const rows =
            await killer`select pg_terminate_backend(pid) as ok from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`;
          terminated.push(rows.length);
          await new Promise((res) => setTimeout(res, 2000));
        }
      },
    });
  } finally {
    await killer.end({ timeout: 5 });
  }
  console.log(`${outcome.text}\nbackends terminated per round: ${terminated.join(", ")}`);
  expect(terminated.every((n) => n > 0)).toBe(true);
  assertSettled(region, outcome, { expectedDeadLetters: {} });
}, 240_000);
