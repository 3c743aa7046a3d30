/**
 * The gemeente's AVG desk (AVG art. 15-21; the college is the controller):
 * its privacy officer finds what this node holds on a BSN with the youth's
 * audit trail (inzien, or an export as JSON or PDF), rectifies the youth's
 * data from the BRP and matches again, and removes a signal that should not
 * be there, with a reason from a closed list, deleted and propagated like a
 * withdrawal. Every step is logged. Only the privacy officer the register
 * names for this gemeente; the BSN travels in request bodies only.
 */
import { type AvgRemovalReason, bsnCheck, isPrivacyOfficerOf } from "@vi/domain";
import type { Actor, NodeContext } from "../context";
import { enqueueRefUpdates } from "../outbound/notices";
import { domainProblem, problem } from "../problems";
import type { AvgDossierView, AvgRectificatieView } from "../schemas";
import { audit, auditNow, auditRowsOfYouth } from "../store/audit";
import { matchesOfSignals } from "../store/matches";
import { signalHere, signalsOfYouthFull, youthByBsn } from "../store/rights";
import { deleteSignals, deleteYouthWithoutSignals } from "../store/signals";
import { eraseTraces } from "./erasure";
import { refreshYouthFacts } from "./family-facts";
import { enqueueIndexDeleted } from "./index-sync";
import { transferYouth } from "./relocation";
import { afterCommit, lookupYouth, transaction } from "./support";

/** Only the privacy officer of this gemeente (per the region's register). */
export function assertPrivacyOfficer(ctx: NodeContext, actor: Actor): void {
  if (actor.viaSysteem || !isPrivacyOfficerOf(ctx.register.professional(actor.email), ctx.gemeente.code)) {
    throw problem(
      "GEEN_PRIVACYFUNCTIONARIS",
      `Alleen de privacyfunctionaris van de gemeente ${ctx.gemeente.naam} behandelt AVG-verzoeken over deze verwijsindex. Stuur het verzoek door naar de privacyfunctionaris.`,
    );
  }
}

function validBsn(bsn: string): string {
  const checked = bsnCheck(bsn);
  if (!checked.ok) throw domainProblem(checked.error);
  return checked.value;
}

/** What this node holds on the youth with this BSN, with the audit trail (the lookup itself included), logged. */
export async function findYouthRecord(ctx: NodeContext, actor: Actor, input: { bsn: string; doel: "inzien" | "export-json" | "export-pdf" }) {
  assertPrivacyOfficer(ctx, actor);
  const bsn = validBsn(input.bsn);
  const { t } = ctx;
  return transaction(ctx, async (tx): Promise<AvgDossierView> => {
    const now = ctx.clock.now();
    const youth = await youthByBsn(tx, t, bsn);
    const base = { gemeente: ctx.gemeente, opgesteldOp: now.toISOString() };
    if (!youth) {
      // Logged without the BSN: the log never holds one.
      await audit(tx, t, { actie: "avg.opgevraagd", actor, at: now, details: { doel: input.doel, bekend: false } });
      return { ...base, bekend: false, jeugdige: null, signalen: [], matches: [], logboek: [] };
    }
    await audit(tx, t, { actie: "avg.opgevraagd", actor, jeugdigeId: youth.id, at: now, details: { doel: input.doel, bekend: true } });
    const signals = await signalsOfYouthFull(tx, t, youth.id);
    const ids = new Set(signals.map((s) => s.s.id));
    const matches = await matchesOfSignals(tx, t, [...ids]);
    // The lookup's own row is in the trail: appended now, and nothing but reads follows.
    await auditNow(tx, t);
    const log = await auditRowsOfYouth(tx, t, youth.id);
    return {
      ...base,
      bekend: true,
      jeugdige: {
        bsn: youth.bsn,
        naam: youth.naam,
        geboortedatum: youth.geboortedatum,
        geslacht: youth.geslacht,
        gemeente: youth.gemeenteCode,
        overleden: youth.overleden,
        geheimAdres: youth.geheimhouding,
        brpOpgehaaldOp: youth.brpOpgehaaldOp.toISOString(),
      },
      signalen: signals.map(({ s, professional, organisatie }) => ({
        id: s.id,
        status: s.status,
        organisatie: { naam: organisatie.naam, domein: organisatie.domein },
        professional,
        geregistreerdOp: s.geregistreerdOp.toISOString(),
        startdatum: s.startdatum,
        einddatum: s.einddatum,
        geinformeerd: s.geinformeerd,
        geinformeerdWie: s.geinformeerdWie,
        geinformeerdOp: s.geinformeerdOp,
        redenNietGeinformeerd: s.redenNietGeinformeerd,
        gearchiveerdOp: s.gearchiveerdOp,
        archiefReden: s.archiefReden,
        aangemeldVia: s.entryNode,
      })),
      // A family match names only this youth's own signal: never who the other youth is.
      matches: matches.map((m) => ({
        id: m.id,
        soort: m.soort,
        aangemaaktOp: m.aangemaaktOp.toISOString(),
        viaArchief: m.viaArchief,
        signaalId: ids.has(m.signaalA) ? m.signaalA : m.signaalB,
      })),
      logboek: log.map((r) => ({ ...r, tijdstip: r.tijdstip.toISOString(), details: r.details as Record<string, unknown> | null })),
    };
  });
}

