/**
 * Registering, reading, extending, ending and withdrawing signals, and the
 * matching that happens at registration. Plain functions over a NodeContext;
 * the HTTP layer only translates.
 */
import { and, arrayOverlaps, eq, inArray, ne, or, sql } from "drizzle-orm";
import type { Persoon } from "@vi/brp";
import type { Db } from "@vi/db";
import { bsnCheck, decideMatches, planEnd, planExtension, planRegistration, todayIn, type CandidateSignal, type FamilyFacts } from "@vi/domain";
import type { Actor, NodeContext } from "../context";
import { Problem } from "../problems";
import { audit } from "./audit";
import { callNode } from "../federation/rpc";
import { enqueueIndex, enqueueIndexDeleted } from "../federation/index-events";
import { subjects } from "../federation/federation";
import { matchId, signEvent } from "@vi/events";
import { enqueue } from "@vi/db";
import { deliverMatches, loadSides, type MatchSide } from "../federation/deliver";
import type { MeldingRow } from "../federation/notifier";
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
  const rows = await db.select({ id: ctx.t.instellingsadressen.adresId }).from(ctx.t.instellingsadressen).where(eq(ctx.t.instellingsadressen.adresId, adresId));
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
  if (persoon.gemeenteCode === ctx.gemeente.code) return registerHere(ctx, actor, { ...input, bsn }, persoon, ctx.gemeente.code);
  if (!ctx.regioGemeenten.includes(persoon.gemeenteCode)) {
    throw new Problem(
      "JEUGDIGE_BUITEN_REGIO",
      "Deze jeugdige woont buiten de gemeenten van de regio. Een signaal kan alleen worden afgegeven in de verwijsindex van de regio waar de jeugdige woont.",
      [{ name: "bsn", code: "JEUGDIGE_BUITEN_REGIO", reason: "Woont buiten de regio." }],
    );
  }
  if (!ctx.fed) {
    throw new Problem(
      "JEUGDIGE_ANDERE_GEMEENTE",
      `Deze jeugdige staat niet ingeschreven in ${ctx.gemeente.naam}. Registreer het signaal via de verwijsindex van de woongemeente.`,
      [{ name: "bsn", code: "JEUGDIGE_ANDERE_GEMEENTE", reason: "Andere woongemeente." }],
    );
  }
  // The residence node stores the signal and makes the matches; this node keeps a pointer.
  const result = await callNode<RegisterResult>(ctx, persoon.gemeenteCode, "signaal.registreer", actor, { input: { ...input, bsn } });
  await ctx.db.transaction(async (tx) => {
    await upsertRef(tx, ctx, actor.professionalId, persoon.gemeenteCode, result.signaal);
    await audit(tx, ctx.t, {
      actie: "signaal.geregistreerd",
      actor,
      signaalId: result.signaal.id,
      at: ctx.clock.now(),
      details: { residentie: persoon.gemeenteCode, matches: result.matches.length },
    });
  });
  return result;
}

export async function upsertRef(db: Db, ctx: NodeContext, professionalId: string, residentie: string, view: SignaalView): Promise<void> {
  const { t } = ctx;
  const values = {
    signaalId: view.id,
    professionalId,
    residentie,
    status: view.status,
    jeugdigeNaam: view.jeugdige.naam,
    signaal: view as unknown as Record<string, unknown>,
    bijgewerktOp: ctx.clock.now(),
  };
  await db
    .insert(t.signaalRefs)
    .values(values)
    .onConflictDoUpdate({
      target: t.signaalRefs.signaalId,
      set: { residentie, status: view.status, signaal: values.signaal, bijgewerktOp: values.bijgewerktOp },
    });
}

