/**
 * The storage contract: one suite, run on PostgreSQL (postgres.js) and on the
 * embedded PGlite. Everything the node relies on from its database is here.
 *
 * Run on PGlite by contract.pglite.test.ts (unit) and on PostgreSQL by
 * contract.postgres.test.ts (integration).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, arrayOverlaps, eq, sql } from "drizzle-orm";
import { dbReplayGuard, enqueue, hubTables, loadMigrations, migrate, nodeTables, rowsOf, startOutboxRelay, type Database } from "@vi/db";

export type Backend = { name: string; open(): Promise<{ db: Database; cleanup(): Promise<void> }> };

export function storageContract(backend: Backend): void {
  describe(`storage contract on ${backend.name}`, () => {
    let d: Database;
    let cleanup: () => Promise<void>;
    const t = nodeTables("gm0363");
    const other = nodeTables("gm0479");
    const now = new Date("2026-11-28T10:00:00Z");

    beforeAll(async () => {
      ({ db: d, cleanup } = await backend.open());
    }, 60_000);
    afterAll(async () => cleanup?.());

    it("applies every migration once, records it, and is a no-op the second time", async () => {
      const all = loadMigrations("gm0363").map((m) => m.tag);
      expect(await migrate(d.db, "gm0363")).toEqual(all);
      expect(await migrate(d.db, "gm0363")).toEqual([]);
      const rows = rowsOf<{ tag: string }>(await d.db.execute(sql`select tag from "gm0363"."__migraties" order by tag`));
      expect(rows.map((r) => r.tag)).toEqual(all);
    });

    it("concurrent migrations of one schema serialise under the advisory lock", async () => {
      const results = await Promise.all([migrate(d.db, "gm0479"), migrate(d.db, "gm0479"), migrate(d.db, "gm0479")]);
      expect(results.flat()).toEqual(loadMigrations("gm0479").map((m) => m.tag));
    });

    it("keeps each service's tables in its own schema", async () => {
      await d.db.insert(t.organisaties).values({ id: "school", naam: "School", domein: "onderwijs" });
      expect(await d.db.select().from(other.organisaties)).toEqual([]);
      expect(await d.db.select().from(t.organisaties)).toHaveLength(1);
    });

    let profA: string;
    let profB: string;
    let youth: string;
    it("stores professionals, youths and signals with their defaults", async () => {
      const [a, b] = await d.db
        .insert(t.professionals)
        .values([
          { email: "a@x.example", naam: "A", functie: "ib", telefoon: "1", organisatieId: "school", rol: "professional", signaleringsbevoegd: true },
          { email: "b@x.example", naam: "B", functie: "ib", telefoon: "2", organisatieId: "school", rol: "professional", signaleringsbevoegd: true },
        ])
        .returning();
      profA = a!.id;
      profB = b!.id;
      const [j] = await d.db
        .insert(t.jeugdigen)
        .values({
          bsn: "999900018",
          naam: "Adam",
          geslacht: "M",
          geboortedatum: "2016-08-28",
          gemeenteCode: "GM0363",
          ouders: ["999900031", "999900043"],
          adresId: "0363010000000001",
          brpOpgehaaldOp: now,
        })
        .returning();
      youth = j!.id;
      expect(j!.geheimhouding).toBe(false);
      expect(j!.ouders).toEqual(["999900031", "999900043"]);
      expect(j!.geboortedatum).toBe("2016-08-28");
    });

    const signal = (professionalId: string) => ({
      jeugdigeId: youth,
      professionalId,
      organisatieId: "school",
      status: "actief" as const,
      geregistreerdOp: now,
      startdatum: "2026-11-28",
      einddatum: "2027-11-28",
      geinformeerd: true,
      entryNode: "GM0363",
      bijgewerktOp: now,
    });

    it("refuses a second active signal of one professional on one youth (a unique index, not code)", async () => {
      await d.db.insert(t.signalen).values(signal(profA));
      await expect(d.db.insert(t.signalen).values(signal(profA))).rejects.toSatisfy(
        (e: unknown) => JSON.stringify(e, Object.getOwnPropertyNames(e)).includes("23505") || String((e as Error).cause ?? e).includes("duplicate"),
      );
      // ...but an archived one does not block a new active signal.
      await d.db.update(t.signalen).set({ status: "gearchiveerd", gearchiveerdOp: "2026-11-28" }).where(eq(t.signalen.professionalId, profA));
      await d.db.insert(t.signalen).values(signal(profA));
      const rows = await d.db.select().from(t.signalen).where(eq(t.signalen.professionalId, profA));
      expect(rows.map((r) => r.status).sort()).toEqual(["actief", "gearchiveerd"]);
    });

    it("stores a match once per ordered pair and deletes it with either signal", async () => {
      const [s] = await d.db.insert(t.signalen).values(signal(profB)).returning();
      const [a] = await d.db
        .select()
        .from(t.signalen)
        .where(and(eq(t.signalen.professionalId, profA), eq(t.signalen.status, "actief")));
      const [lo, hi] = [s!.id, a!.id].sort();
      await d.db.insert(t.matches).values({ soort: "client", signaalA: lo!, signaalB: hi!, aangemaaktOp: now });
      const dup = await d.db.insert(t.matches).values({ soort: "client", signaalA: lo!, signaalB: hi!, aangemaaktOp: now }).onConflictDoNothing().returning();
      expect(dup).toEqual([]);
      await expect(d.db.insert(t.matches).values({ soort: "client", signaalA: hi!, signaalB: lo!, aangemaaktOp: now })).rejects.toBeTruthy();
      await d.db.delete(t.signalen).where(eq(t.signalen.id, s!.id));
      expect(await d.db.select().from(t.matches)).toEqual([]);
    });

    it("finds youths sharing a parent through the array overlap the matcher uses", async () => {
      await d.db.insert(t.jeugdigen).values({
        bsn: "999900055",
        naam: "Noor",
        geslacht: "V",
        geboortedatum: "2012-08-28",
        gemeenteCode: "GM0363",
        ouders: ["999900043", "999900067"],
        brpOpgehaaldOp: now,
      });
      const found = await d.db
        .select({ bsn: t.jeugdigen.bsn })
        .from(t.jeugdigen)
        .where(arrayOverlaps(t.jeugdigen.ouders, ["999900043"]));
      expect(found.map((f) => f.bsn).sort()).toEqual(["999900018", "999900055"]);
      const none = await d.db
        .select()
        .from(t.jeugdigen)
        .where(arrayOverlaps(t.jeugdigen.ouders, ["999900999"]));
      expect(none).toEqual([]);
    });

    it("a failed transaction leaves nothing behind", async () => {
      const before = await d.db.select().from(t.auditLog);
      await expect(
        d.db.transaction(async (tx) => {
          await tx.insert(t.auditLog).values({ tijdstip: now, actie: "signaal.geregistreerd", actor: "a@x.example" });
          throw new Error("rollback");
        }),
      ).rejects.toThrow("rollback");
      expect(await d.db.select().from(t.auditLog)).toEqual(before);
    });

    it("the outbox publishes an event if and only if its transaction committed, once, in order", async () => {
      const published: string[] = [];
      const relay = startOutboxRelay({ db: d.db, table: t.outbox, bus: { publish: async (_s, _d, id) => void published.push(id) }, intervalMs: 60_000 });
      await expect(
        d.db.transaction(async (tx) => {
          await enqueue(tx, t.outbox, [{ subject: "evt.index.GM0363", token: "t0", msgId: "rolled-back" }]);
          throw new Error("rollback");
        }),
      ).rejects.toThrow();
      await d.db.transaction(async (tx) => {
        await enqueue(tx, t.outbox, [
          { subject: "evt.index.GM0363", token: "t1", msgId: "m1" },
          { subject: "evt.index.GM0363", token: "t2", msgId: "m2" },
        ]);
      });
      await enqueue(d.db, t.outbox, [{ subject: "evt.index.GM0363", token: "t1", msgId: "m1" }]); // same id again: ignored
      expect(await relay.flush()).toBe(2);
      expect(await relay.flush()).toBe(0);
      expect(published).toEqual(["m1", "m2"]);
      expect(await relay.pending()).toBe(0);
      await relay.stop();
    });

    it("a publish failure leaves the event pending for the next attempt", async () => {
      let fail = true;
      const published: string[] = [];
      const relay = startOutboxRelay({
        db: d.db,
        table: t.outbox,
        bus: {
          publish: async (_s, _d, id) => {
            if (fail) throw new Error("bus down");
            published.push(id);
          },
        },
        intervalMs: 60_000,
      });
      await enqueue(d.db, t.outbox, [{ subject: "evt.index.GM0363", token: "t3", msgId: "m3" }]);
      expect(await relay.flush()).toBe(0);
      expect(await relay.pending()).toBe(1);
      fail = false;
      expect(await relay.flush()).toBe(1);
      expect(published).toEqual(["m3"]);
      await relay.stop();
    });

    it("the replay guard accepts a jti once, also from a second guard on the same table", async () => {
      const exp = new Date(now.getTime() + 60_000);
      expect(await dbReplayGuard(d.db, t.ontvangenEvents).firstSeen("jti-1", exp)).toBe(true);
      expect(await dbReplayGuard(d.db, t.ontvangenEvents).firstSeen("jti-1", exp)).toBe(false);
      expect(await dbReplayGuard(d.db, t.ontvangenEvents).firstSeen("jti-2", exp)).toBe(true);
    });

    it("the hub's migrations apply to their own schema", async () => {
      expect(await migrate(d.db, "hub", "hub")).toEqual(loadMigrations("hub", "hub").map((m) => m.tag));
      const h = hubTables("hub");
      expect(await d.db.select().from(h.indexSignalen)).toEqual([]);
    });

    it("a youth deleted takes its signals with it (cascade)", async () => {
      await d.db.delete(t.jeugdigen).where(eq(t.jeugdigen.id, youth));
      expect(await d.db.select().from(t.signalen).where(eq(t.signalen.jeugdigeId, youth))).toEqual([]);
    });
  });
}
