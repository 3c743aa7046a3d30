/**
 * The client card and inzage. Both are reached only through the caller's own
 * active signal on the youth; both re-derive the youth's data from the BRP and
 * log the read.
 */
import { and, asc, eq, or } from "drizzle-orm";
import { ageOn, inzageEligibility, todayIn, whoMustBeInformed, type InformTarget, type InzageAudience } from "@vi/domain";
import type { Actor, NodeContext } from "../context";
import { Problem } from "../problems";
import { audit } from "./audit";
import { domainProblem, fromBrp } from "./errors";
import { findOwnSignal, locateOwnSignal } from "./signalen";
import { callNode } from "../federation/rpc";
import { alias } from "drizzle-orm/pg-core";

export interface Betrokkenheid {
  organisatie: string;
  domein: string;
  startdatum: string;
  einddatum: string;
}

export interface Clientkaart {
  jeugdige: {
    bsn: string;
    naam: string;
    geboortedatum: string;
    leeftijd: number;
    geslacht: string;
    gemeente: string;
    adres: { straat: string; huisnummer: number; huisletter?: string; postcode: string; woonplaats: string } | null;
    geheimAdres: boolean;
  };
  informeren: InformTarget;
  actiefBetrokken: (Betrokkenheid & { professional: { naam: string; functie: string; telefoon: string; email: string } | null })[];
  eerderBetrokken: Betrokkenheid[];
}

async function openYouth(ctx: NodeContext, actor: Actor, signaalId: string) {
  const own = await findOwnSignal(ctx.db, ctx, actor, signaalId);
  if (own.signaal.status !== "actief") {
    throw new Problem("SIGNAAL_NIET_ACTIEF", "Uw signaal op deze jeugdige is niet meer actief. Alleen met een actief signaal kunt u de cliëntkaart openen.");
  }
  const persoon = (await fromBrp(() => ctx.brp.raadpleeg([own.jeugdige.bsn]))).get(own.jeugdige.bsn);
  if (!persoon) throw new Problem("BSN_ONBEKEND_IN_BRP", "De jeugdige is niet (meer) bekend in de BRP. Neem contact op met de beheerder van de verwijsindex.");
  return { own, persoon };
}

async function involvement(ctx: NodeContext, jeugdigeId: string) {
  const { t } = ctx;
  const p = alias(t.professionals, "p");
  return ctx.db
    .select({
      signaalId: t.signalen.id,
      status: t.signalen.status,
      startdatum: t.signalen.startdatum,
      einddatum: t.signalen.einddatum,
      gearchiveerdOp: t.signalen.gearchiveerdOp,
      organisatie: t.organisaties.naam,
      domein: t.organisaties.domein,
      professionalId: t.signalen.professionalId,
      naam: p.naam,
      functie: p.functie,
      telefoon: p.telefoon,
      email: p.email,
      medisch: p.medisch,
    })
    .from(t.signalen)
    .innerJoin(t.organisaties, eq(t.organisaties.id, t.signalen.organisatieId))
    .innerJoin(p, eq(p.id, t.signalen.professionalId))
    .where(eq(t.signalen.jeugdigeId, jeugdigeId))
    .orderBy(asc(t.signalen.startdatum));
}