/** Registers a signal at this node, the youth's residence; `entryNode` is where the professional registered it. */
export async function registerHere(ctx: NodeContext, actor: Actor, input: RegisterInput, persoon: Persoon, entryNode: string): Promise<RegisterResult> {
  assertMaySignal(actor);
  const bsn = input.bsn;
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
  let meldingen: MeldingRow[] = [];
  let result: RegisterResult;
  try {
    result = await ctx.db.transaction(async (tx) => {
      const institution = await isInstitution(tx, ctx, adresId);
      await lockFamily(tx, ctx, bsn, persoon.ouders, adresId && !institution ? adresId : null);
      const jeugdigeId = await upsertYouth(tx, ctx, persoon, now);

      // One active signal per professional per youth: the unique index refuses a second one (caught below).
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
          entryNode,
          versie: now.getTime(),
          bijgewerktOp: now,
        })
        .returning();

      const made = await matchSignal(tx, ctx, {
        signalId: signaal!.id,
        professionalId: actor.professionalId,
        youth: { youthId: jeugdigeId, parentBsns: persoon.ouders, addressId: adresId, institutionAddress: institution },
        now,
      });
      meldingen = made.meldingen;
      await enqueueIndex(tx, ctx, [signaal!.id]);
      const view = toView(
        signaal!,
        { bsn, naam: persoon.naam.volledigeNaam, geboortedatum: persoon.geboortedatum },
        { id: actor.organisatieId, naam: actor.organisatieNaam },
      );
      if (entryNode !== ctx.gemeente.code && ctx.fed) {
        // The entry node learns of the signal through the outbox too, in case the reply to its request is lost.
        const { token, jti } = await signEvent(ctx.fed.keys, {
          type: "signaal.ref",
          aud: entryNode,
          data: {
            signaalId: signaal!.id,
            residentie: ctx.gemeente.code,
            status: "actief",
            einddatum: signaal!.einddatum,
            voor: { email: actor.email },
            signaal: view as unknown as Record<string, unknown>,
          },
        });
        await enqueue(tx, t.outbox, [{ subject: subjects.melding(entryNode), token, msgId: jti }]);
      }

      await audit(tx, t, [
        {
          actie: "signaal.geregistreerd",
          actor,
          jeugdigeId,
          signaalId: signaal!.id,
          at: now,
          details: { einddatum: plan.value.einddatum, geinformeerd: input.geinformeerd, entryNode },
        },
        ...made.matches.map((m) => ({
          actie: "match.gemaakt" as const,
          actor,
          jeugdigeId,
          signaalId: signaal!.id,
          at: now,
          details: { matchId: m.id, soort: m.soort, viaArchief: m.viaArchief },
        })),
      ]);

      return { signaal: view, matches: made.matches };
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw signalExists();
    throw e;
  }
  afterCommit(ctx, meldingen);
  return result;
}

/**
 * The next version of a changed signal for the hub's index: strictly greater
 * than the last one, also when the clock stands still (tests) or goes back.
 */
export function nextVersie(t: NodeContext["t"], now: Date) {
  return sql<number>`greatest(${t.signalen.versie} + 1, ${now.getTime()})`;
}

/** After a commit: announce new meldingen and publish the outbox now. */
export function afterCommit(ctx: NodeContext, meldingen: MeldingRow[]): void {
  ctx.notifier.delivered(meldingen);
  ctx.fed?.relay.kick();
}

/**
 * Registrations that could match each other (same youth, a shared parent, the
 * same residential address) are serialised, so no match is missed.
 */
export async function lockFamily(db: Db, ctx: NodeContext, bsn: string, ouders: string[], adresId: string | null): Promise<void> {
  // Sorted, so two registrations never wait on each other in opposite order; one round trip for all keys.
  const keys = [`j:${bsn}`, ...ouders.map((o) => `o:${o}`), ...(adresId ? [`a:${adresId}`] : [])].sort().map((k) => `${ctx.gemeente.code}:${k}`);
  await db.execute(
    sql`select count(pg_advisory_xact_lock(hashtext(k))) from unnest(ARRAY[${sql.join(
      keys.map((k) => sql`${k}`),
      sql`, `,
    )}]::text[]) with ordinality as t(k, i)`,
  );
}

export async function upsertYouth(db: Db, ctx: NodeContext, persoon: Persoon, now: Date): Promise<string> {
  const { t } = ctx;
  const youthFields = {
    naam: persoon.naam.volledigeNaam,
    geslacht: persoon.geslacht,
    geboortedatum: persoon.geboortedatum,
    overlijdensdatum: persoon.overlijdensdatum,
    gemeenteCode: persoon.gemeenteCode,
    ouders: persoon.ouders,
    adresId: persoon.adres?.adresseerbaarObjectId ?? null,
    geheimhouding: persoon.geheimhouding,
    brpOpgehaaldOp: now,
  };
  const [jeugdige] = await db
    .insert(t.jeugdigen)
    .values({ bsn: persoon.bsn, ...youthFields })
    .onConflictDoUpdate({ target: t.jeugdigen.bsn, set: youthFields })
    .returning({ id: t.jeugdigen.id });
  return jeugdige!.id;
}

