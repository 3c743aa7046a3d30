/**
 * Relocation: when the BRP reports that a youth with signals here moved to
 * another gemeente of the region (or, with the national link, of another
 * region: docs/adr/0042), the signals (with their client matches) move
 * to that gemeente's node; the professionals and the new gemeente's
 * matchregisseur are told. The old node keeps only pointers for its own
 * professionals. Both sides are idempotent, so a crash halfway is repaired by
 * processing the same mutation again.
 */
import { assertResidentHere, closedReason, INFORM_TARGETS, type InformTarget } from "@vi/domain";
import type { EventData, TransferPackage, VerhuizingInhoud } from "@vi/events";
import type { NodeContext } from "../context";
import { enqueueNotices, enqueueRefUpdates } from "../outbound/notices";
import { inOtherRegion } from "../outbound/cross-region";
import { callNode, snapshotOf } from "../outbound/rpc";
import { problem } from "../problems";
import { audit } from "../store/audit";
import { insertMatches, matchesAmong } from "../store/matches";
import { insertNotices, type NoticeRow, type NewNotice } from "../store/notices";
import { localMatchregisseurs } from "../store/professionals";
import { upsertRef } from "../store/refs";
import {
  deleteSignalsOfYouth,
  deleteYouthWithoutSignals,
  findYouthByBsn,
  insertArrivedSignals,
  lockFamily,
  signalsOfYouthForTransfer,
  upsertYouth,
} from "../store/signals";
import { remoteActor } from "./actors";
import { enqueueIndex } from "./index-sync";
import { matchSignal } from "./matching";
import { pointerFields, toSignalView } from "./own-signal";
import { auditMatchesMade, refreshYouthFacts } from "./family-facts";
import { afterCommit, fromBrp, lookupYouth, transaction } from "./support";

const informTargetOf = (v: string | null): InformTarget | null => ((INFORM_TARGETS as readonly string[]).includes(v ?? "") ? (v as InformTarget) : null);

export interface Mutation {
  seq: number;
  soort: string;
  bsn: string;
  vanGemeente: string;
  naarGemeente: string;
  datum: string;
}

/**
 * Applies the BRP's mutations to the youths held here: a youth who moved to
 * another gemeente of the region is moved out (with the signals); for every
 * other mutation (a move within the gemeente, a death, a change of parents)
 * the youth's data are refreshed from the BRP and the family matched again
 * (refreshYouthFacts). Returns how many youths moved out.
 */
export async function processMutations(ctx: NodeContext, mutations: Mutation[]): Promise<number> {
  let moved = 0;
  for (const m of mutations) {
    const youth = await findYouthByBsn(ctx.db, ctx.t, m.bsn);
    if (!youth) continue;
    if (m.soort === "verhuizing" && m.naarGemeente !== ctx.gemeente.code) {
      // To another region: through the national chain (docs/adr/0042), when this node has the national link.
      if (!ctx.region.includes(m.naarGemeente) && !(ctx.national && inOtherRegion(ctx.region, m.naarGemeente))) {
        ctx.log.warn({ naar: m.naarGemeente }, "youth moved out of the region; this node has no national link, so the signals stay");
        continue;
      }
      if (!ctx.fed) {
        ctx.log.warn({ naar: m.naarGemeente }, "youth moved to another gemeente; this node is not linked to the region, so the signals stay");
        continue;
      }
      await transferYouth(ctx, youth.id, m.bsn, m.naarGemeente, m.datum);
      moved++;
      continue;
    }
    const persoon = (await fromBrp(() => ctx.brp.raadpleeg([m.bsn]))).get(m.bsn);
    if (persoon) await refreshYouthFacts(ctx, youth.id, persoon, m.soort);
  }
  return moved;
}

