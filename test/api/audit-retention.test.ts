/**
 * How long audit rows are kept (AUDIT_BEWAARTERMIJN_JAREN, docs/logging.md): the retention job removes the rows
 * older than the term from the start of the chain in one cut and records where the chain now starts
 * (`auditlog.ingekort`, itself a link of the chain), so `npm run audit:verify` still finds the chain whole; without
 * that record the cut shows as removed rows. One node over HTTP on a real PostgreSQL, with the clock moved on.
 */
import { spawnSync } from "node:child_process";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "@vi/db";
import { addYears } from "@vi/domain";
import { checkAuditChain, runRetention } from "@vi/node";
import { ADAM, clockAt, IB, JGZ } from "../support/constants";
import { startTestRegion, type TestRegion } from "../support/region";

let r: TestRegion;
beforeAll(async () => {
  r = await startTestRegion({ gemeenten: ["GM0363"], env: { AUDIT_BEWAARTERMIJN_JAREN: "5" } });
});
afterAll(async () => r?.close());

const exec = async <T>(q: string) => rowsOf<T>(await r.database.db.execute(sql.raw(q)));
const ids = async () => (await exec<{ id: string }>("select id from gm0363.audit_log order by id")).map((x) => Number(x.id));
const chain = () => checkAuditChain(r.database.db, r.node("GM0363").ctx.t);
function cli() {
  const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/audit-verify.ts", "gm0363"], {
    env: { ...process.env, DATABASE_URL: r.databaseUrl },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: run.status, out: run.stdout + run.stderr };
}

describe("the audit rows' retention term", () => {
  let old: number[];

  it("keeps every row within the term", async () => {
    expect((await r.call("GM0363", IB, "POST", "/api/v1/signalen", { bsn: ADAM, geinformeerd: true })).status).toBe(201);
    expect((await r.call("GM0363", JGZ, "GET", "/api/v1/signalen")).status).toBe(200);
    old = await ids();
    expect(old.length).toBeGreaterThanOrEqual(2);
    r.clock.set(clockAt(addYears(r.today, 4)));
    const report = await runRetention(r.node("GM0363").ctx);
    expect(report.auditRegelsVerwijderd).toBe(0);
    expect((await ids()).slice(0, old.length)).toEqual(old);
  });

  it("removes the rows older than the term from the start, and the chain stays whole", async () => {
    const [lastOld] = await exec<{ hash: string }>(`select hash from gm0363.audit_log where id = ${old.at(-1)}`);
    r.clock.set(clockAt(addYears(r.today, 6)));
    const report = await runRetention(r.node("GM0363").ctx);
    // Every row of the first day goes (the 4-year run's rows are younger than the term).
    expect(report.auditRegelsVerwijderd).toBe(old.length);
    const left = await ids();
    expect(left.some((id) => id <= old.at(-1)!)).toBe(false);
    const [cut] = await exec<{ details: Record<string, unknown> }>("select details from gm0363.audit_log where actie = 'auditlog.ingekort'");
    expect(cut!.details).toMatchObject({ totEnMetRegel: old.at(-1), hash: lastOld!.hash, aantal: old.length, bewaartermijnJaren: 5 });
    expect(await chain()).toMatchObject({ ok: true, rows: left.length });
    expect(cli()).toEqual({ status: 0, out: expect.stringContaining(`De auditketen van gm0363 is heel: ${left.length} regels.`) });
  });

  it("without its record the cut shows as removed rows", async () => {
    const first = (await ids())[0]!;
    await exec("delete from gm0363.audit_log where actie = 'auditlog.ingekort'");
    const finding = await chain();
    expect(finding).toMatchObject({ ok: false, kind: "verwijderd", id: first });
    const run = cli();
    expect(run.status).toBe(1);
    expect(run.out).toContain(`voor auditregel ${first} is een regel verwijderd`);
  });
});
