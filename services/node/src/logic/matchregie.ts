/**
 * Matchregie (Jeugdwet 7.1.3.2): the gemeente's matchregisseur sees the gemeente's matches (those of signals held by
 * this node, the youths' residence node) with the professionals involved and the follow-up, no more: the youth's
 * name only when they open one match to act on it, and that read is logged. Per match a regievoerder (one of the
 * professionals involved; the region's rule proposes one, a person confirms) and a status, which the professionals
 * of the match can set too. A match without contact after the region's number of days is mailed once to its
 * professionals and flagged for the matchregisseur.
 */
import { DEFAULT_REGIE_ORDER, type MatchStatus, proposeRegievoerder, reminderDue } from "@vi/domain";
import { errorForLog } from "@vi/service";
import type { Db } from "@vi/db";
import type { Actor, MatchregieSettings, NodeContext } from "../context";
import { enqueueNotices } from "../outbound/notices";
import { callNode, parseReply } from "../outbound/rpc";
import { problem } from "../problems";
import { type MatchregieDetailView, type MatchregieFilter, type MatchregieView, type RegieView, Regie } from "../schemas";
import { audit } from "../store/audit";
import {
  claimReminder,
  type GemeenteMatchRow,
  gemeenteMatch,
  gemeenteMatches,
  lockMatch,
  matchesDueReminder,
  regieSides,
  upsertRegie,
  youthNamesById,
} from "../store/matchregie";
import { insertNotices, matchNoticesOf, type NewNotice, type NoticeRow } from "../store/notices";
import { findRef } from "../store/refs";
import { afterCommit, transaction } from "./support";

const DAY_MS = 24 * 3600 * 1000;

export const settingsOf = (ctx: NodeContext): MatchregieSettings => ctx.matchregie ?? { domeinVolgorde: DEFAULT_REGIE_ORDER, herinneringDagen: 14 };

/** Only the matchregisseur the register names for this gemeente; never a case system. */
export function assertMatchregisseur(ctx: NodeContext, actor: Actor): void {
  const reg = ctx.register.professional(actor.email);
  if (actor.viaSysteem || actor.rol !== "matchregisseur" || reg?.rol !== "matchregisseur" || (reg.gemeente ?? null) !== ctx.gemeente.code) {
    throw problem(
      "ALLEEN_MATCHREGISSEUR",
      `Alleen de matchregisseur van de gemeente ${ctx.gemeente.naam} kan de matches van de gemeente zien en opvolgen. Bent u professional? Uw eigen matches staan onder Matches; de status van een match zet u daar.`,
    );
  }
}

const notFound = () =>
  problem("MATCH_NIET_GEVONDEN", "Deze match bestaat niet (meer) in deze verwijsindex, of u bent er niet bij betrokken. Ververs de lijst van matches.");

type Sides = Awaited<ReturnType<typeof regieSides>>;
type Side = Omit<Sides[number], "jeugdigeId" | "professionalId" | "entryNode"> & { andereGemeente: boolean };

/** The other side of a family match across gemeenten, as the hub told it: active when the match was made. */
function otherSide(r: GemeenteMatchRow): Side | undefined {
  if (!r.ander) return undefined;
  return { signaalId: r.signaalB, status: "actief", geregistreerdOp: r.aangemaaktOp, ...r.ander, andereGemeente: true };
}