export async function transferYouth(ctx: NodeContext, jeugdigeId: string, bsn: string, naar: string, datum: string): Promise<void> {
  const { t } = ctx;
  const rows = await signalsOfYouthForTransfer(ctx.db, t, jeugdigeId);
  const ids = rows.map((r) => r.s.id);
  const matches = await matchesAmong(ctx.db, t, ids);
  const pkg: TransferPackage = {
    bsn,
    vanGemeente: ctx.gemeente.code,
    datum,
    signalen: rows.map(({ s, p, o }) => ({
      id: s.id,
      professional: snapshotOf({
        professionalId: p.id,
        email: p.email,
        naam: p.naam,
        functie: p.functie,
        telefoon: p.telefoon,
        organisatieId: o.id,
        organisatieNaam: o.naam,
        domein: o.domein,
        rol: p.rol,
        signaleringsbevoegd: p.signaleringsbevoegd,
        medisch: p.medisch,
      }),
      status: s.status,
      geregistreerdOp: s.geregistreerdOp.toISOString(),
      startdatum: s.startdatum,
      einddatum: s.einddatum,
      geinformeerd: s.geinformeerd,
      geinformeerdWie: informTargetOf(s.geinformeerdWie),
      geinformeerdOp: s.geinformeerdOp,
      redenNietGeinformeerd: s.redenNietGeinformeerd,
      gearchiveerdOp: s.gearchiveerdOp,
      archiefReden: s.archiefReden,
      archiefMatchGebruikt: s.archiefMatchGebruikt,
      entryNode: s.entryNode,
      versie: s.versie,
    })),
    matches: matches.map((m) => ({
      id: m.id,
      soort: m.soort,
      signaalA: m.signaalA,
      signaalB: m.signaalB,
      viaArchief: m.viaArchief,
      aangemaaktOp: m.aangemaaktOp.toISOString(),
    })),
  };
  await callNode(ctx, naar, "jeugdige.overdragen", null, pkg);
  await transaction(ctx, async (tx) => {
    // Pointers for this node's own professionals; the signals now live at `naar`. Of the youth, only the name stays
    // (no BSN, no birth date): the youth's row goes below.
    for (const { s, p, o, naam } of rows) {
      if (s.entryNode !== ctx.gemeente.code) continue;
      const view = toSignalView(s, { naam }, { id: o.id, naam: o.naam });
      await upsertRef(tx, t, { signaalId: s.id, professionalId: p.id, residentie: naar, at: ctx.clock.now(), ...pointerFields(view) });
    }
    await deleteSignalsOfYouth(tx, t, jeugdigeId);
    await deleteYouthWithoutSignals(tx, t, [jeugdigeId]);
    await audit(tx, t, { actie: "jeugdige.verhuisd", actor: "systeem", jeugdigeId, at: ctx.clock.now(), details: { naar, signalen: ids.length } });
  });
  ctx.log.info({ naar, signalen: ids.length }, "youth moved out");
}

