/** The assertions every fault test makes once the region has settled. */
import { expect } from "vitest";
import type { ProcessRegion } from "../support/processes";
import { SETTLE_LIMIT_MS, type ScenarioOutcome } from "./harness";

export function assertSettled(region: ProcessRegion, o: ScenarioOutcome, opts: { expectedDeadLetters: Record<string, string> }): void {
  // No service died by itself.
  const crashed = region.procs.unexpectedExits();
  const why = crashed.length
    ? `\n${region.procs
        .grep(/ err\]|exited/)
        .slice(-40)
        .join("\n")}`
    : "";
  expect(crashed, `processes that exited unasked${why}`).toEqual([]);
  // Every planned registration was acknowledged (after retries).
  expect(o.load.failed, "registrations never acknowledged").toEqual([]);
  // A fault may make a service unreachable (a 503 the professional can retry), never a 500.
  expect.soft(internalErrors(o.load.retryReasons), "internal errors (500) answered during the fault").toEqual({});
  // Every invariant of the oracle (signals once, matches once in the right place, meldingen, e-mails).
  expect.soft(o.settled.verdict.problems, `the region did not settle:\n${o.text}`).toEqual({});
  // ... and did so within the bound once the fault had cleared and the load had ended.
  expect.soft(o.settled.ms, `settle time after the fault cleared (limit ${SETTLE_LIMIT_MS} ms):\n${o.text}`).toBeLessThanOrEqual(SETTLE_LIMIT_MS);
  // A signal acknowledged by a 409 on retry is in the professional's own list at the entry node (once settled).
  expect
    .soft(
      o.load.notListedAfterSettle ?? o.load.notListedAfter409,
      "acknowledged signals missing from the professional's own list (no signaal_ref at the entry node)",
    )
    .toEqual([]);
  // No dead letters, unless the test explains why.
  for (const [durable, letters] of Object.entries(o.settled.deadLetters)) {
    if (opts.expectedDeadLetters[durable]) continue;
    expect
      .soft(
        letters.map((l) => ({ subject: l.originalSubject, error: l.error, deliveries: l.deliveryCount })),
        `dead letters in dlq.${durable}`,
      )
      .toEqual([]);
  }
}

/** The retry reasons that were internal errors (a 500, or a 5xx other than 502/503/504, which say "try again"). */
export function internalErrors(reasons: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(reasons).filter(([reason]) => /^5\d\d\b/.test(reason) && !/^50[234]\b/.test(reason)));
}
