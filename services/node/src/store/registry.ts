/**
 * Loads the node's registry of connected organisations, their professionals
 * and the institution addresses. The demo register (docs/demo-data.md) is
 * one such source; a gemeente loads its own through the same function.
 */
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Db, NodeTables } from "@vi/db";
import type { RegisterView } from "../context";

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
        .onConflictDoUpdate({ target: t.organisaties.id, set: { naam: sql`excluded.naam`, domein: sql`excluded.domein`, actief: sql`true` } });
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
            // A professional first seen through another node becomes local once the register connects them here.
            lokaal: sql`true`,
          },
        });
    }
    if (data.instellingsadressen.length) {
      await tx.insert(t.instellingsadressen).values(data.instellingsadressen).onConflictDoNothing();
    }
  });
}

/**
 * The region's register as a file (`REGISTER_BESTAND`): every organisation
 * with the gemeenten it is connected to, its professionals and the
 * institution addresses. Each node loads the part that concerns it.
 */
export const RegionRegister = z.object({
  organisaties: z.array(z.object({ id: z.string().min(1), naam: z.string().min(1), domein: z.string().min(1), aangeslotenBij: z.array(z.string()) })),
  professionals: z.array(
    z.object({
      /** The subject (`sub`) the identity provider issues for this professional: their identity in a token. */
      sub: z.string().min(1).max(255),
      email: z.string().min(3),
      naam: z.string(),
      functie: z.string(),
      telefoon: z.string(),
      organisatieId: z.string().min(1),
      rol: z.string().min(1),
      signaleringsbevoegd: z.boolean(),
      medisch: z.boolean(),
      /** For a matchregisseur or privacy officer: the gemeente they act for. */
      gemeente: z.string().nullable().optional(),
      aangewezenOp: z.string().nullable().optional(),
      ingetrokkenOp: z.string().nullable().optional(),
    }),
  ),
  instellingsadressen: z.array(z.object({ adresId: z.string().min(1), omschrijving: z.string().optional() })),
});
export type RegionRegister = z.infer<typeof RegionRegister>;

/** The part of the region's register one gemeente's node loads: its connected organisations and their professionals. */
export function registryFor(register: RegionRegister, gemeenteCode: string): RegistryData {
  const orgs = register.organisaties.filter((o) => o.aangeslotenBij.includes(gemeenteCode));
  const ids = new Set(orgs.map((o) => o.id));
  return {
    organisaties: orgs.map((o) => ({ id: o.id, naam: o.naam, domein: o.domein })),
    professionals: register.professionals
      .filter((p) => ids.has(p.organisatieId))
      .map((p) => ({
        email: p.email,
        naam: p.naam,
        functie: p.functie,
        telefoon: p.telefoon,
        organisatieId: p.organisatieId,
        rol: p.rol,
        signaleringsbevoegd: p.signaleringsbevoegd,
        medisch: p.medisch,
      })),
    instellingsadressen: register.instellingsadressen,
  };
}

/** The region's register as this node consults it (see RegisterView). */
export function registerView(register: RegionRegister): RegisterView {
  const orgs = new Map(register.organisaties.map((o) => [o.id, o]));
  const pros = new Map(register.professionals.map((p) => [p.email.toLowerCase(), p]));
  const subjects = new Map(register.professionals.map((p) => [p.sub, p]));
  return {
    organisation: (id) => orgs.get(id),
    professional: (email) => pros.get(email.toLowerCase()),
    bySubject: (sub) => subjects.get(sub),
    connected: (id, code) => orgs.get(id)?.aangeslotenBij.includes(code) ?? false,
    convenantmanagers: () => register.professionals.filter((p) => p.rol === "convenantmanager" && !p.ingetrokkenOp),
  };
}

/** The region's register as the node holds it: a version (0: the bootstrap file, not yet the hub's) and its content. */
export interface RegisterHolder {
  /** Always reads the current content. */
  view: RegisterView;
  versie(): number;
  current(): RegionRegister;
  /** The whole register at a version (the hub's signed copy). */
  replace(register: RegionRegister, versie: number): void;
  /**
   * One change: applied when it follows the version held; `oud` when already held; `gat` when a change was missed
   * (then the caller fetches the whole register).
   */
  apply(change: { versie: number; organisaties: RegionRegister["organisaties"]; professionals: RegionRegister["professionals"] }): "toegepast" | "oud" | "gat";
}

export function registerHolder(initial: RegionRegister, initialVersie = 0): RegisterHolder {
  let register = initial;
  let versie = initialVersie;
  let view = registerView(register);
  const set = (next: RegionRegister, v: number) => {
    register = next;
    versie = v;
    view = registerView(next);
  };
  return {
    view: {
      organisation: (id) => view.organisation(id),
      professional: (email) => view.professional(email),
      bySubject: (sub) => view.bySubject(sub),
      connected: (id, code) => view.connected(id, code),
      convenantmanagers: () => view.convenantmanagers(),
    },
    versie: () => versie,
    current: () => register,
    replace: set,
    apply(change) {
      if (change.versie <= versie) return "oud";
      if (change.versie !== versie + 1) return "gat";
      const orgs = new Map(register.organisaties.map((o) => [o.id, o]));
      for (const o of change.organisaties) orgs.set(o.id, o);
      const people = new Map(register.professionals.map((p) => [p.sub, p]));
      for (const p of change.professionals) {
        // An e-mail address belongs to one person: a person now holding it replaces whoever held it before.
        for (const [sub, q] of people) if (q.email.toLowerCase() === p.email.toLowerCase() && sub !== p.sub) people.delete(sub);
        people.set(p.sub, p);
      }
      set({ ...register, organisaties: [...orgs.values()], professionals: [...people.values()] }, change.versie);
      return "toegepast";
    },
  };
}

export const EMPTY_REGISTER: RegionRegister = { organisaties: [], professionals: [], instellingsadressen: [] };
