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

    it("the outbox publishes an event if and only if its transaction committed, once, in order, and keeps no copy of it", async () => {
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
      // published: no copy left in the outbox
      expect(await d.db.select().from(t.outbox)).toEqual([]);
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

    it("a batch goes out together and in order; after a failure in its middle the rows before it are gone and the rest go next, in order", async () => {
      let failOn: string | undefined = "b5";
      const published: string[] = [];
      let inFlight = 0;
      let most = 0;
      const relay = startOutboxRelay({
        db: d.db,
        table: t.outbox,
        bus: {
          publish: async (_s, _d, id) => {
            inFlight++;
            most = Math.max(most, inFlight);
            await new Promise((r) => setTimeout(r, 5));
            inFlight--;
            if (id === failOn) throw new Error("bus refused");
            published.push(id);
          },
        },
        intervalMs: 60_000,
      });
      const ids = ["b1", "b2", "b3", "b4", "b5", "b6", "b7", "b8"];
      await enqueue(
        d.db,
        t.outbox,
        ids.map((msgId) => ({ subject: "evt.index.GM0363", token: `t-${msgId}`, msgId })),
      );
      expect(await relay.flush()).toBe(0);
      // Published together, not one after the other.
      expect(most).toBe(ids.length);
      expect(await relay.pending()).toBe(4);
      failOn = undefined;
      published.length = 0;
      expect(await relay.flush()).toBe(4);
      // The failed row and those after it, in order: b6-b8 a second time, under the same msgId (the bus deduplicates).
      expect(published).toEqual(["b5", "b6", "b7", "b8"]);
      expect(await relay.pending()).toBe(0);
      await relay.stop();
    });

    it("the replay guard accepts a jti once, also from a second guard on the same table", async () => {
      const exp = new Date(now.getTime() + 60_000);
      expect(await dbReplayGuard(d.db, t.ontvangenEvents).firstSeen("jti-1", exp)).toBe(true);
      expect(await dbReplayGuard(d.db, t.ontvangenEvents).firstSeen("jti-1", exp)).toBe(false);
      expect(await dbReplayGuard(d.db, t.ontvangenEvents).firstSeen("jti-2", exp)).toBe(true);
    });

    it("the closed list of reasons for not informing: free text already stored is replaced by andere-reden-in-eigen-dossier and erased", async () => {
      const schema = "gm0880";
      const FREE_TEXT = "Vader drinkt, moeder weet van niets";
      // The schema as it was before the closed list (every migration up to 0002), with a free-text reason in it.
      const before = loadMigrations(schema).filter((m) => m.tag < "0003");
      await d.db.execute(sql.raw(`CREATE SCHEMA IF NOT EXISTS "${schema}"`));
      await d.db.execute(
        sql.raw(`CREATE TABLE "${schema}"."__migraties" (tag text PRIMARY KEY, hash text NOT NULL, toegepast_op timestamptz NOT NULL DEFAULT now())`),
      );
      for (const m of before) {
        for (const statement of m.statements) await d.db.execute(sql.raw(statement));
        await d.db.execute(sql`insert into ${sql.raw(`"${schema}"."__migraties"`)} (tag, hash) values (${m.tag}, ${m.hash})`);
      }
      const rows = `
        insert into "${schema}".organisaties (id, naam, domein) values ('school', 'School', 'onderwijs');
        insert into "${schema}".professionals (id, email, naam, functie, telefoon, organisatie_id, rol, signaleringsbevoegd)
          values ('00000000-0000-4000-8000-000000000001', 'a@x.example', 'A', 'ib', '1', 'school', 'professional', true);
        insert into "${schema}".jeugdigen (id, bsn, naam, geslacht, geboortedatum, gemeente_code, brp_opgehaald_op)
          values ('00000000-0000-4000-8000-000000000002', '999900018', 'Adam', 'M', '2016-08-28', 'GM0880', now());
        insert into "${schema}".signalen (id, jeugdige_id, professional_id, organisatie_id, status, geregistreerd_op, startdatum, einddatum, geinformeerd, reden_niet_geinformeerd, entry_node, bijgewerkt_op)
          values ('00000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001', 'school', 'actief', now(), '2026-11-28', '2027-11-28', false, '${FREE_TEXT}', 'GM0880', now()),
                 ('00000000-0000-4000-8000-000000000004', '00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001', 'school', 'gearchiveerd', now(), '2025-11-28', '2026-11-27', true, null, 'GM0880', now());
        insert into "${schema}".signaal_refs (signaal_id, professional_id, residentie, status, jeugdige_naam, signaal, bijgewerkt_op)
          values ('00000000-0000-4000-8000-000000000005', '00000000-0000-4000-8000-000000000001', 'GM0363', 'actief', 'Liam',
                  '{"id":"00000000-0000-4000-8000-000000000005","geinformeerd":false,"redenNietGeinformeerd":"${FREE_TEXT}"}', now());
        insert into "${schema}".outbox (subject, token, msg_id, gepubliceerd_op) values ('evt.melding.GM0363', 'een.gepubliceerd.token', 'm-1', now())`;
      for (const statement of rows.split(";")) await d.db.execute(sql.raw(statement));

      const applied = await migrate(d.db, schema);
      expect(applied.some((tag) => tag.startsWith("0003"))).toBe(true);
      const reasons = rowsOf<{ reden: string | null }>(
        await d.db.execute(sql.raw(`select reden_niet_geinformeerd as reden from "${schema}".signalen order by id`)),
      );
      expect(reasons).toEqual([{ reden: "andere-reden-in-eigen-dossier" }, { reden: null }]);
      // (0006 moved the pointer's copy of the signal into columns of its own.)
      const [ref] = rowsOf<{ reden: string }>(await d.db.execute(sql.raw(`select reden_niet_geinformeerd as reden from "${schema}".signaal_refs`)));
      expect(ref?.reden).toBe("andere-reden-in-eigen-dossier");
      for (const table of ["signalen", "signaal_refs", "outbox", "audit_log"]) {
        const text = JSON.stringify(rowsOf(await d.db.execute(sql.raw(`select * from "${schema}"."${table}"`))));
        expect(text, table).not.toContain(FREE_TEXT);
      }
      // From now on the database itself refuses free text.
      await expect(
        d.db.execute(sql.raw(`update "${schema}".signalen set reden_niet_geinformeerd = 'iets anders' where id = '00000000-0000-4000-8000-000000000003'`)),
      ).rejects.toThrow();
    });

    it("pointers keep no BSN: the copy of the signal at an entry node becomes the list's fields, and published outbox rows go", async () => {
      const schema = "gm0881";
      const BSN = "999900079";
      const before = loadMigrations(schema).filter((m) => m.tag < "0006");
      await d.db.execute(sql.raw(`CREATE SCHEMA IF NOT EXISTS "${schema}"`));
      await d.db.execute(
        sql.raw(`CREATE TABLE "${schema}"."__migraties" (tag text PRIMARY KEY, hash text NOT NULL, toegepast_op timestamptz NOT NULL DEFAULT now())`),
      );
      for (const m of before) {
        for (const statement of m.statements) await d.db.execute(sql.raw(statement));
        await d.db.execute(sql`insert into ${sql.raw(`"${schema}"."__migraties"`)} (tag, hash) values (${m.tag}, ${m.hash})`);
      }
      const view = (id: string, extra: Record<string, unknown>) =>
        JSON.stringify({
          id,
          status: "actief",
          jeugdige: { bsn: BSN, naam: "Liam van Haarlem", geboortedatum: "2022-08-28" },
          organisatie: { id: "school", naam: "School" },
          geregistreerdOp: "2026-11-28T09:00:00.000Z",
          startdatum: "2026-11-28",
          einddatum: "2027-11-28",
          geinformeerd: true,
          gearchiveerdOp: null,
          ...extra,
        });
      const rows = `
        insert into "${schema}".organisaties (id, naam, domein) values ('school', 'School', 'onderwijs');
        insert into "${schema}".professionals (id, email, naam, functie, telefoon, organisatie_id, rol, signaleringsbevoegd)
          values ('00000000-0000-4000-8000-000000000001', 'a@x.example', 'A', 'ib', '1', 'school', 'professional', true);
        insert into "${schema}".signaal_refs (signaal_id, professional_id, residentie, status, jeugdige_naam, signaal, bijgewerkt_op)
          values ('00000000-0000-4000-8000-000000000005', '00000000-0000-4000-8000-000000000001', 'GM0363', 'actief', 'Liam van Haarlem',
                  '${view("00000000-0000-4000-8000-000000000005", { geinformeerdWie: "ouders", geinformeerdOp: "2026-11-27" })}', now()),
                 ('00000000-0000-4000-8000-000000000006', '00000000-0000-4000-8000-000000000001', 'GM0479', 'actief', 'Liam van Haarlem',
                  '${view("00000000-0000-4000-8000-000000000006", { geinformeerd: false, redenNietGeinformeerd: "nog-niet-bereikt" })}', now());
        insert into "${schema}".outbox (subject, token, msg_id, gepubliceerd_op) values ('evt.melding.GM0363', 'een.token.met.${BSN}', 'm-1', now());
        insert into "${schema}".outbox (subject, token, msg_id) values ('evt.melding.GM0363', 'nog.niet.gepubliceerd', 'm-2')`;
      for (const statement of rows.split(";")) await d.db.execute(sql.raw(statement));

      const applied = await migrate(d.db, schema);
      expect(applied.some((tag) => tag.startsWith("0006"))).toBe(true);
      const refs = rowsOf(
        await d.db.execute(
          sql.raw(
            `select signaal_id, residentie, jeugdige_naam, geregistreerd_op::text as geregistreerd_op, startdatum::text, einddatum::text, gearchiveerd_op, geinformeerd, geinformeerd_wie, geinformeerd_op::text, reden_niet_geinformeerd from "${schema}".signaal_refs order by signaal_id`,
          ),
        ),
      );
      expect(refs).toEqual([
        expect.objectContaining({
          residentie: "GM0363",
          jeugdige_naam: "Liam van Haarlem",
          startdatum: "2026-11-28",
          einddatum: "2027-11-28",
          geinformeerd: true,
          geinformeerd_wie: "ouders",
          geinformeerd_op: "2026-11-27",
          reden_niet_geinformeerd: null,
        }),
        expect.objectContaining({ residentie: "GM0479", geinformeerd: false, geinformeerd_wie: null, reden_niet_geinformeerd: "nog-niet-bereikt" }),
      ]);
      for (const table of ["signaal_refs", "outbox"]) {
        const text = JSON.stringify(rowsOf(await d.db.execute(sql.raw(`select * from "${schema}"."${table}"`))));
        expect(text, table).not.toContain(BSN);
        expect(text, table).not.toContain("2022-08-28");
      }
      // What was not yet published is still sent.
      expect(rowsOf(await d.db.execute(sql.raw(`select msg_id from "${schema}".outbox`)))).toEqual([{ msg_id: "m-2" }]);
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