/** The views of these matches, from their rows and the signals on both sides. */
async function viewsOf(db: Db, ctx: NodeContext, rows: GemeenteMatchRow[]): Promise<{ views: MatchregieView[]; sides: Sides }> {
  const sides = await regieSides(db, ctx.t, [...new Set(rows.flatMap((r) => [r.signaalA, r.signaalB]))]);
  const byId = new Map<string, Side>(sides.map((s) => [s.signaalId, { ...s, andereGemeente: false }]));
  const { domeinVolgorde, herinneringDagen } = settingsOf(ctx);
  const now = ctx.clock.now().getTime();
  const views = rows.map((r): MatchregieView => {
    const involved = [byId.get(r.signaalA), r.ander ? otherSide(r) : byId.get(r.signaalB)].filter((s): s is Side => s !== undefined);
    const status: MatchStatus = r.status ?? "geen-contact";
    return {
      id: r.id,
      soort: r.soort,
      aangemaaktOp: r.aangemaaktOp.toISOString(),
      viaArchief: r.viaArchief,
      tussenGemeenten: r.ander !== null,
      status,
      statusGewijzigd: r.statusOp && r.statusDoor ? { op: r.statusOp.toISOString(), door: r.statusDoor } : null,
      teLangZonderContact: status === "geen-contact" && herinneringDagen > 0 && now - r.aangemaaktOp.getTime() >= herinneringDagen * DAY_MS,
      herinneringVerstuurdOp: r.herinneringOp?.toISOString() ?? null,
      betrokkenen: involved.map((s) => ({
        signaalId: s.signaalId,
        naam: s.naam,
        functie: s.functie,
        organisatie: s.organisatie,
        domein: s.domein,
        telefoon: s.telefoon,
        email: s.email,
        actief: s.status === "actief",
        geregistreerdOp: s.geregistreerdOp.toISOString(),
        andereGemeente: s.andereGemeente,
      })),
      voorgesteldeRegievoerder: proposeRegievoerder(
        involved.map((s) => ({ signalId: s.signaalId, domain: s.domein, active: s.status === "actief", registeredAt: s.geregistreerdOp })),
        domeinVolgorde,
      ),
      regievoerder:
        r.regievoerderSignaalId && r.regievoerderOp
          ? { signaalId: r.regievoerderSignaalId, bevestigdOp: r.regievoerderOp.toISOString(), bevestigdDoor: r.regievoerderDoor ?? "" }
          : null,
    };
  });
  return { views, sides };
}

/** The gemeente's matches, newest first, without any youth's name; the read is logged (one row per match shown). */
export async function listGemeenteMatches(
  ctx: NodeContext,
  actor: Actor,
  filter: MatchregieFilter,
): Promise<{ matches: MatchregieView[]; herinneringNaDagen: number }> {
  assertMatchregisseur(ctx, actor);
  return transaction(ctx, async (tx) => {
    const rows = await gemeenteMatches(tx, ctx.t, { limit: filter.aantal, status: filter.status, soort: filter.soort });
    const { views } = await viewsOf(tx, ctx, rows);
    const at = ctx.clock.now();
    await audit(
      tx,
      ctx.t,
      views.length
        ? views.map((v) => ({ actie: "matchregie.gelezen" as const, actor, at, details: { matchId: v.id } }))
        : [{ actie: "matchregie.gelezen" as const, actor, at, details: { aantal: 0 } }],
    );
    return { matches: views, herinneringNaDagen: settingsOf(ctx).herinneringDagen };
  });
}

/** One match, opened to act on it: now with the youth's name (both youths' for a family match), logged per youth. */
export async function openGemeenteMatch(ctx: NodeContext, actor: Actor, matchId: string): Promise<MatchregieDetailView> {
  assertMatchregisseur(ctx, actor);
  return transaction(ctx, async (tx) => {
    const row = await gemeenteMatch(tx, ctx.t, matchId);
    if (!row) throw notFound();
    const { views, sides } = await viewsOf(tx, ctx, [row]);
    const youthIds = [...new Set(sides.map((s) => s.jeugdigeId))];
    const names = await youthNamesById(tx, ctx.t, youthIds);
    const at = ctx.clock.now();
    await audit(
      tx,
      ctx.t,
      youthIds.map((jeugdigeId) => ({ actie: "matchregie.geopend" as const, actor, jeugdigeId, at, details: { matchId } })),
    );
    return { ...views[0]!, jeugdigen: youthIds.map((id) => ({ naam: names.get(id) ?? "" })) };
  });
}

/** The matchregisseur confirms a regievoerder: one of the professionals of the match who is still involved. */
export async function confirmRegievoerder(ctx: NodeContext, actor: Actor, matchId: string, signaalId: string): Promise<MatchregieView> {
  assertMatchregisseur(ctx, actor);
  return transaction(ctx, async (tx) => {
    const kind = await lockMatch(tx, ctx.t, matchId);
    if (!kind) throw notFound();
    const row = (await gemeenteMatch(tx, ctx.t, matchId))!;
    // The other side of a family match across gemeenten is known only as the hub told it (active when made).
    const [side] =
      row.ander && signaalId === row.signaalB
        ? [otherSide(row)]
        : signaalId === row.signaalA || signaalId === row.signaalB
          ? await regieSides(tx, ctx.t, [signaalId])
          : [];
    if (side?.status !== "actief") {
      throw problem("REGIEVOERDER_ONGELDIG", "Kies als regievoerder een van de professionals van deze match die nog betrokken is (een actief signaal).", [
        { name: "signaalId", code: "REGIEVOERDER_ONGELDIG", reason: "Geen actief signaal van deze match." },
      ]);
    }
    const at = ctx.clock.now();
    await upsertRegie(tx, ctx.t, matchId, { regievoerderSignaalId: signaalId, regievoerderDoor: actor.email, regievoerderOp: at }, kind);
    await audit(tx, ctx.t, { actie: "matchregie.regievoerder", actor, signaalId, at, details: { matchId } });
    const { views } = await viewsOf(tx, ctx, [(await gemeenteMatch(tx, ctx.t, matchId))!]);
    return views[0]!;
  });
}

