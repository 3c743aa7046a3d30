/**
 * Registering, reading, extending, ending and withdrawing signals, and the
 * matching that happens at registration. Plain functions over a NodeContext;
 * the HTTP layer only translates.
 */
import { and, arrayOverlaps, eq, inArray, ne, or, sql } from "drizzle-orm";
import type { Persoon } from "@vi/brp";
import type { Db } from "@vi/db";
import {
  bsnCheck,
  decideMatches,
  planEnd,
  planExtension,
  planRegistration,
  todayIn,
  type CandidateSignal,
  type FamilyFacts,
} from "@vi/domain";
import type { Actor, NodeContext } from "../context";
import { Problem } from "../problems";
import { audit } from "./audit";
import { domainProblem, fromBrp, isUniqueViolation } from "./errors";

export interface RegisterInput {
  bsn: string;
  einddatum?: string;
  geinformeerd: boolean;
  redenNietGeinformeerd?: string;
}

export interface SignaalView {
  id: string;
  status: "actief" | "gearchiveerd";
  jeugdige: { bsn: string; naam: string; geboortedatum: string };
  organisatie: { id: string; naam: string };
  geregistreerdOp: string;
  startdatum: string;
  einddatum: string;
  geinformeerd: boolean;
  redenNietGeinformeerd: string | null;
  gearchiveerdOp: string | null;
}

export function assertMaySignal(actor: Actor): void {
  if (actor.rol !== "professional" || !actor.signaleringsbevoegd) {
    throw new Problem(
      "NIET_SIGNALERINGSBEVOEGD",
      "U bent niet signaleringsbevoegd. Alleen professionals die hun organisatie daarvoor heeft aangewezen kunnen een signaal afgeven; vraag uw aandachtsfunctionaris of leidinggevende.",
    );
  }
}

export async function lookupYouth(ctx: NodeContext, bsn: string): Promise<Persoon> {
  const found = await fromBrp(() => ctx.brp.raadpleeg([bsn]));
  const persoon = found.get(bsn);
  if (!persoon) {
    throw new Problem(
      "BSN_ONBEKEND_IN_BRP",
      "Dit BSN is geldig, maar onbekend in de BRP. Controleer het nummer; een signaal kan alleen worden afgegeven op een jeugdige die in de BRP staat.",
      [{ name: "bsn", code: "BSN_ONBEKEND_IN_BRP", reason: "Onbekend in de BRP." }],
    );
  }
  return persoon;
}

async function isInstitution(db: Db, ctx: NodeContext, adresId: string | null): Promise<boolean> {
  if (!adresId) return false;
  const rows = await db
    .select({ id: ctx.t.instellingsadressen.adresId })
    .from(ctx.t.instellingsadressen)
    .where(eq(ctx.t.instellingsadressen.adresId, adresId));
  return rows.length > 0;
}

export interface RegisterResult {
  signaal: SignaalView;
  matches: { id: string; soort: "client" | "gezin"; viaArchief: boolean }[];
}

