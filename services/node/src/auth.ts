import { eq } from "drizzle-orm";
import { TokenError, type TokenVerifier } from "@vi/auth";
import type { Actor, NodeContext } from "./context";
import { Problem } from "./problems";

/** Verifies the bearer token and finds the professional in this node's registry of connected organisations. */
export async function resolveActor(ctx: NodeContext, verifier: TokenVerifier, authorization: string | undefined): Promise<Actor> {
  let email: string;
  try {
    ({ email } = await verifier.verify(authorization));
  } catch (e) {
    if (e instanceof TokenError) throw new Problem(e.code, e.message);
    throw e;
  }
  const { t } = ctx;
  const [row] = await ctx.db
    .select({ p: t.professionals, o: t.organisaties })
    .from(t.professionals)
    .innerJoin(t.organisaties, eq(t.organisaties.id, t.professionals.organisatieId))
    .where(eq(t.professionals.email, email));
  if (!row?.o.actief) {
    throw new Problem(
      "NIET_AANGESLOTEN",
      `Uw organisatie is niet aangesloten bij de verwijsindex van ${ctx.gemeente.naam}. Gebruik de verwijsindex van een gemeente waarmee uw organisatie een convenant heeft.`,
    );
  }
  return {
    professionalId: row.p.id,
    email: row.p.email,
    naam: row.p.naam,
    functie: row.p.functie,
    telefoon: row.p.telefoon,
    organisatieId: row.o.id,
    organisatieNaam: row.o.naam,
    rol: row.p.rol,
    signaleringsbevoegd: row.p.signaleringsbevoegd,
    medisch: row.p.medisch,
  };
}
