/**
 * Pointers: signals this node's professionals registered through this node
 * for youths who live in another gemeente of the region. The signal lives at
 * the residence node; the pointer says where, and what the professional saw.
 */
import type { Db, NodeTables } from "@vi/db";
import { and, eq, inArray } from "drizzle-orm";

export type RefRow = NodeTables["signaalRefs"]["$inferSelect"];

export async function upsertRef(
  db: Db,
  t: NodeTables,
  ref: {
    signaalId: string;
    professionalId: string;
    residentie: string;
    status: "actief" | "gearchiveerd";
    jeugdigeNaam: string;
    signaal: Record<string, unknown>;
    at: Date;
  },
): Promise<void> {
  const values = {
    signaalId: ref.signaalId,
    professionalId: ref.professionalId,
    residentie: ref.residentie,
    status: ref.status,
    jeugdigeNaam: ref.jeugdigeNaam,
    signaal: ref.signaal,
    bijgewerktOp: ref.at,
  };
  await db
    .insert(t.signaalRefs)
    .values(values)
    .onConflictDoUpdate({
      target: t.signaalRefs.signaalId,
      set: { residentie: ref.residentie, status: ref.status, signaal: ref.signaal, bijgewerktOp: ref.at },
    });
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
