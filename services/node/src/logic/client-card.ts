/**
 * The client card and inzage. Both are reached only through the caller's own
 * active signal on the youth; both re-derive the youth's data from the BRP
 * and log the read. What each shows is the domain's rule (clientCardInvolvement,
 * inzageInvolvement, inzageEligibility).
 */
import {
  ageOn,
  archiveInvolvement,
  clientCardInvolvement,
  type Involvement,
  type InzageAudience,
  inzageEligibility,
  inzageInvolvement,
  isMedical,
  medicalProfessionalOnCard,
  todayIn,
  visibleAddress,
  whoMustBeInformed,
  youthInScope,
} from "@vi/domain";
import type { Actor, NodeContext } from "../context";
import { callNode, parseReply } from "../outbound/rpc";
import { domainProblem, problem } from "../problems";
import { Archief, type ArchiveView, Clientkaart, type ClientCardView, Inzage, type InzageView } from "../schemas";
import { audit } from "../store/audit";
import { clientMatchCounterparts } from "../store/matches";
import { involvementOf, youthWithoutBsn } from "../store/signals";
import { locateOwnSignal, ownSignal } from "./own-signal";
import { fromBrp, youthFactsOf } from "./support";
import { persoonZonderBsn } from "./without-bsn";

async function storedYouthWithoutBsn(ctx: NodeContext, jeugdigeId: string) {
  const row = await youthWithoutBsn(ctx.db, ctx.t, jeugdigeId);
  if (!row) return undefined;
  const geslacht = row.geslacht === "M" || row.geslacht === "V" ? row.geslacht : "O";
  return persoonZonderBsn(row.bsn, { naam: row.naam, geboortedatum: row.geboortedatum, geslacht }, row.gemeenteCode);
}

async function openYouth(ctx: NodeContext, actor: Actor, signaalId: string) {
  const own = await ownSignal(ctx.db, ctx, actor, signaalId);
  if (own.signaal.status !== "actief") {
    throw problem("SIGNAAL_NIET_ACTIEF", "Uw signaal op deze jeugdige is niet meer actief. Alleen met een actief signaal kunt u de cliëntkaart openen.");
  }
  // A youth registered without a BSN has no BRP data: what the node keeps of the facts stands in (docs/adr/0038).
  const persoon = own.jeugdige.zonderBsn
    ? await storedYouthWithoutBsn(ctx, own.signaal.jeugdigeId)
    : (await fromBrp(() => ctx.brp.raadpleeg([own.jeugdige.bsn]))).get(own.jeugdige.bsn);
  if (!persoon) throw problem("BSN_ONBEKEND_IN_BRP", "De jeugdige is niet (meer) bekend in de BRP. Neem contact op met de beheerder van de verwijsindex.");
  // What retention will remove is out of the index today, whether or not the job has run.
  const inScope = youthInScope(todayIn(ctx.clock), youthFactsOf(persoon));
  if (!inScope.ok) throw domainProblem(inScope.error);
  if (!persoon.geboortedatum) {
    throw problem(
      "GEBOORTEDATUM_ONBEKEND",
      "De BRP kent (nu) geen geboortedatum van deze jeugdige, dus de verwijsindex kan leeftijd en informeren niet bepalen. Vraag de gemeente de gegevens in de BRP te laten controleren.",
    );
  }
  return { own, persoon };
}

async function involvement(ctx: NodeContext, jeugdigeId: string): Promise<Involvement[]> {
  const rows = await involvementOf(ctx.db, ctx.t, jeugdigeId);
  return rows.map((r) => ({
    signalId: r.signalId,
    status: r.status,
    professionalId: r.professionalId,
    organisatie: r.organisatie,
    domein: r.domein,
    startdatum: r.startdatum,
    einddatum: r.einddatum,
    gearchiveerdOp: r.gearchiveerdOp,
    medisch: isMedical({ professionalMedisch: r.medisch, organisationDomain: r.domein }),
    geinformeerd: r.geinformeerd,
    contact: { naam: r.naam, functie: r.functie, telefoon: r.telefoon, email: r.email },
  }));
}

export async function openClientCard(ctx: NodeContext, actor: Actor, signaalId: string): Promise<ClientCardView> {
  const where = await locateOwnSignal(ctx, actor, signaalId);
  if (!where.here) {
    const card = parseReply(ctx, where.residentie, Clientkaart, await callNode(ctx, where.residentie, "clientkaart.openen", actor, { signaalId }));
    await audit(ctx.db, ctx.t, { actie: "clientkaart.gelezen", actor, signaalId, at: ctx.clock.now(), details: { residentie: where.residentie } });
    return card;
  }
  const { own, persoon } = await openYouth(ctx, actor, signaalId);
  const jeugdigeId = own.signaal.jeugdigeId;
  const rows = await involvement(ctx, jeugdigeId);
  const clientMatchSignalIds = await clientMatchCounterparts(ctx.db, ctx.t, signaalId);
  const leeftijd = ageOn(persoon.geboortedatum, todayIn(ctx.clock));
  const card: ClientCardView = {
    jeugdige: {
      ...(own.jeugdige.zonderBsn ? { verwijsindexservicenummer: persoon.bsn, zonderBsn: true as const } : { bsn: persoon.bsn }),
      naam: persoon.naam.volledigeNaam,
      geboortedatum: persoon.geboortedatum,
      leeftijd,
      geslacht: persoon.geslacht,
      gemeente: persoon.gemeenteCode,
      adres: visibleAddress({ geheimhouding: persoon.geheimhouding, adres: persoon.adres ?? null }),
      geheimAdres: persoon.geheimhouding,
    },
    informeren: whoMustBeInformed(leeftijd),
    ...clientCardInvolvement(rows, { professionalId: actor.professionalId, clientMatchSignalIds }),
    // Kept for existing clients, always empty: the archive opens on request (openArchive). See docs/adr/0011.
    eerderBetrokken: [],
  };
  await audit(ctx.db, ctx.t, { actie: "clientkaart.gelezen", actor, jeugdigeId, signaalId, at: ctx.clock.now() });
  return card;
}

