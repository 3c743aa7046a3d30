/**
 * What a node tells the node that called it when its handler failed (services/node/src/inbound/rpc-handlers.ts): a
 * lost database connection at the residence node became a 500 INTERNE_FOUT at the entry node (16 of 1,501
 * registrations in the PostgreSQL connection-loss fault test); it is a 503 the client retries, as at its own node.
 */
import { describe, expect, it } from "vitest";
import { problem } from "../../services/node/src/problems";
import { remoteProblemOf } from "../../services/node/src/inbound/rpc-handlers";

/** An error as drizzle throws it: "Failed query" with the driver's error as its cause. */
function wrapped(cause: Error & { code?: string }): Error {
  return new Error("Failed query: select 1", { cause });
}

describe("remoteProblemOf", () => {
  it("passes a Problem on as it is", () => {
    const p = remoteProblemOf(problem("SIGNAAL_BESTAAT_AL", "U heeft al een signaal op deze jeugdige."));
    expect(p).toMatchObject({ code: "SIGNAAL_BESTAAT_AL", status: 409 });
  });

  it("tells a lost connection or a terminated backend as 503 NODE_ONBEREIKBAAR", () => {
    const closed = Object.assign(new Error("write CONNECTION_CLOSED 127.0.0.1:5432"), { code: "CONNECTION_CLOSED" });
    const terminated = Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" });
    for (const e of [closed, wrapped(closed), wrapped(terminated)]) {
      const p = remoteProblemOf(e);
      expect(p.code).toBe("NODE_ONBEREIKBAAR");
      expect(p.status).toBe(503);
      expect(p.detail).toMatch(/Probeer het/);
    }
  });

  it("keeps anything else a 500 INTERNE_FOUT (a constraint violation is our mistake, not the database's absence)", () => {
    const unique = Object.assign(new Error("duplicate key value violates unique constraint"), { code: "23505" });
    expect(remoteProblemOf(wrapped(unique))).toMatchObject({ code: "INTERNE_FOUT", status: 500 });
    expect(remoteProblemOf(new TypeError("x is undefined"))).toMatchObject({ code: "INTERNE_FOUT", status: 500 });
  });
});
