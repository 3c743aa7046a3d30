/**
 * Queries of matchregie: the gemeente's matches (those of signals held here, the youth's residence node) with their
 * follow-up, the sides of each match, and the reminders. A match without a matchregie row has status geen-contact.
 */
import type { Db, NodeTables } from "@vi/db";
import type { MatchStatus } from "@vi/domain";
import { and, desc, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";

export type RegieRow = NodeTables["matchregie"]["$inferSelect"];

const matchColumns = (t: NodeTables) => ({
  id: t.matches.id,
  soort: t.matches.soort,
  signaalA: t.matches.signaalA,
  signaalB: t.matches.signaalB,
  viaArchief: t.matches.viaArchief,
  aangemaaktOp: t.matches.aangemaaktOp,
  status: t.matchregie.status,
  statusDoor: t.matchregie.statusDoor,
  statusOp: t.matchregie.statusOp,
  regievoerderSignaalId: t.matchregie.regievoerderSignaalId,
  regievoerderDoor: t.matchregie.regievoerderDoor,
  regievoerderOp: t.matchregie.regievoerderOp,
  herinneringOp: t.matchregie.herinneringOp,
});

export type GemeenteMatchRow = Awaited<ReturnType<typeof gemeenteMatches>>[number];

/** The gemeente's matches, newest first, with their follow-up. */
export async function gemeenteMatches(db: Db, t: NodeTables, opts: { limit: number; status?: MatchStatus; soort?: "client" | "gezin"; ids?: string[] }) {
  const status = opts.status
    ? opts.status === "geen-contact"
      ? or(isNull(t.matchregie.status), eq(t.matchregie.status, "geen-contact"))
      : eq(t.matchregie.status, opts.status)
    : undefined;
  return db
    .select(matchColumns(t))
    .from(t.matches)
    .leftJoin(t.matchregie, eq(t.matchregie.matchId, t.matches.id))
    .where(and(status, opts.soort ? eq(t.matches.soort, opts.soort) : undefined, opts.ids ? inArray(t.matches.id, opts.ids) : undefined))
    .orderBy(desc(t.matches.aangemaaktOp), desc(t.matches.id))
    .limit(opts.limit);
}

/** One match of the gemeente, with its follow-up. */
export async function gemeenteMatch(db: Db, t: NodeTables, id: string): Promise<GemeenteMatchRow | undefined> {
  const [row] = await gemeenteMatches(db, t, { limit: 1, ids: [id] });
  return row;
}

/** Locks the match row, so two changes of its follow-up happen one after the other. */
export async function lockMatch(db: Db, t: NodeTables, id: string): Promise<boolean> {
  const rows = await db.select({ id: t.matches.id }).from(t.matches).where(eq(t.matches.id, id)).for("update");
  return rows.length > 0;
}

/** The signals on both sides of these matches: the professional, their organisation and whether still involved. */
export async function regieSides(db: Db, t: NodeTables, signalIds: string[]) {
  if (signalIds.length === 0) return [];
  return db
    .select({
      signaalId: t.signalen.id,
      jeugdigeId: t.signalen.jeugdigeId,
      professionalId: t.signalen.professionalId,
      entryNode: t.signalen.entryNode,
      status: t.signalen.status,
      geregistreerdOp: t.signalen.geregistreerdOp,
      email: t.professionals.email,
      naam: t.professionals.naam,
      functie: t.professionals.functie,
      telefoon: t.professionals.telefoon,
      organisatie: t.organisaties.naam,
      domein: t.organisaties.domein,
    })
    .from(t.signalen)
    .innerJoin(t.professionals, eq(t.professionals.id, t.signalen.professionalId))
    .innerJoin(t.organisaties, eq(t.organisaties.id, t.signalen.organisatieId))
    .where(inArray(t.signalen.id, signalIds));
}

/** The youths' display names (from the BRP when last derived), by internal id. */
export async function youthNamesById(db: Db, t: NodeTables, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: t.jeugdigen.id, naam: t.jeugdigen.naam }).from(t.jeugdigen).where(inArray(t.jeugdigen.id, ids));
  return new Map(rows.map((r) => [r.id, r.naam]));
}

/**
 * Records a change of a match's follow-up (the row is made on the first change). A status other than geen-contact
 * records the first contact (`contact_op`) once: a later change, also back to geen-contact, never moves it.
 */
export async function upsertRegie(
  db: Db,
  t: NodeTables,
  matchId: string,
  set: Partial<Pick<RegieRow, "status" | "statusDoor" | "statusOp" | "regievoerderSignaalId" | "regievoerderDoor" | "regievoerderOp">>,
): Promise<void> {
  const contact = set.status && set.status !== "geen-contact" && set.statusOp ? { contactOp: set.statusOp } : {};
  await db
    .insert(t.matchregie)
    .values({ matchId, ...set, ...contact })
    .onConflictDoUpdate({
      target: t.matchregie.matchId,
      set: { ...set, ...(contact.contactOp ? { contactOp: sql`coalesce(${t.matchregie.contactOp}, excluded.contact_op)` } : {}) },
    });
}

/** Matches made on or before `madeBefore` with no contact recorded and no reminder sent yet (oldest first). */
export async function matchesDueReminder(db: Db, t: NodeTables, madeBefore: Date, limit = 500) {
  return db
    .select({ id: t.matches.id, soort: t.matches.soort, signaalA: t.matches.signaalA, signaalB: t.matches.signaalB, aangemaaktOp: t.matches.aangemaaktOp })
    .from(t.matches)
    .leftJoin(t.matchregie, eq(t.matchregie.matchId, t.matches.id))
    .where(
      and(
        lte(t.matches.aangemaaktOp, madeBefore),
        or(isNull(t.matchregie.matchId), and(eq(t.matchregie.status, "geen-contact"), isNull(t.matchregie.herinneringOp))),
      ),
    )
    .orderBy(t.matches.aangemaaktOp)
    .limit(limit);
}

/**
 * Claims the reminder of one match: true when this call recorded it (the match still has no contact and no reminder),
 * so a reminder goes out once, also when two runs overlap.
 */
export async function claimReminder(db: Db, t: NodeTables, matchId: string, at: Date): Promise<boolean> {
  const rows = await db
    .insert(t.matchregie)
    .values({ matchId, herinneringOp: at })
    .onConflictDoUpdate({
      target: t.matchregie.matchId,
      set: { herinneringOp: at },
      setWhere: sql`${t.matchregie.herinneringOp} is null and ${t.matchregie.status} = 'geen-contact'`,
    })
    .returning({ id: t.matchregie.matchId });
  return rows.length > 0;
}

/** The follow-up of these matches, when recorded here. */
export async function regieOf(db: Db, t: NodeTables, matchIds: string[]): Promise<Map<string, RegieRow>> {
  if (matchIds.length === 0) return new Map();
  const rows = await db.select().from(t.matchregie).where(inArray(t.matchregie.matchId, matchIds));
  return new Map(rows.map((r) => [r.matchId, r]));
}
