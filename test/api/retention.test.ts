/**
 * The retention job against real PostgreSQL and the fake BRP: a death the
 * BRP records without a date, one bad record among good ones, and what the
 * job logs when a record fails.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rowsOf } from "@vi/db";
import { addDays } from "@vi/domain";
import { runRetention } from "@vi/node";
import { ADAM, clockAt, IB, JGZ, LIAM } from "../support/constants";
import { eventually } from "../support/federation";
import { startTestRegion, type TestRegion } from "../support/region";

const logLines: string[] = [];
let r: TestRegion;
beforeAll(async () => {
  r = await startTestRegion({ gemeenten: ["GM0363"], logLines });
});
afterAll(async () => r?.close());

const register = async (who: string, bsn: string, extra: object = {}) => {
  const res = await r.call("GM0363", who, "POST", "/api/v1/signalen", { bsn, geinformeerd: true, ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { signaal: { id: string; jeugdige: { naam: string; geboortedatum: string } } };
};
const statusOf = async (id: string) =>
  rowsOf<{ status: string }>(await r.database.db.execute(sql`select status from gm0363.signalen where id = ${id}`))[0]?.status ?? "weg";

describe("a death the BRP records without a date", () => {
  it("counts as deceased: the signals go, and the run goes on for the other youths", async () => {
    const adam = await register(JGZ, ADAM);
    const liam = await register(IB, LIAM, { einddatum: addDays(r.today, 1) });
    r.brp.store.markDeceased(ADAM, "onbekend");
    r.clock.set(clockAt(addDays(r.today, 2)));
    try {
      const report = await runRetention(r.node("GM0363").ctx, { brpMaxAgeMs: 0 });
      expect(report.verwijderd.overleden).toBe(1);
      expect(report.gearchiveerd).toBe(1);
      expect(await statusOf(adam.signaal.id)).toBe("weg");
      expect(await statusOf(liam.signaal.id)).toBe("gearchiveerd");
    } finally {
      r.clock.set(clockAt(r.today));
      expect((await r.call("GM0363", IB, "POST", `/api/v1/signalen/${liam.signaal.id}/intrekken`)).status).toBe(204);
    }
  });
});

describe("one bad record", () => {
  it("never stops the run for the others, and its error is logged without a name, birth date, BSN or e-mail", async () => {
    // Liam's record cannot be written (a fault in the database, only for his row).
    const liam = await register(IB, LIAM, { einddatum: addDays(r.today, 1) });
    const jgzLiam = await register(JGZ, LIAM, { einddatum: addDays(r.today, 1) });
    const [youth] = rowsOf<{ id: string }>(await r.database.db.execute(sql`select id::text from gm0363.jeugdigen where bsn = ${LIAM}`));
    await r.database.db.execute(
      sql.raw(`
      create function gm0363.faal_voor_jeugdige() returns trigger language plpgsql as $$
      begin
        if new.id = '${youth!.id}' then raise exception 'simulated fault for one record'; end if;
        return new;
      end $$;
      create trigger faal_voor_jeugdige before update on gm0363.jeugdigen for each row execute function gm0363.faal_voor_jeugdige();`),
    );
    logLines.length = 0;
    r.clock.set(clockAt(addDays(r.today, 2)));
    try {
      const report = await runRetention(r.node("GM0363").ctx, { brpMaxAgeMs: 0 });
      // Liam's refresh failed; his expired signals are still archived from what the index holds.
      expect(report.mislukt).toBeGreaterThanOrEqual(1);
      expect(report.gearchiveerd).toBe(2);
      expect(await statusOf(liam.signaal.id)).toBe("gearchiveerd");
      expect(await statusOf(jgzLiam.signaal.id)).toBe("gearchiveerd");
    } finally {
      r.clock.set(clockAt(r.today));
      await r.database.db.execute(sql.raw(`drop trigger faal_voor_jeugdige on gm0363.jeugdigen; drop function gm0363.faal_voor_jeugdige();`));
    }
    const failed = logLines.filter((l) => l.includes("simulated fault"));
    expect(failed.length).toBeGreaterThanOrEqual(1);
    for (const line of logLines) {
      for (const value of [LIAM, liam.signaal.jeugdige.naam, liam.signaal.jeugdige.geboortedatum, IB, JGZ]) expect(line).not.toContain(value);
      expect(line).not.toMatch(/\b\d{9}\b/);
    }
  });
});

describe("retention and an extension at the same moment", () => {
  it("a signal extended while the run is deciding on it is never archived by that run", async () => {
    const { signaal } = await register(IB, LIAM, { einddatum: addDays(r.today, 1) });
    const later = addDays(r.today, 200);
    r.clock.set(clockAt(addDays(r.today, 2)));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    try {
      // The extension's transaction: it holds the row while the retention run starts; it commits later.
      const extension = r.database.db.transaction(async (tx) => {
        await tx.execute(sql`select id from gm0363.signalen where id = ${signaal.id} for update`);
        await tx.execute(sql`update gm0363.signalen set einddatum = ${later} where id = ${signaal.id}`);
        locked();
        await gate;
      });
      await isLocked;
      const run = runRetention(r.node("GM0363").ctx);
      await eventually(async () => {
        const [w] = rowsOf<{ n: number }>(
          await r.database.db.execute(sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`),
        );
        return w!.n > 0;
      }, "the retention run to wait for the extension's row");
      release();
      await extension;
      const report = await run;
      expect(report.gearchiveerd).toBe(0);
      const [row] = rowsOf<{ status: string; einddatum: string }>(
        await r.database.db.execute(sql`select status, einddatum::text from gm0363.signalen where id = ${signaal.id}`),
      );
      expect(row).toEqual({ status: "actief", einddatum: later });
    } finally {
      release();
      r.clock.set(clockAt(r.today));
      await r.call("GM0363", IB, "POST", `/api/v1/signalen/${signaal.id}/intrekken`);
    }
  });

  it("an extension after the run archived the signal is refused, not written onto the archive", async () => {
    const { signaal } = await register(IB, LIAM, { einddatum: addDays(r.today, 1) });
    r.clock.set(clockAt(addDays(r.today, 2)));
    try {
      // The run archives first; the extension was read as active before and comes in after.
      const report = await runRetention(r.node("GM0363").ctx);
      expect(report.gearchiveerd).toBeGreaterThanOrEqual(1);
      const res = await r.call("GM0363", IB, "POST", `/api/v1/signalen/${signaal.id}/verlengen`, { einddatum: addDays(r.today, 100) });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe("SIGNAAL_NIET_ACTIEF");
    } finally {
      r.clock.set(clockAt(r.today));
      await r.call("GM0363", IB, "POST", `/api/v1/signalen/${signaal.id}/intrekken`);
    }
  });
});