/**
 * Makes the matches of one signal at this node (client and family within the
 * gemeente) and delivers them. The caller holds the family locks.
 */
export async function matchSignal(
  db: Db,
  ctx: NodeContext,
  input: { signalId: string; professionalId: string; youth: FamilyFacts; now: Date; familyOnly?: boolean },
): Promise<{ matches: RegisterResult["matches"]; meldingen: MeldingRow[] }> {
  const { t } = ctx;
  const { youth } = input;
  const sameYouth = input.familyOnly
    ? []
    : await db
        .select({
          signalId: t.signalen.id,
          professionalId: t.signalen.professionalId,
          youthId: t.signalen.jeugdigeId,
          status: t.signalen.status,
          archiveMatchUsed: t.signalen.archiefMatchGebruikt,
        })
        .from(t.signalen)
        .where(and(eq(t.signalen.jeugdigeId, youth.youthId), ne(t.signalen.id, input.signalId)));

  const familyConditions = [youth.parentBsns.length > 0 ? arrayOverlaps(t.jeugdigen.ouders, youth.parentBsns) : undefined];
  if (youth.addressId && !youth.institutionAddress) familyConditions.push(eq(t.jeugdigen.adresId, youth.addressId));
  const familyRows = familyConditions.some(Boolean)
    ? await db
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
        .where(and(eq(t.signalen.status, "actief"), ne(t.jeugdigen.id, youth.youthId), or(...familyConditions)))
    : [];

  const decisions = decideMatches({
    newSignal: { signalId: input.signalId, professionalId: input.professionalId, youth },
    sameYouth: sameYouth as CandidateSignal[],
    family: familyRows.map((r) => ({
      signal: { signalId: r.signalId, professionalId: r.professionalId, youthId: r.youthId, status: r.status, archiveMatchUsed: r.archiveMatchUsed },
      youth: { youthId: r.youthId, parentBsns: r.ouders, addressId: r.adresId, institutionAddress: Boolean(r.instelling) },
    })),
  });

  const made: RegisterResult["matches"] = [];
  for (const d of decisions) {
    const [a, b] = [input.signalId, d.counterpartSignalId].sort();
    const [m] = await db
      .insert(t.matches)
      .values({ id: matchId(a!, b!), soort: d.kind, signaalA: a!, signaalB: b!, viaArchief: d.viaArchive, aangemaaktOp: input.now })
      .onConflictDoNothing()
      .returning({ id: t.matches.id });
    if (d.viaArchive) {
      await db.update(t.signalen).set({ archiefMatchGebruikt: true }).where(eq(t.signalen.id, d.counterpartSignalId));
    }
    if (m) made.push({ id: m.id, soort: d.kind, viaArchief: d.viaArchive });
  }
  if (made.length === 0) return { matches: made, meldingen: [] };
  const sides = await loadSides(db, ctx, [input.signalId, ...decisions.map((d) => d.counterpartSignalId)]);
  const own = sides.get(input.signalId)!;
  const meldingen = await deliverMatches(
    db,
    ctx,
    made.map((m) => {
      const d = decisions.find((x) => matchId(...([input.signalId, x.counterpartSignalId].sort() as [string, string])) === m.id)!;
      return {
        matchId: m.id,
        soort: m.soort,
        viaArchief: m.viaArchief,
        aangemaaktOp: input.now,
        sides: [own, sides.get(d.counterpartSignalId)!] as [MatchSide, MatchSide],
      };
    }),
  );
  return { matches: made, meldingen };
}

