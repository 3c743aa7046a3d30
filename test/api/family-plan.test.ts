/**
 * A registration looks for family candidates at its node (familySignals): active signals on other youths that share a
 * parent or the address. Written as a join, the planner misjudged how many youths share a parent (an array overlap
 * its statistics cannot estimate) and, once a gemeente held some hundred thousand signals, scanned them all for every
 * registration: 31 ms at 188 thousand, growing with what is stored (docs/performance.md). This plays the query on
 * the machine's PostgreSQL at that scale, analysed, and asks the planner: no sequential scan of the signals, and the
 * right candidates.
 */
import postgres from "postgres";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Database, migrate, nodeTables, openDatabase } from "@vi/db";
import { createTestDatabase } from "../support/database";
import { familySignals, familySignalsQuery } from "../../services/node/src/store/signals";

const t = nodeTables("gm0363");
const YOUTHS = 150_000;
let created: Awaited<ReturnType<typeof createTestDatabase>>;
let d: Database;
let raw: postgres.Sql;

beforeAll(async () => {
  created = await createTestDatabase("vi_familyplan");
  d = await openDatabase({ url: created.url, max: 2 });
  raw = postgres(created.url, { max: 1, onnotice: () => {} });
  await migrate(d.db, "gm0363");
  await raw.unsafe(`insert into gm0363.organisaties (id, naam, domein) values ('school', 'School', 'onderwijs')`);
  await raw.unsafe(
    `insert into gm0363.professionals (id, email, naam, functie, telefoon, organisatie_id, rol, signaleringsbevoegd, medisch, lokaal)
     values ('00000000-0000-4000-8000-000000000001', 'mentor@school.example', 'Mentor', 'mentor', '020 555 0100', 'school', 'professional', true, false, true)`,
  );
  // Youth i has parents p<i> and q<i>, except that every 1000th pair of youths shares a parent (siblings); each its own address.
  await raw.unsafe(
    `insert into gm0363.jeugdigen (id, bsn, naam, geslacht, geboortedatum, gemeente_code, ouders, adres_id, geheimhouding, brp_opgehaald_op)
     select ('00000000-0000-4000-9000-' || lpad(i::text, 12, '0'))::uuid, lpad(i::text, 9, '0'), 'Jeugdige ' || i, 'V', date '2014-01-01',
            'GM0363', array['p' || (case when i % 1000 = 1 then i - 1 else i end), 'q' || i], 'A' || i, false, now()
       from generate_series(0, ${YOUTHS - 1}) as i`,
  );
  await raw.unsafe(
    `insert into gm0363.signalen (id, jeugdige_id, professional_id, organisatie_id, status, geregistreerd_op, startdatum, einddatum, geinformeerd, entry_node, versie, bijgewerkt_op)
     select gen_random_uuid(), id, '00000000-0000-4000-8000-000000000001', 'school', 'actief', now(), date '2026-12-01', date '2027-12-01', true, 'GM0363', 1, now()
       from gm0363.jeugdigen`,
  );
  await raw.unsafe("vacuum analyze gm0363.jeugdigen, gm0363.signalen");
}, 120_000);
afterAll(async () => {
  await raw?.end();
  await d?.close();
  await created?.drop();
});

const youth = (i: number) => ({
  youthId: `00000000-0000-4000-9000-${String(i).padStart(12, "0")}`,
  parentBsns: [`p${i % 1000 === 1 ? i - 1 : i}`, `q${i}`],
  addressId: `A${i}`,
});

/** Every relation the plan reads sequentially (Seq Scan, Parallel Seq Scan). */
function seqScans(plan: Record<string, unknown>): string[] {
  const own = plan["Node Type"] === "Seq Scan" ? [String(plan["Relation Name"])] : [];
  return [...own, ...((plan.Plans as Record<string, unknown>[] | undefined) ?? []).flatMap(seqScans)];
}

it("finds a youth's family candidates by the indexes, not by reading every signal", async () => {
  const query = familySignalsQuery(d.db, t, youth(5001))!;
  const { sql, params } = query.toSQL();
  const [row] = await raw.unsafe(`explain (format json) ${sql}`, params as never[]);
  const plan = (row!["QUERY PLAN"] as { Plan: Record<string, unknown> }[])[0]!.Plan;
  // (The institution addresses are a short list, read whole.)
  expect(
    seqScans(plan).filter((r) => r !== "instellingsadressen"),
    JSON.stringify(plan),
  ).toEqual([]);
});

it("still finds exactly the siblings' signals", async () => {
  const found = await familySignals(d.db, t, youth(5001));
  expect(found.map((f) => f.youthId)).toEqual([youth(5000).youthId]);
  expect(await familySignals(d.db, t, youth(5002))).toEqual([]);
});
