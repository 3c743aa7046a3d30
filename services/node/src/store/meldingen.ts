/**
 * Meldingen as stored: one row per professional per match or relocation, its
 * content (`inhoud`) in the shape @vi/events declares for its kind.
 */
import type { Db, NodeTables } from "@vi/db";
import { MELDING_INHOUD, type MatchInhoud, type VerhuizingInhoud } from "@vi/events";
import { and, asc, eq, sql } from "drizzle-orm";

interface MeldingBase {
  id: string;
  sleutel: string;
  professionalId: string;
  signaalId: string | null;
  aangemaaktOp: Date;
}

export type MeldingRow = (MeldingBase & { soort: "match"; inhoud: MatchInhoud }) | (MeldingBase & { soort: "verhuizing"; inhoud: VerhuizingInhoud });
export type NewMelding = MeldingRow extends infer R ? (R extends MeldingRow ? Omit<R, "id"> : never) : never;

type StoredRow = NodeTables["meldingen"]["$inferSelect"];

/** A stored row in its typed shape; undefined when its content does not fit its kind (never written by us). */
export function parseMelding(
  row: Pick<StoredRow, "id" | "soort" | "sleutel" | "professionalId" | "signaalId" | "aangemaaktOp" | "inhoud">,
): MeldingRow | undefined {
  const base = { id: row.id, sleutel: row.sleutel, professionalId: row.professionalId, signaalId: row.signaalId, aangemaaktOp: row.aangemaaktOp };
  if (row.soort === "match") {
    const inhoud = MELDING_INHOUD.match.safeParse(row.inhoud);
    return inhoud.success ? { ...base, soort: "match", inhoud: inhoud.data } : undefined;
  }
  if (row.soort === "verhuizing") {
    const inhoud = MELDING_INHOUD.verhuizing.safeParse(row.inhoud);
    return inhoud.success ? { ...base, soort: "verhuizing", inhoud: inhoud.data } : undefined;
  }
  return undefined;
}

const parsedRows = (rows: StoredRow[]): MeldingRow[] => rows.map(parseMelding).filter((m): m is MeldingRow => m !== undefined);

/** Inserts meldingen (once per sleutel and professional); returns the ones that are new. */
export async function insertMeldingen(db: Db, t: NodeTables, rows: NewMelding[]): Promise<MeldingRow[]> {
  if (rows.length === 0) return [];
  const values = rows.map((r) => ({ ...r, inhoud: MELDING_INHOUD[r.soort].parse(r.inhoud) as Record<string, unknown> }));
  return parsedRows(await db.insert(t.meldingen).values(values).onConflictDoNothing().returning());
}

export async function meldingenOf(db: Db, t: NodeTables, professionalId: string): Promise<MeldingRow[]> {
  return parsedRows(await db.select().from(t.meldingen).where(eq(t.meldingen.professionalId, professionalId)).orderBy(asc(t.meldingen.aangemaaktOp)));
}

export async function matchMeldingenOf(db: Db, t: NodeTables, professionalId: string, opts: { signaalId?: string; soort?: "client" | "gezin" }) {
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
  return parsedRows(rows).filter((m): m is Extract<MeldingRow, { soort: "match" }> => m.soort === "match");
}

/** Claims the oldest melding not yet mailed (committed at once), so one process mails it. */
export async function claimUnmailed(db: Db, t: NodeTables): Promise<MeldingRow | undefined> {
  const [m] = await db
    .update(t.meldingen)
    .set({ mailGeclaimdOp: sql`now()` })
    .where(
      sql`${t.meldingen.id} = (select id from ${t.meldingen}
            where gemaild_op is null and mail_pogingen < 10
              and (mail_geclaimd_op is null or mail_geclaimd_op < now() - interval '60 seconds')
            order by aangemaakt_op limit 1 for update skip locked)`,
    )
    .returning();
  return m ? parseMelding(m) : undefined;
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