function signalExists(): Problem {
  return new Problem("SIGNAAL_BESTAAT_AL", "U heeft al een actief signaal op deze jeugdige. Verleng dat signaal als uw betrokkenheid langer duurt.");
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
    const refs = await tx
      .select()
      .from(t.signaalRefs)
      .where(and(eq(t.signaalRefs.professionalId, actor.professionalId), filter.status ? eq(t.signaalRefs.status, filter.status) : undefined));
    const at = ctx.clock.now();
    await audit(tx, t, [
      ...rows.map((r) => ({ actie: "signalen.gelezen" as const, actor, jeugdigeId: r.signaal.jeugdigeId, signaalId: r.signaal.id, at })),
      ...refs.map((r) => ({ actie: "signalen.gelezen" as const, actor, signaalId: r.signaalId, at, details: { residentie: r.residentie } })),
    ]);
    const local = new Set(rows.map((r) => r.signaal.id));
    return [
      ...rows.map((r) => toView(r.signaal, r.jeugdige, r.organisatie)),
      ...refs.filter((r) => !local.has(r.signaalId)).map((r) => ({ ...(r.signaal as unknown as SignaalView), status: r.status })),
    ].sort((a, b) => a.geregistreerdOp.localeCompare(b.geregistreerdOp));
  });
}

/** The caller's own signal, or 404: another professional's signal is indistinguishable from a missing one. */
export async function findOwnSignal(db: Db, ctx: NodeContext, actor: Actor, id: string) {
  const { t } = ctx;
  const [row] = await ownSignalsQuery(db, ctx).where(and(eq(t.signalen.id, id), eq(t.signalen.professionalId, actor.professionalId)));
  if (!row) throw notOwn();
  return row;
}

const notOwn = () => new Problem("SIGNAAL_NIET_GEVONDEN", "U heeft geen signaal met dit kenmerk. Kies een signaal uit uw eigen overzicht.");

/**
 * Where the caller's signal lives: here, or at the residence node this node
 * points to. Commands on a signal elsewhere are carried out there.
 */
export async function locateOwnSignal(ctx: NodeContext, actor: Actor, id: string): Promise<{ here: true } | { here: false; residentie: string }> {
  const { t } = ctx;
  const [local] = await ctx.db
    .select({ id: t.signalen.id })
    .from(t.signalen)
    .where(and(eq(t.signalen.id, id), eq(t.signalen.professionalId, actor.professionalId)));
  if (local) return { here: true };
  const [ref] = await ctx.db
    .select({ residentie: t.signaalRefs.residentie })
    .from(t.signaalRefs)
    .where(and(eq(t.signaalRefs.signaalId, id), eq(t.signaalRefs.professionalId, actor.professionalId)));
  if (ref && ctx.fed) return { here: false, residentie: ref.residentie };
  throw notOwn();
}

/** Runs `op` on the residence node of a routed signal and keeps the pointer in step with the answer. */
async function remote<T extends SignaalView | null>(ctx: NodeContext, actor: Actor, id: string, residentie: string, op: string, args: object): Promise<T> {
  const view = await callNode<T>(ctx, residentie, op, actor, { signaalId: id, ...args });
  if (view) await upsertRef(ctx.db, ctx, actor.professionalId, residentie, view);
  else await ctx.db.delete(ctx.t.signaalRefs).where(eq(ctx.t.signaalRefs.signaalId, id));
  return view;
}

export async function getOwnSignal(ctx: NodeContext, actor: Actor, id: string): Promise<SignaalView> {
  const where = await locateOwnSignal(ctx, actor, id);
  if (!where.here) return remote<SignaalView>(ctx, actor, id, where.residentie, "signaal.lees", {});
  return ctx.db.transaction(async (tx) => {
    const row = await findOwnSignal(tx, ctx, actor, id);
    await audit(tx, ctx.t, { actie: "signaal.gelezen", actor, jeugdigeId: row.signaal.jeugdigeId, signaalId: id, at: ctx.clock.now() });
    return toView(row.signaal, row.jeugdige, row.organisatie);
  });
}

/** Tells the entry node of a signal registered through another node how it changed. */
export async function enqueueRefUpdate(
  db: Db,
  ctx: NodeContext,
  signals: { id: string; entryNode: string; status: "actief" | "gearchiveerd" | "verwijderd"; einddatum: string }[],
): Promise<void> {
  const fed = ctx.fed;
  if (!fed) return;
  const events = [];
  for (const s of signals) {
    if (s.entryNode === ctx.gemeente.code) continue;
    const { token, jti } = await signEvent(fed.keys, {
      type: "signaal.ref",
      aud: s.entryNode,
      data: { signaalId: s.id, residentie: ctx.gemeente.code, status: s.status, einddatum: s.einddatum },
    });
    events.push({ subject: subjects.melding(s.entryNode), token, msgId: jti });
  }
  await enqueue(db, ctx.t.outbox, events);
}

