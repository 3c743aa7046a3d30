/**
 * A professional's matches, seen from their side: for each match the other
 * professional's name, organisation and contact details. A family match never
 * says which other youth it concerns.
 */
import { and, eq, inArray, or } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Actor, NodeContext } from "../context";
import { audit } from "./audit";

export interface Betrokkene {
  naam: string;
  functie: string;
  organisatie: string;
  domein: string;
  telefoon: string;
  email: string;
  /** The other signal is archived: the professional was involved earlier. */
  eerderBetrokken: boolean;
}

export interface MatchView {
  id: string;
  soort: "client" | "gezin";
  aangemaaktOp: string;
  viaArchief: boolean;
  /** The caller's own signal in this match, and the youth it is on (the caller's own youth). */
  mijnSignaal: { id: string; jeugdige: { naam: string } };
  betrokkenen: Betrokkene[];
}

export async function listMatches(ctx: NodeContext, actor: Actor, opts: { signaalId?: string; soort?: "client" | "gezin" } = {}): Promise<MatchView[]> {
  const { t } = ctx;
  const mine = ctx.db
    .select({ id: t.signalen.id })
    .from(t.signalen)
    .where(and(eq(t.signalen.professionalId, actor.professionalId), opts.signaalId ? eq(t.signalen.id, opts.signaalId) : undefined));
  return ctx.db.transaction(async (tx) => {
    const pairs = await tx
      .select()
      .from(t.matches)
      .where(and(or(inArray(t.matches.signaalA, mine), inArray(t.matches.signaalB, mine)), opts.soort ? eq(t.matches.soort, opts.soort) : undefined))
      .orderBy(t.matches.aangemaaktOp);
    if (pairs.length === 0) return [];
    const ids = [...new Set(pairs.flatMap((m) => [m.signaalA, m.signaalB]))];
    const other = alias(t.professionals, "p");
    const rows = await tx
      .select({
        signaalId: t.signalen.id,
        jeugdigeId: t.signalen.jeugdigeId,
        status: t.signalen.status,
        professionalId: t.signalen.professionalId,
        jeugdigeNaam: t.jeugdigen.naam,
        naam: other.naam,
        functie: other.functie,
        telefoon: other.telefoon,
        email: other.email,
        organisatie: t.organisaties.naam,
        domein: t.organisaties.domein,
      })
      .from(t.signalen)
      .innerJoin(t.jeugdigen, eq(t.jeugdigen.id, t.signalen.jeugdigeId))
      .innerJoin(other, eq(other.id, t.signalen.professionalId))
      .innerJoin(t.organisaties, eq(t.organisaties.id, t.signalen.organisatieId))
      .where(inArray(t.signalen.id, ids));
    const byId = new Map(rows.map((r) => [r.signaalId, r]));
    const views: MatchView[] = [];
    for (const m of pairs) {
      const a = byId.get(m.signaalA);
      const b = byId.get(m.signaalB);
      if (!a || !b) continue;
      const [own, theirs] = a.professionalId === actor.professionalId ? [a, b] : [b, a];
      views.push({
        id: m.id,
        soort: m.soort,
        aangemaaktOp: m.aangemaaktOp.toISOString(),
        viaArchief: m.viaArchief,
        mijnSignaal: { id: own.signaalId, jeugdige: { naam: own.jeugdigeNaam } },
        betrokkenen: [
          {
            naam: theirs.naam,
            functie: theirs.functie,
            organisatie: theirs.organisatie,
            domein: theirs.domein,
            telefoon: theirs.telefoon,
            email: theirs.email,
            eerderBetrokken: theirs.status === "gearchiveerd",
          },
        ],
      });
    }
    const at = ctx.clock.now();
    await audit(
      tx,
      t,
      views.map((v) => ({
        actie: "matches.gelezen" as const,
        actor,
        jeugdigeId: byId.get(v.mijnSignaal.id)?.jeugdigeId,
        signaalId: v.mijnSignaal.id,
        at,
        details: { matchId: v.id },
      })),
    );
    return views;
  });
}