const FIELDS = ["naam", "geslacht", "geboortedatum", "overleden", "gemeenteCode", "ouders", "adresId", "geheimhouding"] as const;

/**
 * Rectification (AVG art. 16): the youth's data are refreshed from the BRP (the source of every derived fact) and
 * the active signals matched again; a youth who lives elsewhere in the region now goes to that node, as on a
 * relocation. Logged with the names of the fields that changed, never their values.
 */
export async function rectifyYouth(ctx: NodeContext, actor: Actor, input: { bsn: string }): Promise<AvgRectificatieView> {
  assertPrivacyOfficer(ctx, actor);
  const bsn = validBsn(input.bsn);
  const { t } = ctx;
  const before = await youthByBsn(ctx.db, t, bsn);
  if (!before) throw problem("JEUGDIGE_NIET_GEVONDEN", `De verwijsindex van ${ctx.gemeente.naam} bewaart niets over dit BSN; er is niets te corrigeren.`);
  const persoon = await lookupYouth(ctx, bsn);
  if (persoon.gemeenteCode !== ctx.gemeente.code && ctx.fed && ctx.region.includes(persoon.gemeenteCode)) {
    await transferYouth(ctx, before.id, bsn, persoon.gemeenteCode, ctx.clock.now().toISOString().slice(0, 10));
    await audit(ctx.db, t, {
      actie: "avg.gerectificeerd",
      actor,
      jeugdigeId: before.id,
      at: ctx.clock.now(),
      details: { gewijzigd: ["gemeenteCode"], verhuisdNaar: persoon.gemeenteCode },
    });
    return { gewijzigd: ["gemeente"], gezinGewijzigd: false, nieuweMatches: 0, verhuisdNaar: persoon.gemeenteCode };
  }
  const matchesBefore = (
    await matchesOfSignals(
      ctx.db,
      t,
      (await signalsOfYouthFull(ctx.db, t, before.id)).map((s) => s.s.id),
    )
  ).length;
  const gezinGewijzigd = await refreshYouthFacts(ctx, before.id, persoon, "avg-rectificatie", { rematch: true });
  const after = await youthByBsn(ctx.db, t, bsn);
  const gewijzigd = after
    ? FIELDS.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f])).map((f) =>
        f === "gemeenteCode" ? "gemeente" : f === "adresId" ? "adres" : f,
      )
    : [];
  const matchesAfter = after
    ? (
        await matchesOfSignals(
          ctx.db,
          t,
          (await signalsOfYouthFull(ctx.db, t, after.id)).map((s) => s.s.id),
        )
      ).length
    : 0;
  const nieuweMatches = Math.max(0, matchesAfter - matchesBefore);
  await audit(ctx.db, t, {
    actie: "avg.gerectificeerd",
    actor,
    jeugdigeId: before.id,
    at: ctx.clock.now(),
    details: { gewijzigd, gezinGewijzigd, nieuweMatches },
  });
  return { gewijzigd, gezinGewijzigd, nieuweMatches, verhuisdNaar: null };
}

/**
 * Removes a signal that should not be there (AVG art. 17/21): deleted, not archived, and every trace goes as on a
 * withdrawal (its matches and meldingen, everywhere; the hub's index; the pointer at the node it was registered
 * through). The reason comes from a closed list.
 */
export async function removeSignalOnRequest(ctx: NodeContext, actor: Actor, id: string, reden: AvgRemovalReason): Promise<void> {
  assertPrivacyOfficer(ctx, actor);
  const { t } = ctx;
  const removed = await transaction(ctx, async (tx) => {
    const row = await signalHere(tx, t, id);
    if (!row)
      throw problem(
        "SIGNAAL_NIET_GEVONDEN",
        `Dit signaal staat niet in de verwijsindex van ${ctx.gemeente.naam}. Een signaal staat bij de woongemeente van de jeugdige; zoek de jeugdige op en kies het signaal uit de lijst.`,
      );
    const now = ctx.clock.now();
    await enqueueIndexDeleted(tx, ctx, [id], now.getTime());
    await enqueueRefUpdates(tx, ctx, [{ id, entryNode: row.entryNode, status: "verwijderd", einddatum: row.einddatum }]);
    const gone = await eraseTraces(tx, ctx, [id], now);
    await deleteSignals(tx, t, [id]);
    await deleteYouthWithoutSignals(tx, t, [row.jeugdigeId]);
    await audit(tx, t, { actie: "avg.signaal-verwijderd", actor, jeugdigeId: row.jeugdigeId, signaalId: id, at: now, details: { reden, status: row.status } });
    return gone;
  });
  afterCommit(ctx, [], removed);
}