/** The matchregisseur sets the status of one of the gemeente's matches. */
export async function setStatusAsMatchregisseur(ctx: NodeContext, actor: Actor, matchId: string, status: MatchStatus): Promise<MatchregieView> {
  assertMatchregisseur(ctx, actor);
  return transaction(ctx, async (tx) => {
    const kind = await lockMatch(tx, ctx.t, matchId);
    if (!kind) throw notFound();
    const at = ctx.clock.now();
    await upsertRegie(tx, ctx.t, matchId, { status, statusDoor: actor.email, statusOp: at }, kind);
    await audit(tx, ctx.t, { actie: "matchregie.status", actor, at, details: { matchId, status, als: "matchregisseur" } });
    const { views } = await viewsOf(tx, ctx, [(await gemeenteMatch(tx, ctx.t, matchId))!]);
    return views[0]!;
  });
}

/** The follow-up as a professional of the match sees it. */
function regieView(row: GemeenteMatchRow, sides: Sides): RegieView {
  const lead = !row.regievoerderSignaalId
    ? undefined
    : row.ander && row.regievoerderSignaalId === row.signaalB
      ? row.ander
      : sides.find((s) => s.signaalId === row.regievoerderSignaalId);
  return { status: row.status ?? "geen-contact", regievoerder: lead ? { naam: lead.naam, organisatie: lead.organisatie } : null };
}

/**
 * A professional of the match sets its status. The match lives at the youth's residence node: here, or at the node
 * that made it (the melding says which), asked over signed request/reply. A family match across gemeenten, made by
 * the hub, is followed up by the residence node of each side (docs/adr/0039): the professional sets the status of
 * their own side, at the residence node of their own signal.
 */
export async function setStatusAsProfessional(ctx: NodeContext, actor: Actor, matchId: string, status: MatchStatus): Promise<RegieView> {
  const local = await setLocalStatus(ctx, actor, matchId, status);
  if (local) return local;
  const [melding] = (await matchNoticesOf(ctx.db, ctx.t, actor.professionalId, {})).filter((m) => m.inhoud.matchId === matchId);
  const bron = melding?.inhoud.bron;
  if (!melding || !bron || bron === ctx.gemeente.code) throw notFound();
  if (bron === "hub") {
    // The own signal lives at another node (this node points to it): its matchregie has this side of the match.
    const ref = melding.signaalId ? await findRef(ctx.db, ctx.t, melding.signaalId) : undefined;
    if (!ref || ref.residentie === ctx.gemeente.code || !ctx.region.includes(ref.residentie)) throw notFound();
    return parseReply(ctx, ref.residentie, Regie, await callNode(ctx, ref.residentie, "match.status.zetten", actor, { matchId, status }));
  }
  if (!ctx.region.includes(bron)) {
    throw problem(
      "MATCHREGIE_NIET_HIER",
      "Deze gezinsmatch tussen gemeenten heeft geen status in de verwijsindex: bespreek de opvolging met de andere professional en, zo nodig, met de matchregisseur van uw gemeente.",
    );
  }
  return parseReply(ctx, bron, Regie, await callNode(ctx, bron, "match.status.zetten", actor, { matchId, status }));
}

/**
 * The status set here, when the match is held here; undefined when it is not (another node holds it, or, for a
 * family match across gemeenten, the caller's side of it).
 */
export async function setLocalStatus(ctx: NodeContext, actor: Actor, matchId: string, status: MatchStatus): Promise<RegieView | undefined> {
  return transaction(ctx, async (tx) => {
    const kind = await lockMatch(tx, ctx.t, matchId);
    if (!kind) return undefined;
    const row = (await gemeenteMatch(tx, ctx.t, matchId))!;
    const sides = await regieSides(tx, ctx.t, [row.signaalA, row.signaalB]);
    const own = sides.find((s) => s.professionalId === actor.professionalId);
    if (!own && kind === "regio") return undefined;
    if (!own) throw notFound();
    const at = ctx.clock.now();
    await upsertRegie(tx, ctx.t, matchId, { status, statusDoor: actor.email, statusOp: at }, kind);
    await audit(tx, ctx.t, { actie: "matchregie.status", actor, signaalId: own.signaalId, at, details: { matchId, status, als: "professional" } });
    return regieView({ ...row, status }, sides);
  });
}

