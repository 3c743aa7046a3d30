/**
 * A professional's matches, seen from their side: for each match the other
 * professional's name, organisation and contact details. A family match never
 * says which other youth it concerns. Read from the caller's meldingen, which
 * hold every match delivered to them, made here, at another node or by the hub.
 */
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Actor, NodeContext } from "../context";
import { toMeldingView, type MeldingView, type MeldingRow } from "../federation/notifier";
import { audit } from "./audit";

export interface Betrokkene {
  naam: string;
  functie: string;
  organisatie: string;
  domein: string;
  telefoon: string;
  email: string;
  /** The other signal was archived when the match was made: the professional was involved earlier. */
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
  return ctx.db.transaction(async (tx) => {
    const rows = (await tx
      .select()
      .from(t.meldingen)
      .where(
        and(
          eq(t.meldingen.professionalId, actor.professionalId),
          eq(t.meldingen.soort, "match"),
          opts.signaalId ? eq(t.meldingen.signaalId, opts.signaalId) : undefined,
          opts.soort ? sql`${t.meldingen.inhoud}->>'soort' = ${opts.soort}` : undefined,
        ),
      )
      .orderBy(asc(t.meldingen.aangemaaktOp), asc(t.meldingen.sleutel))) as MeldingRow[];
    const names = await youthNames(tx, ctx, [...new Set(rows.map((m) => m.signaalId!).filter(Boolean))]);
    const views = rows.map((m): MatchView => {
      const i = m.inhoud as {
        matchId: string;
        soort: "client" | "gezin";
        viaArchief: boolean;
        aangemaaktOp: string;
        jeugdigeNaam?: string;
        betrokkene: Betrokkene;
      };
      return {
        id: i.matchId,
        soort: i.soort,
        aangemaaktOp: i.aangemaaktOp,
        viaArchief: i.viaArchief,
        mijnSignaal: { id: m.signaalId!, jeugdige: { naam: names.get(m.signaalId!) || i.jeugdigeNaam || "" } },
        betrokkenen: [i.betrokkene],
      };
    });
    const at = ctx.clock.now();
    await audit(
      tx,
      t,
      views.map((v) => ({ actie: "matches.gelezen" as const, actor, signaalId: v.mijnSignaal.id, at, details: { matchId: v.id } })),
    );
    return views;
  });
}

/** The names of the caller's own youths, for their signals here or pointed to elsewhere. */
async function youthNames(db: NodeContext["db"], ctx: NodeContext, signalIds: string[]): Promise<Map<string, string>> {
  const { t } = ctx;
  if (signalIds.length === 0) return new Map();
  const refs = await db
    .select({ id: t.signaalRefs.signaalId, naam: t.signaalRefs.jeugdigeNaam })
    .from(t.signaalRefs)
    .where(inArray(t.signaalRefs.signaalId, signalIds));
  const local = await db
    .select({ id: t.signalen.id, naam: t.jeugdigen.naam })
    .from(t.signalen)
    .innerJoin(t.jeugdigen, eq(t.jeugdigen.id, t.signalen.jeugdigeId))
    .where(inArray(t.signalen.id, signalIds));
  return new Map([...refs, ...local].map((r) => [r.id, r.naam]));
}

export async function listMeldingen(ctx: NodeContext, actor: Actor): Promise<MeldingView[]> {
  const { t } = ctx;
  const rows = (await ctx.db
    .select()
    .from(t.meldingen)
    .where(eq(t.meldingen.professionalId, actor.professionalId))
    .orderBy(asc(t.meldingen.aangemaaktOp))) as MeldingRow[];
  return rows.map(toMeldingView);
}
