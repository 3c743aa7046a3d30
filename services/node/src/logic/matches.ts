/**
 * A professional's matches, seen from their side: for each match the other
 * professional's name, organisation and contact details. A family match never
 * says which other youth it concerns. Read from the caller's meldingen, which
 * hold every match delivered to them, made here, at another node or by the hub.
 */
import type { Db } from "@vi/db";
import type { Actor, NodeContext } from "../context";
import { toNoticeView } from "../outbound/notifier";
import { regieForProfessional } from "./matchregie";
import type { MatchFilter, MatchView, NoticeView } from "../schemas";
import { audit } from "../store/audit";
import { matchNoticesOf, noticesOf } from "../store/notices";
import { refNames } from "../store/refs";
import { youthNamesOfSignals } from "../store/signals";
import { transaction } from "./support";

export async function listMatches(ctx: NodeContext, actor: Actor, opts: MatchFilter = {}): Promise<MatchView[]> {
  const { t } = ctx;
  return transaction(ctx, async (tx) => {
    const rows = await matchNoticesOf(tx, t, actor.professionalId, opts);
    const names = await youthNames(tx, ctx, [...new Set(rows.map((m) => m.signaalId).filter((id): id is string => Boolean(id)))]);
    const regie = await regieForProfessional(tx, ctx, [...new Set(rows.map((m) => m.inhoud.matchId))], actor.professionalId);
    const views = rows.map(
      (m): MatchView => ({
        id: m.inhoud.matchId,
        soort: m.inhoud.soort,
        aangemaaktOp: m.inhoud.aangemaaktOp,
        viaArchief: m.inhoud.viaArchief,
        mijnSignaal: { id: m.signaalId!, jeugdige: { naam: names.get(m.signaalId!) || m.inhoud.jeugdigeNaam || "" } },
        betrokkenen: [m.inhoud.betrokkene],
        ...(regie.has(m.inhoud.matchId) ? { regie: regie.get(m.inhoud.matchId) } : {}),
      }),
    );
    const at = ctx.clock.now();
    await audit(
      tx,
      t,
      views.length
        ? views.map((v) => ({ actie: "matches.gelezen" as const, actor, signaalId: v.mijnSignaal.id, at, details: { matchId: v.id } }))
        : [{ actie: "matches.gelezen" as const, actor, at, details: { aantal: 0 } }],
    );
    return views;
  });
}

/** The names of the caller's own youths, for their signals here or pointed to elsewhere. */
async function youthNames(db: Db, ctx: NodeContext, signalIds: string[]): Promise<Map<string, string>> {
  const [refs, local] = [await refNames(db, ctx.t, signalIds), await youthNamesOfSignals(db, ctx.t, signalIds)];
  return new Map([...refs, ...local].map((r) => [r.id, r.naam]));
}

/** The caller's meldingen; each read is logged (one row per melding, or one with aantal 0). */
export async function listNotices(ctx: NodeContext, actor: Actor): Promise<NoticeView[]> {
  return transaction(ctx, async (tx) => {
    const rows = await noticesOf(tx, ctx.t, actor.professionalId);
    const at = ctx.clock.now();
    await audit(
      tx,
      ctx.t,
      rows.length
        ? rows.map((m) => ({ actie: "meldingen.gelezen" as const, actor, signaalId: m.signaalId, at, details: { meldingId: m.id, soort: m.soort } }))
        : [{ actie: "meldingen.gelezen" as const, actor, at, details: { aantal: 0 } }],
    );
    return rows.map(toNoticeView);
  });
}

/** The caller opened their live stream: logged. */
export async function openNoticeStream(ctx: NodeContext, actor: Actor): Promise<void> {
  await audit(ctx.db, ctx.t, { actie: "meldingenstroom.geopend", actor, at: ctx.clock.now() });
}

/** A melding was pushed on the caller's live stream: a read, logged like one in the list. */
export async function noticePushed(ctx: NodeContext, actor: Actor, melding: NoticeView): Promise<void> {
  await audit(ctx.db, ctx.t, {
    actie: "meldingen.gelezen",
    actor,
    signaalId: melding.signaalId,
    at: ctx.clock.now(),
    details: { meldingId: melding.id, soort: melding.soort, via: "stream" },
  });
}