export async function registerSignal(ctx: NodeContext, actor: Actor, input: RegisterInput): Promise<RegisterResult> {
  assertMaySignal(actor);
  const checked = bsnCheck(input.bsn);
  if (!checked.ok) throw domainProblem(checked.error);
  const bsn = checked.value;
  const persoon = await lookupYouth(ctx, bsn);
  if (persoon.gemeenteCode !== ctx.gemeente.code) {
    throw new Problem(
      "JEUGDIGE_ANDERE_GEMEENTE",
      `Deze jeugdige staat niet ingeschreven in ${ctx.gemeente.naam}. Registreer het signaal via de verwijsindex van de woongemeente.`,
      [{ name: "bsn", code: "JEUGDIGE_ANDERE_GEMEENTE", reason: "Andere woongemeente." }],
    );
  }
  const today = todayIn(ctx.clock);
  const plan = planRegistration({
    today,
    einddatum: input.einddatum,
    defaultDurationMonths: ctx.standaardDuurMaanden,
    geinformeerd: input.geinformeerd,
    redenNietGeinformeerd: input.redenNietGeinformeerd,
    youth: { birthDate: persoon.geboortedatum, deceasedOn: persoon.overlijdensdatum },
  });
  if (!plan.ok) throw domainProblem(plan.error);

  const { t } = ctx;
  const now = ctx.clock.now();
  const adresId = persoon.adres?.adresseerbaarObjectId ?? null;
  try {
    return await ctx.db.transaction(async (tx) => {
      const institution = await isInstitution(tx, ctx, adresId);
      // Registrations that could match each other (same youth, a shared parent,
      // the same residential address) are serialised, so no match is missed.
      const keys = [`j:${bsn}`, ...persoon.ouders.map((o) => `o:${o}`), ...(adresId && !institution ? [`a:${adresId}`] : [])].sort();
      for (const key of keys) {
        await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`${ctx.gemeente.code}:${key}`}))`);
      }
      const youthFields = {
        naam: persoon.naam.volledigeNaam,
        geslacht: persoon.geslacht,
        geboortedatum: persoon.geboortedatum,
        overlijdensdatum: persoon.overlijdensdatum,
        gemeenteCode: persoon.gemeenteCode,
        ouders: persoon.ouders,
        adresId,
        geheimhouding: persoon.geheimhouding,
        brpOpgehaaldOp: now,
      };
      const [jeugdige] = await tx
        .insert(t.jeugdigen)
        .values({ bsn, ...youthFields })
        .onConflictDoUpdate({ target: t.jeugdigen.bsn, set: youthFields })
        .returning({ id: t.jeugdigen.id });
      const jeugdigeId = jeugdige!.id;

      const existing = await tx
        .select({ id: t.signalen.id })
        .from(t.signalen)
        .where(and(eq(t.signalen.jeugdigeId, jeugdigeId), eq(t.signalen.professionalId, actor.professionalId), eq(t.signalen.status, "actief")));
      if (existing.length > 0) throw signalExists();

      const [signaal] = await tx
        .insert(t.signalen)
        .values({
          jeugdigeId,
          professionalId: actor.professionalId,
          organisatieId: actor.organisatieId,
          status: "actief",
          geregistreerdOp: now,
          startdatum: today,
          einddatum: plan.value.einddatum,
          geinformeerd: input.geinformeerd,
          redenNietGeinformeerd: input.geinformeerd ? null : input.redenNietGeinformeerd!.trim(),
          entryNode: ctx.gemeente.code,
          versie: now.getTime(),
          bijgewerktOp: now,
        })
        .returning();

      const self: FamilyFacts = { youthId: jeugdigeId, parentBsns: persoon.ouders, addressId: adresId, institutionAddress: institution };
      const sameYouth = await tx
        .select({
          signalId: t.signalen.id,
          professionalId: t.signalen.professionalId,
          youthId: t.signalen.jeugdigeId,
          status: t.signalen.status,
          archiveMatchUsed: t.signalen.archiefMatchGebruikt,
        })
        .from(t.signalen)
        .where(and(eq(t.signalen.jeugdigeId, jeugdigeId), ne(t.signalen.id, signaal!.id)));

      const familyConditions = [persoon.ouders.length > 0 ? arrayOverlaps(t.jeugdigen.ouders, persoon.ouders) : undefined];
      if (adresId && !institution) familyConditions.push(eq(t.jeugdigen.adresId, adresId));
      const familyRows = familyConditions.some(Boolean)
        ? await tx
            .select({
              signalId: t.signalen.id,
              professionalId: t.signalen.professionalId,
              youthId: t.signalen.jeugdigeId,
              status: t.signalen.status,
              archiveMatchUsed: t.signalen.archiefMatchGebruikt,
              ouders: t.jeugdigen.ouders,
              adresId: t.jeugdigen.adresId,
              instelling: sql<boolean>`exists (select 1 from ${t.instellingsadressen} where ${t.instellingsadressen.adresId} = ${t.jeugdigen.adresId})`,
            })
            .from(t.signalen)
            .innerJoin(t.jeugdigen, eq(t.jeugdigen.id, t.signalen.jeugdigeId))
            .where(and(eq(t.signalen.status, "actief"), ne(t.jeugdigen.id, jeugdigeId), or(...familyConditions)))
        : [];

      const decisions = decideMatches({
        newSignal: { signalId: signaal!.id, professionalId: actor.professionalId, youth: self },
        sameYouth: sameYouth as CandidateSignal[],
        family: familyRows.map((r) => ({
          signal: { signalId: r.signalId, professionalId: r.professionalId, youthId: r.youthId, status: r.status, archiveMatchUsed: r.archiveMatchUsed },
          youth: { youthId: r.youthId, parentBsns: r.ouders, addressId: r.adresId, institutionAddress: Boolean(r.instelling) },
        })),
      });

      const made: RegisterResult["matches"] = [];
      for (const d of decisions) {
        const [a, b] = [signaal!.id, d.counterpartSignalId].sort();
        const [m] = await tx
          .insert(t.matches)
          .values({ soort: d.kind, signaalA: a!, signaalB: b!, viaArchief: d.viaArchive, aangemaaktOp: now })
          .onConflictDoNothing()
          .returning({ id: t.matches.id });
        if (d.viaArchive) {
          await tx.update(t.signalen).set({ archiefMatchGebruikt: true }).where(eq(t.signalen.id, d.counterpartSignalId));
        }
        if (m) made.push({ id: m.id, soort: d.kind, viaArchief: d.viaArchive });
      }

      await audit(tx, t, [
        { actie: "signaal.geregistreerd", actor, jeugdigeId, signaalId: signaal!.id, at: now, details: { einddatum: plan.value.einddatum, geinformeerd: input.geinformeerd } },
        ...made.map((m) => ({
          actie: "match.gemaakt" as const,
          actor,
          jeugdigeId,
          signaalId: signaal!.id,
          at: now,
          details: { matchId: m.id, soort: m.soort, viaArchief: m.viaArchief },
        })),
      ]);

      return {
        signaal: toView(signaal!, { bsn, naam: persoon.naam.volledigeNaam, geboortedatum: persoon.geboortedatum }, { id: actor.organisatieId, naam: actor.organisatieNaam }),
        matches: made,
      };
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw signalExists();
    throw e;
  }
}

function signalExists(): Problem {
  return new Problem(
    "SIGNAAL_BESTAAT_AL",
    "U heeft al een actief signaal op deze jeugdige. Verleng dat signaal als uw betrokkenheid langer duurt.",
  );
}

type SignaalRow = {
  id: string;
  status: "actief" | "gearchiveerd";
  geregistreerdOp: Date;
  startdatum: string;
  einddatum: string;
  geinformeerd: boolean;
  redenNietGeinformeerd: string | null;
  gearchiveerdOp: string | null;
};

function toView(s: SignaalRow, jeugdige: SignaalView["jeugdige"], organisatie: SignaalView["organisatie"]): SignaalView {
  return {
    id: s.id,
    status: s.status,
    jeugdige,
    organisatie,
    geregistreerdOp: s.geregistreerdOp.toISOString(),
    startdatum: s.startdatum,
    einddatum: s.einddatum,
    geinformeerd: s.geinformeerd,
    redenNietGeinformeerd: s.redenNietGeinformeerd,
    gearchiveerdOp: s.gearchiveerdOp,
  };
}

function ownSignalsQuery(db: Db, ctx: NodeContext) {
  const { t } = ctx;
  return db
    .select({
      signaal: t.signalen,
      jeugdige: { bsn: t.jeugdigen.bsn, naam: t.jeugdigen.naam, geboortedatum: t.jeugdigen.geboortedatum },
      organisatie: { id: t.organisaties.id, naam: t.organisaties.naam },
    })
    .from(t.signalen)
    .innerJoin(t.jeugdigen, eq(t.jeugdigen.id, t.signalen.jeugdigeId))
    .innerJoin(t.organisaties, eq(t.organisaties.id, t.signalen.organisatieId));
}

export async function listOwnSignals(ctx: NodeContext, actor: Actor, filter: { status?: "actief" | "gearchiveerd" }): Promise<SignaalView[]> {
  const { t } = ctx;
  return ctx.db.transaction(async (tx) => {
    const rows = await ownSignalsQuery(tx, ctx)
      .where(and(eq(t.signalen.professionalId, actor.professionalId), filter.status ? eq(t.signalen.status, filter.status) : undefined))
      .orderBy(t.signalen.geregistreerdOp);
    const at = ctx.clock.now();
    await audit(
      tx,
      t,
      rows.map((r) => ({ actie: "signalen.gelezen" as const, actor, jeugdigeId: r.signaal.jeugdigeId, signaalId: r.signaal.id, at })),
    );
    return rows.map((r) => toView(r.signaal, r.jeugdige, r.organisatie));
  });
}

/** The caller's own signal, or 404: another professional's signal is indistinguishable from a missing one. */
export async function findOwnSignal(db: Db, ctx: NodeContext, actor: Actor, id: string) {
  const { t } = ctx;
  const [row] = await ownSignalsQuery(db, ctx).where(and(eq(t.signalen.id, id), eq(t.signalen.professionalId, actor.professionalId)));
  if (!row) throw new Problem("SIGNAAL_NIET_GEVONDEN", "U heeft geen signaal met dit kenmerk. Kies een signaal uit uw eigen overzicht.");
  return row;
}

export async function getOwnSignal(ctx: NodeContext, actor: Actor, id: string): Promise<SignaalView> {
  return ctx.db.transaction(async (tx) => {
    const row = await findOwnSignal(tx, ctx, actor, id);
    await audit(tx, ctx.t, { actie: "signaal.gelezen", actor, jeugdigeId: row.signaal.jeugdigeId, signaalId: id, at: ctx.clock.now() });
    return toView(row.signaal, row.jeugdige, row.organisatie);
  });
}

export async function extendSignal(ctx: NodeContext, actor: Actor, id: string, einddatum: string): Promise<SignaalView> {
  const { t } = ctx;
  return ctx.db.transaction(async (tx) => {
    const row = await findOwnSignal(tx, ctx, actor, id);
    const youth = await tx
      .select({ geboortedatum: t.jeugdigen.geboortedatum, overlijdensdatum: t.jeugdigen.overlijdensdatum })
      .from(t.jeugdigen)
      .where(eq(t.jeugdigen.id, row.signaal.jeugdigeId));
    const plan = planExtension({
      today: todayIn(ctx.clock),
      status: row.signaal.status,
      currentEinddatum: row.signaal.einddatum,
      newEinddatum: einddatum,
      youth: { birthDate: youth[0]!.geboortedatum, deceasedOn: youth[0]!.overlijdensdatum },
    });
    if (!plan.ok) throw domainProblem(plan.error);
    const now = ctx.clock.now();
    const [updated] = await tx
      .update(t.signalen)
      .set({ einddatum: plan.value.einddatum, bijgewerktOp: now })
      .where(eq(t.signalen.id, id))
      .returning();
    await audit(tx, t, {
      actie: "signaal.verlengd",
      actor,
      jeugdigeId: row.signaal.jeugdigeId,
      signaalId: id,
      at: now,
      details: { van: row.signaal.einddatum, tot: plan.value.einddatum },
    });
    return toView(updated!, row.jeugdige, row.organisatie);
  });
}

/** Involvement ended: the signal goes to the historical archive. */
export async function endSignal(ctx: NodeContext, actor: Actor, id: string): Promise<SignaalView> {
  const { t } = ctx;
  return ctx.db.transaction(async (tx) => {
    const row = await findOwnSignal(tx, ctx, actor, id);
    const plan = planEnd({ status: row.signaal.status, reason: "betrokkenheid-beeindigd", today: todayIn(ctx.clock) });
    if (!plan.ok) throw domainProblem(plan.error);
    if (plan.value.action !== "archive") throw new Error("planEnd must archive an ended signal");
    const now = ctx.clock.now();
    const [updated] = await tx
      .update(t.signalen)
      .set({ status: "gearchiveerd", gearchiveerdOp: plan.value.archivedOn, archiefReden: "betrokkenheid-beeindigd", bijgewerktOp: now })
      .where(eq(t.signalen.id, id))
      .returning();
    await audit(tx, t, { actie: "signaal.beeindigd", actor, jeugdigeId: row.signaal.jeugdigeId, signaalId: id, at: now });
    return toView(updated!, row.jeugdige, row.organisatie);
  });
}

/** Withdrawn as unjustified: the signal is deleted, not archived. */
export async function withdrawSignal(ctx: NodeContext, actor: Actor, id: string): Promise<void> {
  const { t } = ctx;
  await ctx.db.transaction(async (tx) => {
    const row = await findOwnSignal(tx, ctx, actor, id);
    const plan = planEnd({ status: row.signaal.status, reason: "onterecht", today: todayIn(ctx.clock) });
    if (!plan.ok) throw domainProblem(plan.error);
    await tx.delete(t.signalen).where(eq(t.signalen.id, id));
    await deleteYouthWithoutSignals(tx, ctx, [row.signaal.jeugdigeId]);
    await audit(tx, t, { actie: "signaal.ingetrokken", actor, jeugdigeId: row.signaal.jeugdigeId, signaalId: id, at: ctx.clock.now() });
  });
}

/** A youth without any signal (active or archived) is not kept: the BSN leaves the index. */
export async function deleteYouthWithoutSignals(db: Db, ctx: NodeContext, jeugdigeIds: string[]): Promise<void> {
  if (jeugdigeIds.length === 0) return;
  const { t } = ctx;
  await db
    .delete(t.jeugdigen)
    .where(
      and(
        inArray(t.jeugdigen.id, jeugdigeIds),
        sql`not exists (select 1 from ${t.signalen} where ${t.signalen.jeugdigeId} = ${t.jeugdigen.id})`,
      ),
    );
}
