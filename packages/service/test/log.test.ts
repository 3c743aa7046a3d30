/**
 * No log line carries a name, a date of birth, a BSN or an e-mail address,
 * also when a database error is logged: drizzle puts the query's parameters
 * in its error message, and postgres.js puts them (and values in `detail`)
 * on its error object.
 */
import { DrizzleQueryError } from "drizzle-orm/errors";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { createLogger, createServiceApp, errorForLog } from "../src/index";

const PERSONAL = ["ib@buurtschool.example", "Adam van Haarlem", "2015-03-10", "999900018"];

/** A database error as drizzle-orm over postgres.js throws it for a failed query with these parameters. */
function databaseError(): Error {
  const cause = new postgres.PostgresError({
    message: 'invalid input syntax for type date: "2015-03-10x"',
    severity: "ERROR",
    code: "22007",
    detail: "Key (email)=(ib@buurtschool.example) already exists.",
    where: "unnamed portal parameter $3 = 'Adam van Haarlem'",
  } as never);
  Object.defineProperties(cause, {
    query: { value: "update gm0363.jeugdigen set naam = $1 where bsn = $2", enumerable: true },
    parameters: { value: PERSONAL, enumerable: true },
  });
  return new DrizzleQueryError("update gm0363.jeugdigen set naam = $1, geboortedatum = $2 where bsn = $3", [...PERSONAL], cause);
}

function memoryLog() {
  const lines: string[] = [];
  return { log: createLogger("info", "test", { write: (s: string) => void lines.push(s) }), lines };
}

describe("logged errors carry no personal data", () => {
  it("errorForLog keeps the query, the SQLSTATE and the stack, and drops the parameters and values", () => {
    const shown = errorForLog(databaseError());
    const text = JSON.stringify(shown);
    for (const p of PERSONAL) expect(text).not.toContain(p);
    expect(shown).toMatchObject({ name: "Error", cause: { code: "22007" } });
    expect(String(shown.message)).toContain("Failed query: update gm0363.jeugdigen");
    expect(String(shown.stack)).toContain("log.test.ts");
  });

  it("an unhandled error in a request is logged without them", async () => {
    const { log, lines } = memoryLog();
    const app = createServiceApp({ apiVersion: "1", log, bodyLimitBytes: 1024, ready: async () => true });
    app.get("/api/v1/db", () => {
      throw databaseError();
    });
    expect((await app.request("/api/v1/db")).status).toBe(500);
    const logged = lines.find((l) => l.includes("unhandled error"));
    expect(logged).toBeDefined();
    expect(logged).toContain("Failed query");
    for (const p of PERSONAL) expect(logged).not.toContain(p);
  });

  it("an error logged as `err` by a service is redacted by the logger itself", () => {
    const { log, lines } = memoryLog();
    log.error({ err: databaseError() }, "something failed");
    log.warn({ err: { message: databaseError().message } }, "something failed, as a message");
    expect(lines).toHaveLength(2);
    for (const line of lines) for (const p of PERSONAL) expect(line).not.toContain(p);
  });
});
