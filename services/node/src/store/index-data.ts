/** What the hub's index needs of this node's signals, read in one query (pseudonymised by the caller). */
import type { Db, NodeTables } from "@vi/db";
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
      bsn: t.jeugdigen.bsn,
      ouders: t.jeugdigen.ouders,
      adresId: t.jeugdigen.adresId,
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