export async function openClientkaart(ctx: NodeContext, actor: Actor, signaalId: string): Promise<Clientkaart> {
  const where = await locateOwnSignal(ctx, actor, signaalId);
  if (!where.here) {
    const card = await callNode<Clientkaart>(ctx, where.residentie, "clientkaart.open", actor, { signaalId });
    await audit(ctx.db, ctx.t, { actie: "clientkaart.gelezen", actor, signaalId, at: ctx.clock.now(), details: { residentie: where.residentie } });
    return card;
  }
  const { t } = ctx;
  const { own, persoon } = await openYouth(ctx, actor, signaalId);
  const jeugdigeId = own.signaal.jeugdigeId;
  const rows = await involvement(ctx, jeugdigeId);
  // Contact details appear only for professionals the caller has a client match with.
  const matched = await ctx.db
    .select({ a: t.matches.signaalA, b: t.matches.signaalB })
    .from(t.matches)
    .where(and(eq(t.matches.soort, "client"), or(eq(t.matches.signaalA, signaalId), eq(t.matches.signaalB, signaalId))));
  const matchedSignals = new Set(matched.flatMap((m) => [m.a, m.b]));
  const today = todayIn(ctx.clock);
  const leeftijd = ageOn(persoon.geboortedatum, today);
  const card: Clientkaart = {
    jeugdige: {
      bsn: persoon.bsn,
      naam: persoon.naam.volledigeNaam,
      geboortedatum: persoon.geboortedatum,
      leeftijd,
      geslacht: persoon.geslacht,
      gemeente: persoon.gemeenteCode,
      adres:
        persoon.geheimhouding || !persoon.adres
          ? null
          : {
              straat: persoon.adres.straat,
              huisnummer: persoon.adres.huisnummer,
              ...(persoon.adres.huisletter ? { huisletter: persoon.adres.huisletter } : {}),
              postcode: persoon.adres.postcode,
              woonplaats: persoon.adres.woonplaats,
            },
      geheimAdres: persoon.geheimhouding,
    },
    informeren: whoMustBeInformed(leeftijd),
    actiefBetrokken: rows
      .filter((r) => r.status === "actief")
      .map((r) => ({
        organisatie: r.organisatie,
        domein: r.domein,
        startdatum: r.startdatum,
        einddatum: r.einddatum,
        professional:
          r.professionalId === actor.professionalId || matchedSignals.has(r.signaalId)
            ? { naam: r.naam, functie: r.functie, telefoon: r.telefoon, email: r.email }
            : null,
      })),
    eerderBetrokken: rows
      .filter((r) => r.status === "gearchiveerd")
      .map((r) => ({ organisatie: r.organisatie, domein: r.domein, startdatum: r.startdatum, einddatum: r.gearchiveerdOp ?? r.einddatum })),
  };
  await audit(ctx.db, t, { actie: "clientkaart.gelezen", actor, jeugdigeId, signaalId, at: ctx.clock.now() });
  return card;
}

export interface Inzage {
  voor: InzageAudience;
  jeugdige: { naam: string; geboortedatum: string };
  actiefBetrokken: Betrokkenheid[];
  eerderBetrokken: Betrokkenheid[];
  opgesteldOp: string;
}

/** What parents or the youth may see: the youth's data and the organisations involved, never professionals' names or family matches. */
export async function prepareInzage(
  ctx: NodeContext,
  actor: Actor,
  signaalId: string,
  input: { voor: InzageAudience; toestemmingJeugdige: boolean },
): Promise<Inzage> {
  const where = await locateOwnSignal(ctx, actor, signaalId);
  if (!where.here) {
    const inzage = await callNode<Inzage>(ctx, where.residentie, "inzage.open", actor, { signaalId, ...input });
    await audit(ctx.db, ctx.t, { actie: "inzage.getoond", actor, signaalId, at: ctx.clock.now(), details: { voor: input.voor, residentie: where.residentie } });
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
    livesInRegion: ctx.regioGemeenten.includes(persoon.gemeenteCode),
    audience: input.voor,
    medicalProfessionalOnCard: rows.some((r) => r.status === "actief" && r.medisch),
    youthConsent: input.toestemmingJeugdige,
  });
  if (!verdict.ok) {
    await audit(ctx.db, t, {
      actie: "inzage.geweigerd",
      actor,
      jeugdigeId,
      signaalId,
      at: ctx.clock.now(),
      details: { voor: input.voor, code: verdict.error.code },
    });
    throw domainProblem(verdict.error);
  }
  const toBetrokkenheid = (r: (typeof rows)[number]): Betrokkenheid => ({
    organisatie: r.organisatie,
    domein: r.domein,
    startdatum: r.startdatum,
    einddatum: r.status === "gearchiveerd" ? (r.gearchiveerdOp ?? r.einddatum) : r.einddatum,
  });
  await audit(ctx.db, t, { actie: "inzage.getoond", actor, jeugdigeId, signaalId, at: ctx.clock.now(), details: { voor: input.voor } });
  return {
    voor: input.voor,
    jeugdige: { naam: persoon.naam.volledigeNaam, geboortedatum: persoon.geboortedatum },
    actiefBetrokken: rows.filter((r) => r.status === "actief").map(toBetrokkenheid),
    eerderBetrokken: rows.filter((r) => r.status === "gearchiveerd").map(toBetrokkenheid),
    opgesteldOp: today,
  };
}
