/**
 * A professional's matches, seen from their side: for each match the other
 * professional's name, organisation and contact details. A family match never
 * says which other youth it concerns. Read from the caller's meldingen, which
 * hold every match delivered to them, made here, at another node or by the hub.
 */
import type { Db } from "@vi/db";
import type { Actor, NodeContext } from "../context";
import { toNoticeView } from "../outbound/notifier";
import type { MatchFilter, MatchView, NoticeView } from "../schemas";
import { audit } from "../store/audit";
import { matchNoticesOf, noticesOf } from "../store/notices";
import { refNames } from "../store/refs";
import { youthNamesOfSignals } from "../store/signals";

export async function listMatches(ctx: NodeContext, actor: Actor, opts: MatchFilter = {}): Promise<MatchView[]> {
  const { t } = ctx;
  return ctx.db.transaction(async (tx) => {
    const rows = await matchNoticesOf(tx, t, actor.professionalId, opts);
    const names = await youthNames(tx, ctx, [...new Set(rows.map((m) => m.signaalId).filter((id): id is string => Boolean(id)))]);
    const views = rows.map(
      (m): MatchView => ({
        id: m.inhoud.matchId,
        soort: m.inhoud.soort,
        aangemaaktOp: m.inhoud.aangemaaktOp,
        viaArchief: m.inhoud.viaArchief,
        mijnSignaal: { id: m.signaalId!, jeugdige: { naam: names.get(m.signaalId!) || m.inhoud.jeugdigeNaam || "" } },
        betrokkenen: [m.inhoud.betrokkene],
      }),
    );
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
async function youthNames(db: Db, ctx: NodeContext, signalIds: string[]): Promise<Map<string, string>> {
  const [refs, local] = [await refNames(db, ctx.t, signalIds), await youthNamesOfSignals(db, ctx.t, signalIds)];
  return new Map([...refs, ...local].map((r) => [r.id, r.naam]));
}

export async function listNotices(ctx: NodeContext, actor: Actor): Promise<NoticeView[]> {
  return (await noticesOf(ctx.db, ctx.t, actor.professionalId)).map(toNoticeView);
}
