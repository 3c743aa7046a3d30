/**
 * Pointers: signals this node's professionals registered through this node
 * for youths who live in another gemeente of the region. The signal lives at
 * the residence node; the pointer says where, and what the professional's own
 * list shows of it (no BSN, no birth date).
 */
import type { Db, NodeTables } from "@vi/db";
import { and, eq, inArray } from "drizzle-orm";

export type RefRow = NodeTables["signaalRefs"]["$inferSelect"];

/** What a pointer holds besides its keys: the professional's list fields, never the youth's BSN or birth date. */
export type RefFields = Pick<
  RefRow,
  | "status"
  | "jeugdigeNaam"
  | "geregistreerdOp"
  | "startdatum"
  | "einddatum"
  | "gearchiveerdOp"
  | "geinformeerd"
  | "geinformeerdWie"
  | "geinformeerdOp"
  | "redenNietGeinformeerd"
>;

export async function upsertRef(
  db: Db,
  t: NodeTables,
  ref: { signaalId: string; professionalId: string; residentie: string; at: Date } & RefFields,
): Promise<void> {
  const { at, ...rest } = ref;
  const values = { ...rest, bijgewerktOp: at };
  const { signaalId: _id, professionalId: _p, jeugdigeNaam: _n, ...set } = values;
  await db.insert(t.signaalRefs).values(values).onConflictDoUpdate({ target: t.signaalRefs.signaalId, set });
}

/** Creates the pointer unless it exists. */
export async function insertRefIfAbsent(db: Db, t: NodeTables, ref: Omit<RefRow, never>): Promise<void> {
  await db.insert(t.signaalRefs).values(ref).onConflictDoNothing();
}

export async function findRef(db: Db, t: NodeTables, signaalId: string): Promise<RefRow | undefined> {
  const [ref] = await db.select().from(t.signaalRefs).where(eq(t.signaalRefs.signaalId, signaalId));
  return ref;
}

export async function findOwnRef(db: Db, t: NodeTables, professionalId: string, signaalId: string): Promise<RefRow | undefined> {
  const [ref] = await db
    .select()
    .from(t.signaalRefs)
    .where(and(eq(t.signaalRefs.signaalId, signaalId), eq(t.signaalRefs.professionalId, professionalId)));
  return ref;
}

export async function ownRefs(db: Db, t: NodeTables, professionalId: string, status?: "actief" | "gearchiveerd"): Promise<RefRow[]> {
  return db
    .select()
    .from(t.signaalRefs)
    .where(and(eq(t.signaalRefs.professionalId, professionalId), status ? eq(t.signaalRefs.status, status) : undefined));
}

export async function updateRef(db: Db, t: NodeTables, signaalId: string, set: Partial<Omit<RefRow, "signaalId">>): Promise<void> {
  await db.update(t.signaalRefs).set(set).where(eq(t.signaalRefs.signaalId, signaalId));
}

export async function deleteRef(db: Db, t: NodeTables, signaalId: string): Promise<void> {
  await db.delete(t.signaalRefs).where(eq(t.signaalRefs.signaalId, signaalId));
}

export async function refNames(db: Db, t: NodeTables, signalIds: string[]) {
  if (signalIds.length === 0) return [];
  return db.select({ id: t.signaalRefs.signaalId, naam: t.signaalRefs.jeugdigeNaam }).from(t.signaalRefs).where(inArray(t.signaalRefs.signaalId, signalIds));
}
