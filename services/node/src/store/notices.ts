/**
 * Meldingen as stored: one row per professional per match or relocation, its
 * content (`inhoud`) in the shape @vi/events declares for its kind.
 */
import type { Db, NodeTables } from "@vi/db";
import { MELDING_INHOUD } from "@vi/events";
import type { NewNotice, NoticeRow, RemovedNotice } from "../model";

export type { NewNotice, NoticeRow, RemovedNotice };
import { and, asc, eq, inArray, or, sql } from "drizzle-orm";

type StoredRow = NodeTables["meldingen"]["$inferSelect"];

/** A stored row in its typed shape; undefined when its content does not fit its kind (never written by us). */
export function parseNotice(
  row: Pick<StoredRow, "id" | "soort" | "sleutel" | "professionalId" | "signaalId" | "aangemaaktOp" | "inhoud">,
): NoticeRow | undefined {
  const base = { id: row.id, sleutel: row.sleutel, professionalId: row.professionalId, signaalId: row.signaalId, aangemaaktOp: row.aangemaaktOp };
  if (row.soort === "match") {
    const inhoud = MELDING_INHOUD.match.safeParse(row.inhoud);
    return inhoud.success ? { ...base, soort: "match", inhoud: inhoud.data } : undefined;
  }
  if (row.soort === "verhuizing") {
    const inhoud = MELDING_INHOUD.verhuizing.safeParse(row.inhoud);
    return inhoud.success ? { ...base, soort: "verhuizing", inhoud: inhoud.data } : undefined;
  }
  if (row.soort === "herinnering") {
    const inhoud = MELDING_INHOUD.herinnering.safeParse(row.inhoud);
    return inhoud.success ? { ...base, soort: "herinnering", inhoud: inhoud.data } : undefined;
  }
  if (row.soort === "overdracht") {
    const inhoud = MELDING_INHOUD.overdracht.safeParse(row.inhoud);
    return inhoud.success ? { ...base, soort: "overdracht", inhoud: inhoud.data } : undefined;
  }
  return undefined;
}

const parsedRows = (rows: StoredRow[]): NoticeRow[] => rows.map(parseNotice).filter((m): m is NoticeRow => m !== undefined);

/** Inserts meldingen (once per sleutel and professional); returns the ones that are new. */
export async function insertNotices(db: Db, t: NodeTables, rows: NewNotice[]): Promise<NoticeRow[]> {
  if (rows.length === 0) return [];
  const values = rows.map((r) => ({ ...r, inhoud: MELDING_INHOUD[r.soort].parse(r.inhoud) as Record<string, unknown> }));
  return parsedRows(await db.insert(t.meldingen).values(values).onConflictDoNothing().returning());
}

export async function noticesOf(db: Db, t: NodeTables, professionalId: string): Promise<NoticeRow[]> {
  return parsedRows(await db.select().from(t.meldingen).where(eq(t.meldingen.professionalId, professionalId)).orderBy(asc(t.meldingen.aangemaaktOp)));
}

export async function matchNoticesOf(db: Db, t: NodeTables, professionalId: string, opts: { signaalId?: string; soort?: "client" | "gezin" }) {
  const rows = await db
    .select()
    .from(t.meldingen)
    .where(
      and(
        eq(t.meldingen.professionalId, professionalId),
        eq(t.meldingen.soort, "match"),
        opts.signaalId ? eq(t.meldingen.signaalId, opts.signaalId) : undefined,
        opts.soort ? sql`${t.meldingen.inhoud}->>'soort' = ${opts.soort}` : undefined,
      ),
    )
    .orderBy(asc(t.meldingen.aangemaaktOp), asc(t.meldingen.sleutel));
  return parsedRows(rows).filter((m): m is Extract<NoticeRow, { soort: "match" }> => m.soort === "match");
}

const removedColumns = (t: NodeTables) => ({
  id: t.meldingen.id,
  professionalId: t.meldingen.professionalId,
  signaalId: t.meldingen.signaalId,
  soort: t.meldingen.soort,
});

/**
 * Deletes the meldingen of these matches (every professional's) and every
 * melding about these signals of the professionals who held them.
 */
export async function deleteNoticesOf(db: Db, t: NodeTables, of: { matchIds: string[]; signalIds?: string[] }): Promise<RemovedNotice[]> {
  const signalIds = of.signalIds ?? [];
  if (of.matchIds.length === 0 && signalIds.length === 0) return [];
  return db
    .delete(t.meldingen)
    .where(
      or(
        of.matchIds.length ? and(eq(t.meldingen.soort, "match"), inArray(t.meldingen.sleutel, of.matchIds)) : undefined,
        signalIds.length ? inArray(t.meldingen.signaalId, signalIds) : undefined,
      ),
    )
    .returning(removedColumns(t));
}

/**
 * Claims up to `limit` of the oldest meldingen not yet mailed (committed at once), so one process mails them.
 * A claim is a lease of `leaseSeconds`: the claiming process renews it while it mails ({@link renewClaims}); a claim
 * older than that belongs to a process that died, and its meldingen are claimed again.
 * Rows whose content does not parse stay claimed (retried when the claim expires) and are returned as undefined.
 */
export async function claimUnmailed(db: Db, t: NodeTables, limit = 1, leaseSeconds = 60): Promise<(NoticeRow | undefined)[]> {
  const rows = await db
    .update(t.meldingen)
    .set({ mailGeclaimdOp: sql`now()` })
    .where(
      sql`${t.meldingen.id} in (select id from ${t.meldingen}
            where gemaild_op is null and mail_pogingen < 10
              and (mail_geclaimd_op is null or mail_geclaimd_op < now() - make_interval(secs => ${leaseSeconds}))
            order by aangemaakt_op limit ${limit} for update skip locked)`,
    )
    .returning();
  return rows.map(parseNotice);
}

/** Renews the claims of meldingen still being mailed (not yet marked). */
export async function renewClaims(db: Db, t: NodeTables, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(t.meldingen)
    .set({ mailGeclaimdOp: sql`now()` })
    .where(and(inArray(t.meldingen.id, ids), sql`${t.meldingen.gemaildOp} is null`, sql`${t.meldingen.mailGeclaimdOp} is not null`));
}

export async function releaseClaim(db: Db, t: NodeTables, id: string): Promise<void> {
  await db
    .update(t.meldingen)
    .set({ mailPogingen: sql`${t.meldingen.mailPogingen} + 1`, mailGeclaimdOp: null })
    .where(eq(t.meldingen.id, id));
}

export async function markMailed(db: Db, t: NodeTables, id: string): Promise<void> {
  await db.update(t.meldingen).set({ gemaildOp: sql`now()` }).where(eq(t.meldingen.id, id));
}