/** The receiving side of a relocation. */
export async function importTransfer(ctx: NodeContext, from: string, pkg: TransferPackage): Promise<{ signalen: number }> {
  const { t } = ctx;
  const persoon = await lookupYouth(ctx, pkg.bsn);
  const resident = assertResidentHere(persoon.gemeenteCode, ctx.gemeente);
  if (!resident.ok) throw problem("JEUGDIGE_ANDERE_GEMEENTE", `Volgens de BRP woont deze jeugdige niet in ${ctx.gemeente.naam}.`);
  const actors = new Map<string, string>();
  for (const s of pkg.signalen) {
    if (!actors.has(s.professional.email)) actors.set(s.professional.email, (await remoteActor(ctx, s.professional)).professionalId);
  }
  const now = ctx.clock.now();
  const meldingen: NoticeRow[] = [];
  // Its audit rows (a match per arrived signal, then the arrival) are appended at its end: taken after each match, the
  // chain's lock came before the meldingen, and a melding consumer writing the same melding (then auditing) deadlocked
  // against it (40P01; seen in test/api/matchregie-federation.test.ts).
  await transaction(ctx, async (tx) => {
    const adresId = persoon.adres?.adresseerbaarObjectId ?? null;
    const { institution } = await lockFamily(tx, t, { scope: ctx.gemeente.code, bsn: pkg.bsn, ouders: persoon.ouders, adresId });
    const jeugdigeId = await upsertYouth(tx, t, persoon, now);
    const arrived = await insertArrivedSignals(
      tx,
      t,
      pkg.signalen.map((s) => ({
        id: s.id,
        jeugdigeId,
        professionalId: actors.get(s.professional.email)!,
        organisatieId: s.professional.organisatie.id,
        status: s.status,
        geregistreerdOp: new Date(s.geregistreerdOp),
        startdatum: s.startdatum,
        einddatum: s.einddatum,
        geinformeerd: s.geinformeerd,
        geinformeerdWie: s.geinformeerdWie ?? null,
        geinformeerdOp: s.geinformeerdOp ?? null,
        // A node from before the closed list may send free text: it is never stored (closedReason).
        redenNietGeinformeerd: closedReason(s.redenNietGeinformeerd),
        gearchiveerdOp: s.gearchiveerdOp,
        archiefReden: s.archiefReden,
        archiefMatchGebruikt: s.archiefMatchGebruikt,
        entryNode: s.entryNode,
        // Newer than anything the old node announced, so the hub takes this node's word.
        versie: Math.max(s.versie + 1, now.getTime()),
        bijgewerktOp: now,
      })),
    );
    await insertMatches(
      tx,
      t,
      pkg.matches.map((m) => ({ ...m, aangemaaktOp: new Date(m.aangemaaktOp) })),
    );
    if (arrived.length === 0) return; // already imported: nothing more to do
    const came = pkg.signalen.filter((s) => arrived.includes(s.id));
    // What the matchregisseur's melding names: the matches that came along and the ones made on arrival.
    const matchesHere = new Map(pkg.matches.map((m) => [m.id, m.soort]));
    // Family matches with youths of this gemeente (deterministic ids: a pair matched before is not matched again).
    for (const s of came.filter((x) => x.status === "actief")) {
      const made = await matchSignal(tx, ctx, {
        signalId: s.id,
        professionalId: actors.get(s.professional.email)!,
        youth: { youthId: jeugdigeId, parentBsns: persoon.ouders, addressId: adresId, institutionAddress: institution },
        now,
        familyOnly: true,
      });
      meldingen.push(...made.meldingen);
      for (const m of made.matches) matchesHere.set(m.id, m.soort);
      await auditMatchesMade(tx, ctx, { jeugdigeId, signaalId: s.id, at: now, bij: "verhuizing" }, made.matches);
    }
    await enqueueIndex(tx, ctx, arrived);
    await enqueueRefUpdates(
      tx,
      ctx,
      came.map((s) => ({ id: s.id, entryNode: s.entryNode, status: s.status, einddatum: s.einddatum })),
    );
    // Tell the professionals (at the node they registered through) and this gemeente's matchregisseurs.
    const inhoud = (signaalId: string | null): VerhuizingInhoud => ({
      vanGemeente: pkg.vanGemeente,
      naarGemeente: ctx.gemeente.code,
      naarGemeenteNaam: ctx.gemeente.naam,
      datum: pkg.datum,
      signaalId,
    });
    const local: NewNotice[] = [];
    const remote: { type: "verhuizing.melding"; to: string; data: EventData<"verhuizing.melding"> }[] = [];
    for (const s of came) {
      if (s.entryNode === ctx.gemeente.code) {
        local.push({
          soort: "verhuizing",
          sleutel: `verhuizing:${s.id}:${ctx.gemeente.code}`,
          professionalId: actors.get(s.professional.email)!,
          signaalId: s.id,
          inhoud: inhoud(s.id),
          aangemaaktOp: now,
        });
      } else {
        remote.push({
          type: "verhuizing.melding",
          to: s.entryNode,
          data: { signaalId: s.id, voor: { email: s.professional.email }, vanGemeente: pkg.vanGemeente, naarGemeente: ctx.gemeente.code, datum: pkg.datum },
        });
      }
    }
    // The matchregisseur can act on it: how many signals, which organisations, and the matches now in their matchregie.
    const forMatchregisseur: VerhuizingInhoud = {
      ...inhoud(null),
      aantalSignalen: came.length,
      organisaties: [...new Set(came.map((s) => s.professional.organisatie.naam))].sort(),
      matches: [...matchesHere].map(([id, soort]) => ({ id, soort })),
    };
    for (const id of await localMatchregisseurs(tx, t)) {
      local.push({
        soort: "verhuizing",
        sleutel: `verhuizing:${jeugdigeId}:${ctx.gemeente.code}:${pkg.datum}`,
        professionalId: id,
        signaalId: null,
        inhoud: forMatchregisseur,
        aangemaaktOp: now,
      });
    }
    await enqueueNotices(tx, ctx, remote);
    meldingen.push(...(await insertNotices(tx, t, local)));
    await audit(tx, t, { actie: "jeugdige.binnengekomen", actor: "systeem", jeugdigeId, at: now, details: { van: from, signalen: arrived.length } });
  });
  afterCommit(ctx, meldingen);
  ctx.log.info({ van: from, naar: ctx.gemeente.code }, "youth moved in");
  return { signalen: pkg.signalen.length };
}
