/** What the hub's index needs of this node's signals, read in one query (pseudonymised by the caller). */
import type { Db, KeptPseudonyms, NodeTables } from "@vi/db";
import { asc, eq, gt, inArray, sql } from "drizzle-orm";

/** Rows of these signals (all of them without ids); with `page`, at most `limiet` signals after `na`, in id order (a rebuild's page). */
export async function indexRows(db: Db, t: NodeTables, signalIds?: string[], page?: { na?: string; limiet: number }) {
  if (signalIds && signalIds.length === 0) return [];
  const query = db
    .select({
      signaalId: t.signalen.id,
      entryNode: t.signalen.entryNode,
      status: t.signalen.status,
      versie: t.signalen.versie,
      jeugdigeId: t.jeugdigen.id,
      bsn: t.jeugdigen.bsn,
      ouders: t.jeugdigen.ouders,
      adresId: t.jeugdigen.adresId,
      pseudoniemen: t.jeugdigen.pseudoniemen,
      instelling: sql<boolean>`exists (select 1 from ${t.instellingsadressen} where ${t.instellingsadressen.adresId} = ${t.jeugdigen.adresId})`,
      email: t.professionals.email,
      naam: t.professionals.naam,
      functie: t.professionals.functie,
      telefoon: t.professionals.telefoon,
      organisatie: t.organisaties.naam,
      domein: t.organisaties.domein,
    })
    .from(t.signalen)
    .innerJoin(t.jeugdigen, eq(t.jeugdigen.id, t.signalen.jeugdigeId))
    .innerJoin(t.professionals, eq(t.professionals.id, t.signalen.professionalId))
    .innerJoin(t.organisaties, eq(t.organisaties.id, t.signalen.organisatieId))
    .where(signalIds ? inArray(t.signalen.id, signalIds) : page?.na ? gt(t.signalen.id, page.na) : undefined);
  return page ? query.orderBy(asc(t.signalen.id)).limit(page.limiet) : query;
}

export type IndexRow = Awaited<ReturnType<typeof indexRows>>[number];

/**
 * Keeps the pseudonyms asked for these youths (docs/adr/0047), each only while the youth's values are still those
 * they were asked for: a BRP change committed since leaves the row as it is (its trigger cleared them).
 */
export async function keepPseudonyms(
  db: Db,
  t: NodeTables,
  rows: { jeugdigeId: string; bsn: string; ouders: readonly string[]; adresId: string | null; pseudoniemen: KeptPseudonyms }[],
): Promise<void> {
  if (rows.length === 0) return;
  const values = rows.map((r) => ({ id: r.jeugdigeId, bsn: r.bsn, ouders: r.ouders, adres_id: r.adresId, p: r.pseudoniemen }));
  await db.execute(sql`
    update ${t.jeugdigen} as j set pseudoniemen = v.p
    from jsonb_to_recordset(${JSON.stringify(values)}::jsonb) as v(id uuid, bsn text, ouders jsonb, adres_id text, p jsonb)
    where j.id = v.id and j.bsn = v.bsn and to_jsonb(j.ouders) = v.ouders and j.adres_id is not distinct from v.adres_id`);
}
