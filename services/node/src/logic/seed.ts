/**
 * Loads the node's registry of connected organisations, their professionals
 * and the institution addresses. The demo data of ../shared/FIXTURES.md is
 * one such source; a gemeente loads its own through the same function.
 */
import { sql } from "drizzle-orm";
import type { Db, NodeTables } from "@vi/db";

export interface RegistryData {
  organisaties: { id: string; naam: string; domein: string }[];
  professionals: {
    email: string;
    naam: string;
    functie: string;
    telefoon: string;
    organisatieId: string;
    rol: string;
    signaleringsbevoegd: boolean;
    medisch: boolean;
  }[];
  instellingsadressen: { adresId: string; omschrijving?: string }[];
}

/** Idempotent: upserts by key, so it can run at every start. */
export async function loadRegistry(db: Db, t: NodeTables, data: RegistryData): Promise<void> {
  await db.transaction(async (tx) => {
    if (data.organisaties.length) {
      await tx
        .insert(t.organisaties)
        .values(data.organisaties)
        .onConflictDoUpdate({ target: t.organisaties.id, set: { naam: sql`excluded.naam`, domein: sql`excluded.domein` } });
    }
    if (data.professionals.length) {
      await tx
        .insert(t.professionals)
        .values(data.professionals.map((p) => ({ ...p, email: p.email.toLowerCase() })))
        .onConflictDoUpdate({
          target: t.professionals.email,
          set: {
            naam: sql`excluded.naam`,
            functie: sql`excluded.functie`,
            telefoon: sql`excluded.telefoon`,
            organisatieId: sql`excluded.organisatie_id`,
            rol: sql`excluded.rol`,
            signaleringsbevoegd: sql`excluded.signaleringsbevoegd`,
            medisch: sql`excluded.medisch`,
          },
        });
    }
    if (data.instellingsadressen.length) {
      await tx.insert(t.instellingsadressen).values(data.instellingsadressen).onConflictDoNothing();
    }
  });
}