/**
 * The archive part of the client card, on the professional's explicit
 * request: who was involved before and when, with the contact details of an
 * earlier professional the caller's signal has a match with. Reached through
 * the caller's own active signal, like the card; logged (archief.geopend).
 */
export async function openArchive(ctx: NodeContext, actor: Actor, signaalId: string): Promise<ArchiveView> {
  const where = await locateOwnSignal(ctx, actor, signaalId);
  if (!where.here) {
    const archief = parseReply(ctx, where.residentie, Archief, await callNode(ctx, where.residentie, "archief.openen", actor, { signaalId }));
    await audit(ctx.db, ctx.t, { actie: "archief.geopend", actor, signaalId, at: ctx.clock.now(), details: { residentie: where.residentie } });
    return archief;
  }
  const { own } = await openYouth(ctx, actor, signaalId);
  const jeugdigeId = own.signaal.jeugdigeId;
  const rows = await involvement(ctx, jeugdigeId);
  const clientMatchSignalIds = await clientMatchCounterparts(ctx.db, ctx.t, signaalId);
  const eerderBetrokken = archiveInvolvement(rows, { professionalId: actor.professionalId, clientMatchSignalIds });
  await audit(ctx.db, ctx.t, { actie: "archief.geopend", actor, jeugdigeId, signaalId, at: ctx.clock.now(), details: { aantal: eerderBetrokken.length } });
  return { eerderBetrokken };
}

/** What parents or the youth may see: the youth's data and the organisations involved, never professionals' names or family matches. */
export async function prepareInzage(
  ctx: NodeContext,
  actor: Actor,
  signaalId: string,
  input: { voor: InzageAudience; toestemmingJeugdige: boolean },
): Promise<InzageView> {
  const where = await locateOwnSignal(ctx, actor, signaalId);
  if (!where.here) {
    const inzage = parseReply(ctx, where.residentie, Inzage, await callNode(ctx, where.residentie, "inzage.opstellen", actor, { signaalId, ...input }));
    await audit(ctx.db, ctx.t, {
      actie: "inzage.getoond",
      actor,
      signaalId,
      at: ctx.clock.now(),
      details: { voor: input.voor, toestemmingJeugdige: input.toestemmingJeugdige, residentie: where.residentie },
    });
    return inzage;
  }
  const { t } = ctx;
  const { own, persoon } = await openYouth(ctx, actor, signaalId);
  const jeugdigeId = own.signaal.jeugdigeId;
  const rows = await involvement(ctx, jeugdigeId);
  const today = todayIn(ctx.clock);
  const verdict = inzageEligibility({
    age: ageOn(persoon.geboortedatum, today),
    secretAddress: persoon.geheimhouding,
    livesInRegion: ctx.region.includes(persoon.gemeenteCode),
    audience: input.voor,
    medicalProfessionalOnCard: medicalProfessionalOnCard(rows),
    youthConsent: input.toestemmingJeugdige,
  });
  if (!verdict.ok) {
    await audit(ctx.db, t, {
      actie: "inzage.geweigerd",
      actor,
      jeugdigeId,
      signaalId,
      at: ctx.clock.now(),
      details: { voor: input.voor, toestemmingJeugdige: input.toestemmingJeugdige, code: verdict.error.code },
    });
    throw domainProblem(verdict.error);
  }
  await audit(ctx.db, t, {
    actie: "inzage.getoond",
    actor,
    jeugdigeId,
    signaalId,
    at: ctx.clock.now(),
    details: { voor: input.voor, toestemmingJeugdige: input.toestemmingJeugdige },
  });
  const shown = inzageInvolvement(rows, { professionalId: actor.professionalId });
  return {
    voor: input.voor,
    jeugdige: { naam: persoon.naam.volledigeNaam, geboortedatum: persoon.geboortedatum },
    actiefBetrokken: shown.actiefBetrokken,
    eerderBetrokken: shown.eerderBetrokken,
    nietAllesGetoond: shown.nietAllesGetoond,
    toelichting: shown.nietAllesGetoond
      ? "Niet alle betrokkenheid wordt getoond: een of meer organisaties hebben de jeugdige en/of ouders nog niet geïnformeerd over hun signaal. Hun betrokkenheid verschijnt hier zodra zij dat hebben gedaan."
      : null,
    opgesteldOp: today,
  };
}
