/** The professionals and organisations this node knows: its own (lokaal), and those of other nodes it acted for. */
import type { Db, NodeTables } from "@vi/db";
import { and, eq, inArray } from "drizzle-orm";

export async function professionalByEmail(db: Db, t: NodeTables, email: string) {
  const [row] = await db
    .select({ p: t.professionals, o: t.organisaties })
    .from(t.professionals)
    .innerJoin(t.organisaties, eq(t.organisaties.id, t.professionals.organisatieId))
    .where(eq(t.professionals.email, email.toLowerCase()));
  return row;
}

/** A professional of this node's own register (not one known only through another node). */
export async function localProfessionalId(db: Db, t: NodeTables, email: string): Promise<string | undefined> {
  const [row] = await db
    .select({ id: t.professionals.id })
    .from(t.professionals)
    .where(and(eq(t.professionals.email, email.toLowerCase()), eq(t.professionals.lokaal, true)));
  return row?.id;
}

export async function localMatchregisseurs(db: Db, t: NodeTables): Promise<string[]> {
  const rows = await db
    .select({ id: t.professionals.id })
    .from(t.professionals)
    .where(and(eq(t.professionals.rol, "matchregisseur"), eq(t.professionals.lokaal, true)));
  return rows.map((r) => r.id);
}

export async function contactOf(db: Db, t: NodeTables, professionalId: string) {
  const [row] = await db.select({ email: t.professionals.email, rol: t.professionals.rol }).from(t.professionals).where(eq(t.professionals.id, professionalId));
  return row;
}

/** The e-mail address and role of several professionals at once, by id. */
export async function contactsOf(db: Db, t: NodeTables, professionalIds: string[]): Promise<Map<string, { email: string; rol: string }>> {
  if (professionalIds.length === 0) return new Map();
  const rows = await db
    .select({ id: t.professionals.id, email: t.professionals.email, rol: t.professionals.rol })
    .from(t.professionals)
    .where(inArray(t.professionals.id, professionalIds));
  return new Map(rows.map((r) => [r.id, { email: r.email, rol: r.rol }]));
}

/** Records a professional of another node (and their organisation) unless known; never turns them into a local one. */
export async function insertRemoteProfessional(
  db: Db,
  t: NodeTables,
  s: {
    email: string;
    naam: string;
    functie: string;
    telefoon: string;
    rol: string;
    signaleringsbevoegd: boolean;
    medisch: boolean;
    organisatie: { id: string; naam: string; domein: string };
  },
): Promise<void> {
  // Not connected here (actief false): recorded only so the signals it made can point at it.
  await db.insert(t.organisaties).values({ id: s.organisatie.id, naam: s.organisatie.naam, domein: s.organisatie.domein, actief: false }).onConflictDoNothing();
  await db
    .insert(t.professionals)
    .values({
      email: s.email.toLowerCase(),
      naam: s.naam,
      functie: s.functie,
      telefoon: s.telefoon,
      organisatieId: s.organisatie.id,
      rol: s.rol,
      lokaal: false,
      signaleringsbevoegd: s.signaleringsbevoegd,
      medisch: s.medisch,
    })
    .onConflictDoNothing();
}
