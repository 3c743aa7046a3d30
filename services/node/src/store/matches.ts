/** Queries on matches and on the two sides of a match. */
import type { Db, NodeTables } from "@vi/db";
import { and, eq, inArray, or } from "drizzle-orm";

export type MatchRow = NodeTables["matches"]["$inferSelect"];

/** Inserts the match unless it exists (ids are deterministic); true when it is new. */
export async function insertMatch(db: Db, t: NodeTables, m: Omit<MatchRow, never>): Promise<boolean> {
  const rows = await db.insert(t.matches).values(m).onConflictDoNothing().returning({ id: t.matches.id });
  return rows.length > 0;
}

export async function insertMatches(db: Db, t: NodeTables, rows: MatchRow[]): Promise<void> {
  if (rows.length) await db.insert(t.matches).values(rows).onConflictDoNothing();
}

export async function markArchiveMatchUsed(db: Db, t: NodeTables, signaalId: string): Promise<void> {
  await db.update(t.signalen).set({ archiefMatchGebruikt: true }).where(eq(t.signalen.id, signaalId));
}

/** The signals the given signal has a client match with. */
export async function clientMatchCounterparts(db: Db, t: NodeTables, signaalId: string): Promise<Set<string>> {
  const rows = await db
    .select({ a: t.matches.signaalA, b: t.matches.signaalB })
    .from(t.matches)
    .where(and(eq(t.matches.soort, "client"), or(eq(t.matches.signaalA, signaalId), eq(t.matches.signaalB, signaalId))));
  return new Set(rows.flatMap((m) => [m.a, m.b]));
}

/** Every match one of the given signals takes part in (what goes when a signal is removed). */
export async function matchesOfSignals(db: Db, t: NodeTables, ids: string[]): Promise<MatchRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(t.matches)
    .where(or(inArray(t.matches.signaalA, ids), inArray(t.matches.signaalB, ids)));
}

/** Matches between the given signals (what a relocation carries along). */
export async function matchesAmong(db: Db, t: NodeTables, ids: string[]): Promise<MatchRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(t.matches)
    .where(and(inArray(t.matches.signaalA, ids), inArray(t.matches.signaalB, ids)));
}

/** The sides of matches, read from this node's signals: whose signal, where it was registered, whom to tell. */
export async function matchSides(db: Db, t: NodeTables, signalIds: string[]) {
  if (signalIds.length === 0) return [];
  return db
    .select({
      signaalId: t.signalen.id,
      professionalId: t.signalen.professionalId,
      entryNode: t.signalen.entryNode,
      status: t.signalen.status,
      jeugdigeNaam: t.jeugdigen.naam,
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
    .where(inArray(t.signalen.id, signalIds));
}
