/**
 * The benchmark's bulk import (bench/import.ts) keeps the rules a registration keeps: here, that its audit rows are
 * links of the node's audit chain (the chain verifies, none unchained), and that each youth keeps exactly the
 * pseudonyms the hub's index got (docs/adr/0047). On the machine's PostgreSQL, with a generated population.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import postgres from "postgres";
import { type Database, migrate, nodeTables, openDatabase } from "@vi/db";
import { type BrpRecord, generatePopulation, leeftijdOp } from "@vi/demo";
import { evaluatePseudonym, keyOfVersion } from "@vi/pseudonym";
import { createTestDatabase } from "../support/database";
import { bulkImport, type ImportProfessional } from "../../bench/import";
import { checkAuditChain } from "../../services/node/src/logic/audit-log";

const t = nodeTables("gm0363");
const today = "2026-12-07";
let created: Awaited<ReturnType<typeof createTestDatabase>>;
let d: Database;
let sql: postgres.Sql;
let prof: ImportProfessional;

beforeAll(async () => {
  created = await createTestDatabase("vi_import");
  d = await openDatabase({ url: created.url, max: 2 });
  await migrate(d.db, "gm0363");
  await migrate(d.db, "hub", "hub");
  sql = postgres(created.url, { max: 2, onnotice: () => {} });
  await sql.unsafe(`insert into gm0363.organisaties (id, naam, domein) values ('bench', 'Benchmark Jeugdhulp', 'jeugdhulp')`);
  const [row] = await sql.unsafe(
    `insert into gm0363.professionals (email, naam, functie, telefoon, organisatie_id, rol, signaleringsbevoegd, medisch, lokaal)
     values ('import@bench.example', 'Bench import', 'jeugdhulpverlener', '020 555 0199', 'bench', 'professional', true, false, true) returning id`,
  );
  prof = {
    id: row!.id as string,
    email: "import@bench.example",
    naam: "Bench import",
    functie: "jeugdhulpverlener",
    telefoon: "020 555 0199",
    organisatieId: "bench",
    organisatie: "Benchmark Jeugdhulp",
    domein: "jeugdhulp",
  };
}, 60_000);
afterAll(async () => {
  await sql?.end();
  await d?.close();
  await created?.drop();
});

it("chains its audit rows after those already there, and each youth keeps the pseudonyms the hub got", async () => {
  const pop = generatePopulation({ seed: 7, youths: 3000, today });
  const institutions = new Set(pop.institutionAddressIds());
  // Amsterdam's youths under 22, one per family and address (the import refuses two that owe each other a match).
  const parents = new Set<string>();
  const addresses = new Set<string>();
  const youths: BrpRecord[] = [];
  for (let i = 0; i < pop.size.youths && youths.length < 120; i++) {
    const y = pop.byBsn(pop.youthBsn(i))!;
    const address = y.adres.adresseerbaarObjectId;
    if (y.gemeenteCode !== "GM0363" || y.overlijdensdatum || leeftijdOp(y.geboortedatum, today) >= 22) continue;
    if (y.ouders.some((p) => parents.has(p)) || addresses.has(address)) continue;
    for (const p of y.ouders) parents.add(p);
    if (!institutions.has(address)) addresses.add(address);
    youths.push(y);
  }
  expect(youths.length).toBe(120);
  // A row of the chain already there: the import links on to it.
  await d.db.transaction(async (tx) => {
    const { appendToAuditChain } = await import("@vi/db");
    await appendToAuditChain(tx, t.auditLog, [
      { tijdstip: new Date(), actie: "signaal.geregistreerd", actor: "systeem", namens: null, jeugdigeId: null, signaalId: null, details: null },
    ]);
  });
  const key = keyOfVersion(randomBytes(32), "regio", 1).secretKey;
  const n = await bulkImport(sql, { today, pseudonymKey: key, institutions, professionalFor: () => prof, youths: youths.slice(0, 70), batch: 50 });
  expect(n).toBe(70);
  expect(await bulkImport(sql, { today, pseudonymKey: key, institutions, professionalFor: () => prof, youths: youths.slice(70), batch: 50 })).toBe(50);

  expect(await checkAuditChain(d.db, t)).toEqual({ ok: true, rows: 121, unchained: 0 });
  const kept = await sql.unsafe(
    `select j.bsn, j.ouders, j.adres_id, j.pseudoniemen, i.jeugdige, i.ouders as hub_ouders, i.adres
       from gm0363.jeugdigen j join gm0363.signalen s on s.jeugdige_id = j.id join hub.index_signalen i on i.signaal_id = s.id`,
  );
  expect(kept).toHaveLength(120);
  for (const r of kept) {
    const ps = (r.pseudoniemen as Record<string, { j: string; o: string[]; a?: string }>)["1"]!;
    expect(ps.j).toBe(evaluatePseudonym(key, { kind: "jeugdige", value: r.bsn as string }));
    expect(ps.j).toBe(r.jeugdige);
    expect(ps.o).toEqual(r.hub_ouders);
    expect(ps.a ?? null).toBe(r.adres);
  }
});