/**
 * The follow-up of those of these matches that are held here, as their professional sees it. Of a family match across
 * gemeenten only the side of the professional's own signal, when that side is held here.
 */
export async function regieForProfessional(db: Db, ctx: NodeContext, matchIds: string[], professionalId: string): Promise<Map<string, RegieView>> {
  if (matchIds.length === 0) return new Map();
  const rows = await gemeenteMatches(db, ctx.t, { limit: matchIds.length, ids: matchIds });
  const wanted = rows.flatMap((r) => [r.regievoerderSignaalId, r.ander ? r.signaalA : null]).filter((id): id is string => Boolean(id));
  const sides = await regieSides(db, ctx.t, [...new Set(wanted)]);
  const ownSide = (r: GemeenteMatchRow) => !r.ander || sides.some((s) => s.signaalId === r.signaalA && s.professionalId === professionalId);
  return new Map(rows.filter(ownSide).map((r) => [r.id, regieView(r, sides)]));
}

/**
 * The reminder job: every match made at least the region's number of days ago that still has no contact recorded is
 * reminded once: a melding (mailed once, by the notifier) to each professional of it who is still involved, here or
 * through a signed `match.herinnering` to the node they registered through, and a flag for the matchregisseur. One
 * match that fails never stops the run.
 */
export async function runMatchReminders(ctx: NodeContext): Promise<{ herinnerd: number; meldingen: number; mislukt: number }> {
  const { herinneringDagen: days } = settingsOf(ctx);
  const report = { herinnerd: 0, meldingen: 0, mislukt: 0 };
  if (days <= 0) return report;
  const now = ctx.clock.now();
  const due = await matchesDueReminder(ctx.db, ctx.t, new Date(now.getTime() - days * DAY_MS));
  for (const m of due) {
    if (!reminderDue({ madeAt: m.aangemaaktOp, status: "geen-contact", remindedAt: null, now, days })) continue;
    try {
      const inserted = await transaction(ctx, async (tx): Promise<NoticeRow[] | undefined> => {
        if (!(await claimReminder(tx, ctx.t, m.id, now, m.kind))) return undefined;
        const sides = await regieSides(tx, ctx.t, [m.signaalA, m.signaalB]);
        const names = await youthNamesById(tx, ctx.t, [...new Set(sides.map((s) => s.jeugdigeId))]);
        const notices: NewNotice[] = sides
          .filter((s) => s.status === "actief" && (s.entryNode === ctx.gemeente.code || !ctx.fed))
          .map((s) => ({
            soort: "herinnering",
            sleutel: `herinnering:${m.id}`,
            professionalId: s.professionalId,
            signaalId: s.signaalId,
            inhoud: { matchId: m.id, soort: m.soort, aangemaaktOp: m.aangemaaktOp.toISOString(), dagen: days, jeugdigeNaam: names.get(s.jeugdigeId) ?? "" },
            aangemaaktOp: now,
          }));
        const rows = await insertNotices(tx, ctx.t, notices);
        // A professional who registered through another node is told there (match.herinnering to their entry node).
        const elsewhere = ctx.fed ? sides.filter((s) => s.status === "actief" && s.entryNode !== ctx.gemeente.code) : [];
        await enqueueNotices(
          tx,
          ctx,
          elsewhere.map((s) => ({
            type: "match.herinnering" as const,
            to: s.entryNode,
            data: { matchId: m.id, soort: m.soort, aangemaaktOp: m.aangemaaktOp.toISOString(), dagen: days, voor: { email: s.email, signaalId: s.signaalId } },
          })),
        );
        await audit(tx, ctx.t, {
          actie: "matchregie.herinnering",
          actor: "systeem",
          at: now,
          details: { matchId: m.id, meldingen: rows.length, elders: elsewhere.length },
        });
        return rows;
      });
      if (!inserted) continue;
      report.herinnerd++;
      report.meldingen += inserted.length;
      afterCommit(ctx, inserted);
    } catch (e) {
      report.mislukt++;
      ctx.log.error({ err: errorForLog(e), matchId: m.id }, "a matchregie reminder failed; the run goes on");
    }
  }
  if (report.herinnerd) ctx.log.info({ herinneringen: report }, "matchregie reminders sent");
  return report;
}
