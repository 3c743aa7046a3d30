/**
 * Queries of matchregie: the gemeente's matches (those of signals held here, the youth's residence node) with their
 * follow-up, the sides of each match, and the reminders. A match without a matchregie row has status geen-contact.
 * Beside the node's own matches, the family matches across gemeenten the hub made with a signal held here
 * (`regio_matches`, docs/adr/0039): this gemeente's side of them, the follow-up in the same row.
 */
import { createHash } from "node:crypto";
import type { Db, NodeTables } from "@vi/db";
import type { MatchStatus } from "@vi/domain";
import { and, desc, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";

export type RegieRow = NodeTables["matchregie"]["$inferSelect"];
export type RegioMatchRow = NodeTables["regioMatches"]["$inferSelect"];
/** Where a match's follow-up is kept: the node's own match (`matchregie`) or its side of the hub's (`regio_matches`). */
export type MatchKind = "lokaal" | "regio";

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

export interface GemeenteMatchRow {
  id: string;
  soort: "client" | "gezin";
  signaalA: string;
  signaalB: string;
  viaArchief: boolean;
  aangemaaktOp: Date;
  status: MatchStatus | null;
  statusDoor: string | null;
  statusOp: Date | null;
  regievoerderSignaalId: string | null;
  regievoerderDoor: string | null;
  regievoerderOp: Date | null;
  herinneringOp: Date | null;
  /** A family match across gemeenten (made by the hub): signaalA is the signal held here, signaalB the other side's id here (otherSideId). */
  ander: RegioMatchRow["ander"] | null;
}

type Filter = { limit: number; status?: MatchStatus; soort?: "client" | "gezin"; ids?: string[] };

/** The gemeente's matches, newest first, with their follow-up: its own and its side of the hub's. */
export async function gemeenteMatches(db: Db, t: NodeTables, opts: Filter): Promise<GemeenteMatchRow[]> {
  const status = opts.status
    ? opts.status === "geen-contact"
      ? or(isNull(t.matchregie.status), eq(t.matchregie.status, "geen-contact"))
      : eq(t.matchregie.status, opts.status)
    : undefined;
  const own = await db
    .select(matchColumns(t))
    .from(t.matches)
    .leftJoin(t.matchregie, eq(t.matchregie.matchId, t.matches.id))
    .where(and(status, opts.soort ? eq(t.matches.soort, opts.soort) : undefined, opts.ids ? inArray(t.matches.id, opts.ids) : undefined))
    .orderBy(desc(t.matches.aangemaaktOp), desc(t.matches.id))
    .limit(opts.limit);
  const r = t.regioMatches;
  const regio =
    opts.soort === "client"
      ? []
      : await db
          .select()
          .from(r)
          .where(and(opts.status ? eq(r.status, opts.status) : undefined, opts.ids ? inArray(r.id, opts.ids) : undefined))
          .orderBy(desc(r.aangemaaktOp), desc(r.id))
          .limit(opts.limit);
  const rows: GemeenteMatchRow[] = [
    ...own.map((m) => ({ ...m, ander: null })),
    ...regio.map((m) => ({
      id: m.id,
      soort: "gezin" as const,
      signaalA: m.signaalId,
      signaalB: m.anderId,
      viaArchief: false,
      aangemaaktOp: m.aangemaaktOp,
      status: m.status,
      statusDoor: m.statusDoor,
      statusOp: m.statusOp,
      regievoerderSignaalId: m.regievoerderSignaalId,
      regievoerderDoor: m.regievoerderDoor,
      regievoerderOp: m.regievoerderOp,
      herinneringOp: m.herinneringOp,
      ander: m.ander,
    })),
  ];
  rows.sort((a, b) => b.aangemaaktOp.getTime() - a.aangemaaktOp.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  return rows.slice(0, opts.limit);
}

/** One match of the gemeente, with its follow-up. */
export async function gemeenteMatch(db: Db, t: NodeTables, id: string): Promise<GemeenteMatchRow | undefined> {
  const [row] = await gemeenteMatches(db, t, { limit: 1, ids: [id] });
  return row;
}

/** Locks the match row, so two changes of its follow-up happen one after the other; says where it is kept. */
export async function lockMatch(db: Db, t: NodeTables, id: string): Promise<MatchKind | undefined> {
  const rows = await db.select({ id: t.matches.id }).from(t.matches).where(eq(t.matches.id, id)).for("update");
  if (rows.length > 0) return "lokaal";
  const regio = await db.select({ id: t.regioMatches.id }).from(t.regioMatches).where(eq(t.regioMatches.id, id)).for("update");
  return regio.length > 0 ? "regio" : undefined;
}

/**
 * Keeps this gemeente's side of the hub's family match across gemeenten, once. "unknown-signal" when the signal is
 * not held here (moved or removed meanwhile).
 */
export async function insertRegioMatch(
  db: Db,
  t: NodeTables,
  row: Pick<RegioMatchRow, "id" | "signaalId" | "anderId" | "ander" | "aangemaaktOp">,
): Promise<"stored" | "exists" | "unknown-signal"> {
  const [own] = await db.select({ id: t.signalen.id }).from(t.signalen).where(eq(t.signalen.id, row.signaalId));
  if (!own) return "unknown-signal";
  const rows = await db.insert(t.regioMatches).values(row).onConflictDoNothing().returning({ id: t.regioMatches.id });
  return rows.length > 0 ? "stored" : "exists";
}

/**
 * The id the other side of a family match across gemeenten goes by here: derived from the match, so the same at
 * every read and never the other side's signal id (which only its own residence node holds).
 */
export function otherSideId(matchId: string): string {
  const b = createHash("sha256").update(`regie-ander:${matchId}`, "utf8").digest().subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Removes the hub's matches that no longer exist (a signal of theirs was withdrawn or removed). */
export async function deleteRegioMatches(db: Db, t: NodeTables, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const rows = await db.delete(t.regioMatches).where(inArray(t.regioMatches.id, ids)).returning({ id: t.regioMatches.id });
  return rows.length;
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
  kind: MatchKind = "lokaal",
): Promise<void> {
  const contact = set.status && set.status !== "geen-contact" && set.statusOp ? { contactOp: set.statusOp } : {};
  if (kind === "regio") {
    const r = t.regioMatches;
    await db
      .update(r)
      .set({ ...set, ...(contact.contactOp ? { contactOp: sql`coalesce(${r.contactOp}, ${contact.contactOp.toISOString()}::timestamptz)` } : {}) })
      .where(eq(r.id, matchId));
    return;
  }
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
  const own = await db
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
  const r = t.regioMatches;
  const regio = await db
    .select({ id: r.id, signaalA: r.signaalId, signaalB: r.anderId, aangemaaktOp: r.aangemaaktOp })
    .from(r)
    .where(and(lte(r.aangemaaktOp, madeBefore), eq(r.status, "geen-contact"), isNull(r.herinneringOp)))
    .orderBy(r.aangemaaktOp)
    .limit(limit);
  return [...own.map((m) => ({ ...m, kind: "lokaal" as const })), ...regio.map((m) => ({ ...m, soort: "gezin" as const, kind: "regio" as const }))]
    .sort((a, b) => a.aangemaaktOp.getTime() - b.aangemaaktOp.getTime())
    .slice(0, limit);
}

/**
 * Claims the reminder of one match: true when this call recorded it (the match still has no contact and no reminder),
 * so a reminder goes out once, also when two runs overlap.
 */
export async function claimReminder(db: Db, t: NodeTables, matchId: string, at: Date, kind: MatchKind = "lokaal"): Promise<boolean> {
  if (kind === "regio") {
    const r = t.regioMatches;
    const rows = await db
      .update(r)
      .set({ herinneringOp: at })
      .where(and(eq(r.id, matchId), isNull(r.herinneringOp), eq(r.status, "geen-contact")))
      .returning({ id: r.id });
    return rows.length > 0;
  }
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