export async function extendSignal(ctx: NodeContext, actor: Actor, id: string, einddatum: string): Promise<SignaalView> {
  const where = await locateOwnSignal(ctx, actor, id);
  if (!where.here) return remote<SignaalView>(ctx, actor, id, where.residentie, "signaal.verleng", { einddatum });
  const { t } = ctx;
  const view = await ctx.db.transaction(async (tx) => {
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
    const [updated] = await tx.update(t.signalen).set({ einddatum: plan.value.einddatum, bijgewerktOp: now }).where(eq(t.signalen.id, id)).returning();
    await enqueueRefUpdate(tx, ctx, [{ id, entryNode: updated!.entryNode, status: "actief", einddatum: updated!.einddatum }]);
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
  afterCommit(ctx, []);
  return view;
}

/** Involvement ended: the signal goes to the historical archive. */
export async function endSignal(ctx: NodeContext, actor: Actor, id: string): Promise<SignaalView> {
  const where = await locateOwnSignal(ctx, actor, id);
  if (!where.here) return remote<SignaalView>(ctx, actor, id, where.residentie, "signaal.beeindig", {});
  const { t } = ctx;
  const view = await ctx.db.transaction(async (tx) => {
    const row = await findOwnSignal(tx, ctx, actor, id);
    const plan = planEnd({ status: row.signaal.status, reason: "betrokkenheid-beeindigd", today: todayIn(ctx.clock) });
    if (!plan.ok) throw domainProblem(plan.error);
    if (plan.value.action !== "archive") throw new Error("planEnd must archive an ended signal");
    const now = ctx.clock.now();
    const [updated] = await tx
      .update(t.signalen)
      .set({
        status: "gearchiveerd",
        gearchiveerdOp: plan.value.archivedOn,
        archiefReden: "betrokkenheid-beeindigd",
        bijgewerktOp: now,
        versie: nextVersie(t, now),
      })
      .where(eq(t.signalen.id, id))
      .returning();
    await enqueueIndex(tx, ctx, [id]);
    await enqueueRefUpdate(tx, ctx, [{ id, entryNode: updated!.entryNode, status: "gearchiveerd", einddatum: updated!.einddatum }]);
    await audit(tx, t, { actie: "signaal.beeindigd", actor, jeugdigeId: row.signaal.jeugdigeId, signaalId: id, at: now });
    return toView(updated!, row.jeugdige, row.organisatie);
  });
  afterCommit(ctx, []);
  return view;
}

/** Withdrawn as unjustified: the signal is deleted, not archived. */
export async function withdrawSignal(ctx: NodeContext, actor: Actor, id: string): Promise<void> {
  const where = await locateOwnSignal(ctx, actor, id);
  if (!where.here) {
    await remote<null>(ctx, actor, id, where.residentie, "signaal.trek-in", {});
    return;
  }
  const { t } = ctx;
  await ctx.db.transaction(async (tx) => {
    const row = await findOwnSignal(tx, ctx, actor, id);
    const plan = planEnd({ status: row.signaal.status, reason: "onterecht", today: todayIn(ctx.clock) });
    if (!plan.ok) throw domainProblem(plan.error);
    const now = ctx.clock.now();
    await enqueueIndexDeleted(tx, ctx, [id], now.getTime());
    await enqueueRefUpdate(tx, ctx, [{ id, entryNode: row.signaal.entryNode, status: "verwijderd", einddatum: row.signaal.einddatum }]);
    await tx.delete(t.signalen).where(eq(t.signalen.id, id));
    await deleteYouthWithoutSignals(tx, ctx, [row.signaal.jeugdigeId]);
    await audit(tx, t, { actie: "signaal.ingetrokken", actor, jeugdigeId: row.signaal.jeugdigeId, signaalId: id, at: now });
  });
  afterCommit(ctx, []);
}

/** A youth without any signal (active or archived) is not kept: the BSN leaves the index. */
export async function deleteYouthWithoutSignals(db: Db, ctx: NodeContext, jeugdigeIds: string[]): Promise<void> {
  if (jeugdigeIds.length === 0) return;
  const { t } = ctx;
  await db
    .delete(t.jeugdigen)
    .where(and(inArray(t.jeugdigen.id, jeugdigeIds), sql`not exists (select 1 from ${t.signalen} where ${t.signalen.jeugdigeId} = ${t.jeugdigen.id})`));
}
