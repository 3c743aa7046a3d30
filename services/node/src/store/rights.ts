/**
 * Queries for the AVG desk (what the index holds on one youth) and for a
 * handover of a leaving professional's signals. Each takes the database (or
 * the transaction) first; none decides a rule.
 */
import type { Db, NodeTables } from "@vi/db";
import { and, eq, inArray, ne, sql } from "drizzle-orm";

/** The youth as stored here (derived from the BRP), by BSN. */
export async function youthByBsn(db: Db, t: NodeTables, bsn: string) {
  const [row] = await db
    .select()
    .from(t.jeugdigen)
    .where(and(eq(t.jeugdigen.bsn, bsn), eq(t.jeugdigen.zonderBsn, false)));
  return row;
}

/** Every signal on the youth, with its professional and organisation, oldest first. */
export async function signalsOfYouthFull(db: Db, t: NodeTables, jeugdigeId: string) {
  return db
    .select({
      s: t.signalen,
      professional: { naam: t.professionals.naam, functie: t.professionals.functie, email: t.professionals.email, telefoon: t.professionals.telefoon },
      organisatie: { id: t.organisaties.id, naam: t.organisaties.naam, domein: t.organisaties.domein },
    })
    .from(t.signalen)
    .innerJoin(t.professionals, eq(t.professionals.id, t.signalen.professionalId))
    .innerJoin(t.organisaties, eq(t.organisaties.id, t.signalen.organisatieId))
    .where(eq(t.signalen.jeugdigeId, jeugdigeId))
    .orderBy(t.signalen.geregistreerdOp);
}

/** A signal held here, with its youth's id and where it was registered (any professional's). */
export async function signalHere(db: Db, t: NodeTables, id: string) {
  const [row] = await db
    .select({
      id: t.signalen.id,
      jeugdigeId: t.signalen.jeugdigeId,
      status: t.signalen.status,
      entryNode: t.signalen.entryNode,
      einddatum: t.signalen.einddatum,
    })
    .from(t.signalen)
    .where(eq(t.signalen.id, id))
    .for("update");
  return row;
}

/** The active signals of a professional held at this node, with the youth they are on. */
export async function activeSignalsOf(db: Db, t: NodeTables, professionalId: string) {
  return db
    .select({ id: t.signalen.id, jeugdigeId: t.signalen.jeugdigeId, entryNode: t.signalen.entryNode })
    .from(t.signalen)
    .where(and(eq(t.signalen.professionalId, professionalId), eq(t.signalen.status, "actief")))
    .orderBy(t.signalen.id)
    .for("update");
}

/** The youths on which this professional holds an active signal here. */
export async function youthsWithActiveSignal(db: Db, t: NodeTables, professionalId: string, jeugdigeIds: string[]): Promise<Set<string>> {
  if (jeugdigeIds.length === 0) return new Set();
  const rows = await db
    .select({ id: t.signalen.jeugdigeId })
    .from(t.signalen)
    .where(and(eq(t.signalen.professionalId, professionalId), eq(t.signalen.status, "actief"), inArray(t.signalen.jeugdigeId, jeugdigeIds)));
  return new Set(rows.map((r) => r.id));
}

/** Pointers this node keeps for a professional's active signals that live at another node. */
export async function activePointersOf(db: Db, t: NodeTables, professionalId: string) {
  return db
    .select({ id: t.signaalRefs.signaalId, residentie: t.signaalRefs.residentie })
    .from(t.signaalRefs)
    .where(and(eq(t.signaalRefs.professionalId, professionalId), eq(t.signaalRefs.status, "actief")));
}

/** Gives these signals to another professional (their organisation stays). */
export async function reassignSignals(db: Db, t: NodeTables, ids: string[], professionalId: string, now: Date): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(t.signalen)
    .set({ professionalId, bijgewerktOp: now, versie: sql`greatest(${t.signalen.versie} + 1, ${now.getTime()})` })
    .where(inArray(t.signalen.id, ids));
}

/**
 * The meldingen of the leaving professional about these signals go to the successor (one per sleutel: one the
 * successor already has is dropped). Returns the ids of the moved rows.
 */
export async function moveNotices(db: Db, t: NodeTables, signalIds: string[], from: string, to: string): Promise<string[]> {
  if (signalIds.length === 0) return [];
  const mine = and(eq(t.meldingen.professionalId, from), inArray(t.meldingen.signaalId, signalIds));
  await db
    .delete(t.meldingen)
    .where(and(mine, sql`exists (select 1 from ${t.meldingen} m2 where m2.sleutel = ${t.meldingen.sleutel} and m2.professional_id = ${to})`));
  const moved = await db.update(t.meldingen).set({ professionalId: to }).where(mine).returning({ id: t.meldingen.id });
  return moved.map((m) => m.id);
}

/**
 * The other professionals' match meldingen here that name the leaving professional as the one to call, for the
 * matches of these signals: they now name the successor.
 */
export async function renameCounterpart(
  db: Db,
  t: NodeTables,
  matchIds: string[],
  fromEmail: string,
  successor: { email: string; naam: string; functie: string; telefoon: string },
  exceptProfessionalId: string,
): Promise<number> {
  if (matchIds.length === 0) return 0;
  const rows = await db
    .update(t.meldingen)
    .set({
      inhoud: sql`jsonb_set(${t.meldingen.inhoud}, '{betrokkene}', (${t.meldingen.inhoud}->'betrokkene') || ${JSON.stringify(successor)}::jsonb)`,
    })
    .where(
      and(
        eq(t.meldingen.soort, "match"),
        inArray(t.meldingen.sleutel, matchIds),
        ne(t.meldingen.professionalId, exceptProfessionalId),
        sql`${t.meldingen.inhoud}->'betrokkene'->>'email' = ${fromEmail}`,
      ),
    )
    .returning({ id: t.meldingen.id });
  return rows.length;
}
