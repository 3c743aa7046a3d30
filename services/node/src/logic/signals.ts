/**
 * The use cases of a signal: register, list, read, extend, end (archive) and
 * withdraw (delete). A command on a signal that lives at another node (the
 * youth's residence) is carried out there; this node keeps a pointer.
 * Plain functions over a NodeContext; the HTTP and RPC layers only translate.
 */
import type { Persoon } from "@vi/brp";
import {
  assertResidentHere,
  bsnCheck,
  type InformTarget,
  maySignal,
  placeRegistration,
  planEnd,
  planExtension,
  planLaterInforming,
  planRegistration,
  todayIn,
} from "@vi/domain";
import type { RpcArgs, RpcOp } from "@vi/events";
import { z } from "zod";
import type { Actor, NodeContext } from "../context";
import { enqueueNotices, enqueueRefUpdates } from "../outbound/notices";
import { callNode, parseReply } from "../outbound/rpc";
import { domainProblem, problem } from "../problems";
import { Registratie, type RegisterResult, Signaal, type SignaalAanvraag, type SignalView } from "../schemas";
import { audit } from "../store/audit";
import { isUniqueViolation } from "../store/errors";
import { deleteNoticesOf, type NoticeRow } from "../store/notices";
import { deleteRef, ownRefs } from "../store/refs";
import {
  deleteSignals,
  deleteYouthWithoutSignals,
  insertSignal,
  listOwnSignalRows,
  lockFamily,
  nextVersion,
  updateSignal,
  upsertYouth,
  youthDates,
} from "../store/signals";
import { eraseTraces } from "./erasure";
import { enqueueIndex, enqueueIndexDeleted, pseudonymsOfYouth } from "./index-sync";
import { keptOf } from "../outbound/pseudonyms";
import { keepRef, locateOwnSignal, ownSignal, pointedView, toSignalView, viewOf, viewOfPointer } from "./own-signal";
import { matchSignal } from "./matching";
import { admitRegistration } from "./pattern";
import { afterCommit, lookupYouth, youthFactsOf, transaction } from "./support";

type SignalOp = Extract<RpcOp, "signaal.lezen" | "signaal.verlengen" | "signaal.beeindigen" | "signaal.informeren">;

/** Runs `op` on the residence node of a routed signal and keeps the pointer in step with the answer. */
async function remote<Op extends SignalOp>(ctx: NodeContext, actor: Actor, residentie: string, op: Op, args: RpcArgs<Op>): Promise<SignalView> {
  const view = parseReply(ctx, residentie, Signaal, await callNode(ctx, residentie, op, actor, args));
  await keepRef(ctx.db, ctx, actor.professionalId, residentie, view);
  return view;
}

/** A registration on a BSN (logic/registration.ts decides between a BSN and the facts of a youth without one). */
export async function registerSignal(ctx: NodeContext, actor: Actor, input: RegistrationInput): Promise<RegisterResult> {
  const allowed = maySignal(actor, ctx.region);
  if (!allowed.ok) throw domainProblem(allowed.error);
  const checked = bsnCheck(input.bsn);
  if (!checked.ok) throw domainProblem(checked.error);
  const bsn = checked.value;
  // An unusual pattern is refused before the BRP is asked (nothing about the youth is read), here at the entry node.
  const slot = await admitRegistration(ctx, actor, bsn);
  try {
    return await registerFromEntry(ctx, actor, { ...input, bsn });
  } catch (e) {
    slot.release();
    throw e;
  }
}

async function registerFromEntry(ctx: NodeContext, actor: Actor, input: RegistrationInput): Promise<RegisterResult> {
  const bsn = input.bsn;
  const persoon = await lookupYouth(ctx, bsn);
  const placed = placeRegistration({
    residence: persoon.gemeenteCode,
    here: ctx.gemeente,
    inRegion: ctx.region.includes,
    federated: Boolean(ctx.fed),
    national: Boolean(ctx.national),
  });
  if (!placed.ok) throw domainProblem(placed.error);
  if (placed.value.at === "here") return registerAtResidence(ctx, actor, input, persoon, ctx.gemeente.code);

  // The residence node stores the signal and makes the matches; this node keeps a pointer.
  const residentie = placed.value.gemeente;
  const result = parseReply(ctx, residentie, Registratie, await callNode(ctx, residentie, "signaal.registreren", actor, { input }));
  await transaction(ctx, async (tx) => {
    await keepRef(tx, ctx, actor.professionalId, residentie, result.signaal);
    await audit(tx, ctx.t, {
      actie: "signaal.geregistreerd",
      actor,
      signaalId: result.signaal.id,
      at: ctx.clock.now(),
      details: { residentie, matches: result.matches.length },
    });
  });
  return result;
}

/** A registration as it reaches the residence node: from the API, or from another node (whose reason the domain checks against the closed list). */
export type RegistrationInput = Omit<SignaalAanvraag, "redenNietGeinformeerd" | "bsn" | "jeugdigeZonderBsn"> & { bsn: string; redenNietGeinformeerd?: string };

/** Registers a signal at this node, the youth's residence; `entryNode` is where the professional registered it. */
export async function registerAtResidence(
  ctx: NodeContext,
  actor: Actor,
  input: RegistrationInput,
  persoon: Persoon,
  entryNode: string,
  opts: { zonderBsn?: boolean } = {},
): Promise<RegisterResult> {
  const allowed = maySignal(actor, ctx.region);
  if (!allowed.ok) throw domainProblem(allowed.error);
  const resident = assertResidentHere(persoon.gemeenteCode, ctx.gemeente);
  if (!resident.ok) throw domainProblem(resident.error);
  const today = todayIn(ctx.clock);
  const plan = planRegistration({
    today,
    einddatum: input.einddatum,
    defaultDurationMonths: ctx.standaardDuurMaanden,
    geinformeerd: input.geinformeerd,
    geinformeerdWie: input.geinformeerdWie,
    geinformeerdOp: input.geinformeerdOp,
    redenNietGeinformeerd: input.redenNietGeinformeerd,
    youth: youthFactsOf(persoon),
  });
  if (!plan.ok) throw domainProblem(plan.error);

  const { t } = ctx;
  const bsn = input.bsn;
  const now = ctx.clock.now();
  const adresId = persoon.adres?.adresseerbaarObjectId ?? null;
  let meldingen: NoticeRow[] = [];
  let result: RegisterResult;
  // The registration's one request to the pseudonym service, before the transaction takes its locks.
  const pseudonyms = await pseudonymsOfYouth(ctx, { bsn, ouders: persoon.ouders, adresId });
  // Kept with the youth for the hub's rebuild (docs/adr/0047), when they are of the values the row stores.
  const kept = pseudonyms && persoon.bsn === bsn ? keptOf(pseudonyms, { bsn, ouders: persoon.ouders, adresId }) : undefined;
  try {
    result = await transaction(ctx, async (tx) => {
      // The family's locks, the youth and the signal in one round trip: sent together, each statement runs once the one
      // before it is done, so the youth is written under the locks and the signal finds the youth's row.
      // One active signal per professional per youth: the unique index refuses a second one (caught below).
      const [{ institution }, jeugdigeId, signaal] = await Promise.all([
        lockFamily(tx, t, { scope: ctx.gemeente.code, bsn: opts.zonderBsn ? `vsn:${bsn}` : bsn, ouders: persoon.ouders, adresId }),
        upsertYouth(tx, t, persoon, now, { zonderBsn: opts.zonderBsn, pseudoniemen: kept }),
        insertSignal(
          tx,
          t,
          { bsn: persoon.bsn, zonderBsn: opts.zonderBsn ?? false },
          {
            professionalId: actor.professionalId,
            organisatieId: actor.organisatieId,
            status: "actief",
            geregistreerdOp: now,
            startdatum: today,
            einddatum: plan.value.einddatum,
            geinformeerd: input.geinformeerd,
            geinformeerdWie: plan.value.informed?.wie ?? null,
            geinformeerdOp: plan.value.informed?.op ?? null,
            redenNietGeinformeerd: input.geinformeerd ? null : input.redenNietGeinformeerd!,
            entryNode,
            versie: now.getTime(),
            bijgewerktOp: now,
          },
        ),
      ]);

      const made = await matchSignal(tx, ctx, {
        signalId: signaal.id,
        professionalId: actor.professionalId,
        youth: { youthId: jeugdigeId, parentBsns: persoon.ouders, addressId: adresId, institutionAddress: institution },
        now,
      });
      meldingen = made.meldingen;
      await enqueueIndex(tx, ctx, [signaal.id], pseudonyms);
      const view = toSignalView(
        signaal,
        { bsn, naam: persoon.naam.volledigeNaam, geboortedatum: persoon.geboortedatum, zonderBsn: opts.zonderBsn },
        { id: actor.organisatieId, naam: actor.organisatieNaam },
      );
      if (entryNode !== ctx.gemeente.code) {
        // The entry node learns of the signal through the outbox too, in case the reply to its request is lost.
        await enqueueNotices(tx, ctx, [
          {
            type: "signaal.ref",
            to: entryNode,
            data: {
              signaalId: signaal.id,
              residentie: ctx.gemeente.code,
              status: "actief",
              einddatum: signaal.einddatum,
              voor: { email: actor.email },
              // What the entry node's pointer keeps: never the youth's BSN or birth date.
              signaal: pointedView(view),
            },
          },
        ]);
      }

      await audit(tx, t, [
        {
          actie: "signaal.geregistreerd",
          actor,
          jeugdigeId,
          signaalId: signaal.id,
          at: now,
          details: {
            einddatum: plan.value.einddatum,
            geinformeerd: input.geinformeerd,
            ...(plan.value.informed ? { geinformeerdWie: plan.value.informed.wie, geinformeerdOp: plan.value.informed.op } : {}),
            entryNode,
            ...(opts.zonderBsn ? { zonderBsn: true } : {}),
          },
        },
        ...made.matches.map((m) => ({
          actie: "match.gemaakt" as const,
          actor,
          jeugdigeId,
          signaalId: signaal.id,
          at: now,
          details: { matchId: m.id, soort: m.soort, viaArchief: m.viaArchief },
        })),
      ]);

      return { signaal: view, matches: made.matches };
    });
  } catch (e) {
    if (isUniqueViolation(e))
      throw problem("SIGNAAL_BESTAAT_AL", "U heeft al een actief signaal op deze jeugdige. Verleng dat signaal als uw betrokkenheid langer duurt.");
    throw e;
  }
  afterCommit(ctx, meldingen);
  return result;
}

export async function listOwnSignals(ctx: NodeContext, actor: Actor, filter: { status?: "actief" | "gearchiveerd" }): Promise<SignalView[]> {
  const { t } = ctx;
  return transaction(ctx, async (tx) => {
    const rows = await listOwnSignalRows(tx, t, actor.professionalId, filter.status);
    const refs = await ownRefs(tx, t, actor.professionalId, filter.status);
    const at = ctx.clock.now();
    const read = [
      ...rows.map((r) => ({ actie: "signalen.gelezen" as const, actor, jeugdigeId: r.signaal.jeugdigeId, signaalId: r.signaal.id, at })),
      ...refs.map((r) => ({ actie: "signalen.gelezen" as const, actor, signaalId: r.signaalId, at, details: { residentie: r.residentie } })),
    ];
    await audit(tx, t, read.length ? read : [{ actie: "signalen.gelezen" as const, actor, at, details: { aantal: 0 } }]);
    const local = new Set(rows.map((r) => r.signaal.id));
    // A signal at another node: what its pointer keeps (of the youth only the name); opening it asks the residence node.
    const organisatie = { id: actor.organisatieId, naam: actor.organisatieNaam };
    const pointed = refs.filter((r) => !local.has(r.signaalId)).map((r) => viewOfPointer(r, organisatie));
    return [...rows.map(viewOf), ...pointed].sort((a, b) => a.geregistreerdOp.localeCompare(b.geregistreerdOp));
  });
}

export async function getOwnSignal(ctx: NodeContext, actor: Actor, id: string): Promise<SignalView> {
  const where = await locateOwnSignal(ctx, actor, id);
  if (!where.here) return remote(ctx, actor, where.residentie, "signaal.lezen", { signaalId: id });
  return transaction(ctx, async (tx) => {
    const row = await ownSignal(tx, ctx, actor, id);
    await audit(tx, ctx.t, { actie: "signaal.gelezen", actor, jeugdigeId: row.signaal.jeugdigeId, signaalId: id, at: ctx.clock.now() });
    return viewOf(row);
  });
}

export async function extendSignal(ctx: NodeContext, actor: Actor, id: string, einddatum: string): Promise<SignalView> {
  const where = await locateOwnSignal(ctx, actor, id);
  if (!where.here) return remote(ctx, actor, where.residentie, "signaal.verlengen", { signaalId: id, einddatum });
  const { t } = ctx;
  const view = await transaction(ctx, async (tx) => {
    const row = await ownSignal(tx, ctx, actor, id);
    const youth = (await youthDates(tx, t, row.signaal.jeugdigeId))!;
    const plan = planExtension({
      today: todayIn(ctx.clock),
      status: row.signaal.status,
      currentEinddatum: row.signaal.einddatum,
      newEinddatum: einddatum,
      youth: { birthDate: youth.geboortedatum, deceasedOn: youth.overlijdensdatum, deceased: youth.overleden },
    });
    if (!plan.ok) throw domainProblem(plan.error);
    const now = ctx.clock.now();
    // Only while still active: a retention run that archived it meanwhile wins (the update waits for its lock, then finds no active row).
    const updated = await updateSignal(tx, t, id, { einddatum: plan.value.einddatum, bijgewerktOp: now }, { onlyIfActive: true });
    if (!updated) {
      throw problem(
        "SIGNAAL_NIET_ACTIEF",
        "Dit signaal is zojuist in het archief geplaatst (de einddatum was verstreken) en kan niet meer worden verlengd. Geef zo nodig een nieuw signaal af.",
      );
    }
    await enqueueRefUpdates(tx, ctx, [{ id, entryNode: updated.entryNode, status: "actief", einddatum: updated.einddatum }]);
    await audit(tx, t, {
      actie: "signaal.verlengd",
      actor,
      jeugdigeId: row.signaal.jeugdigeId,
      signaalId: id,
      at: now,
      details: { van: row.signaal.einddatum, tot: plan.value.einddatum },
    });
    return toSignalView(updated, row.jeugdige, row.organisatie);
  });
  afterCommit(ctx, []);
  return view;
}

/**
 * The professional informed the youth and/or the parents after registering
 * (or informs more people since): recorded with whom and when, the reason for
 * not informing goes, logged. Carried out at the residence node.
 */
export async function recordInforming(ctx: NodeContext, actor: Actor, id: string, input: { wie?: InformTarget; op?: string }): Promise<SignalView> {
  const where = await locateOwnSignal(ctx, actor, id);
  if (!where.here) return remote(ctx, actor, where.residentie, "signaal.informeren", { signaalId: id, ...input });
  const { t } = ctx;
  const view = await transaction(ctx, async (tx) => {
    const row = await ownSignal(tx, ctx, actor, id);
    const youth = (await youthDates(tx, t, row.signaal.jeugdigeId))!;
    const plan = planLaterInforming({
      today: todayIn(ctx.clock),
      status: row.signaal.status,
      youth: { birthDate: youth.geboortedatum, deceasedOn: youth.overlijdensdatum, deceased: youth.overleden },
      wie: input.wie,
      op: input.op,
    });
    if (!plan.ok) throw domainProblem(plan.error);
    const now = ctx.clock.now();
    const updated = await updateSignal(
      tx,
      t,
      id,
      { geinformeerd: true, geinformeerdWie: plan.value.wie, geinformeerdOp: plan.value.op, redenNietGeinformeerd: null, bijgewerktOp: now },
      { onlyIfActive: true },
    );
    if (!updated)
      throw problem("SIGNAAL_NIET_ACTIEF", "Dit signaal is zojuist in het archief geplaatst; informeren kan alleen bij een actief signaal worden vastgelegd.");
    await audit(tx, t, {
      actie: "signaal.geinformeerd",
      actor,
      jeugdigeId: row.signaal.jeugdigeId,
      signaalId: id,
      at: now,
      details: { wie: plan.value.wie, op: plan.value.op },
    });
    return toSignalView(updated, row.jeugdige, row.organisatie);
  });
  afterCommit(ctx, []);
  return view;
}

/** Involvement ended: the signal goes to the historical archive. */
export async function endSignal(ctx: NodeContext, actor: Actor, id: string): Promise<SignalView> {
  const where = await locateOwnSignal(ctx, actor, id);
  if (!where.here) return remote(ctx, actor, where.residentie, "signaal.beeindigen", { signaalId: id });
  const { t } = ctx;
  const view = await transaction(ctx, async (tx) => {
    const row = await ownSignal(tx, ctx, actor, id);
    const plan = planEnd({ status: row.signaal.status, reason: "betrokkenheid-beeindigd", today: todayIn(ctx.clock) });
    if (!plan.ok) throw domainProblem(plan.error);
    if (plan.value.action !== "archive") throw new Error("planEnd must archive an ended signal");
    const now = ctx.clock.now();
    const updated = (await updateSignal(tx, t, id, {
      status: "gearchiveerd",
      gearchiveerdOp: plan.value.archivedOn,
      archiefReden: "betrokkenheid-beeindigd",
      bijgewerktOp: now,
      versie: nextVersion(t, now),
    }))!;
    await enqueueIndex(tx, ctx, [id]);
    await enqueueRefUpdates(tx, ctx, [{ id, entryNode: updated.entryNode, status: "gearchiveerd", einddatum: updated.einddatum }]);
    await audit(tx, t, { actie: "signaal.beeindigd", actor, jeugdigeId: row.signaal.jeugdigeId, signaalId: id, at: now });
    return toSignalView(updated, row.jeugdige, row.organisatie);
  });
  afterCommit(ctx, []);
  return view;
}

/** Withdrawn as unjustified: the signal is deleted, not archived. */
export async function withdrawSignal(ctx: NodeContext, actor: Actor, id: string): Promise<void> {
  const where = await locateOwnSignal(ctx, actor, id);
  if (!where.here) {
    parseReply(ctx, where.residentie, z.null(), await callNode(ctx, where.residentie, "signaal.intrekken", actor, { signaalId: id }));
    // The pointer and this node's meldingen about the signal go now; the residence node's events remove the rest.
    const gone = await transaction(ctx, async (tx) => {
      await deleteRef(tx, ctx.t, id);
      const removed = await deleteNoticesOf(tx, ctx.t, { matchIds: [], signalIds: [id] });
      const at = ctx.clock.now();
      await audit(
        tx,
        ctx.t,
        removed.map((m) => ({ actie: "melding.verwijderd" as const, actor: "systeem" as const, signaalId: m.signaalId, at, details: { soort: m.soort } })),
      );
      return removed;
    });
    afterCommit(ctx, [], gone);
    return;
  }
  const { t } = ctx;
  const removed = await transaction(ctx, async (tx) => {
    const row = await ownSignal(tx, ctx, actor, id);
    const plan = planEnd({ status: row.signaal.status, reason: "onterecht", today: todayIn(ctx.clock) });
    if (!plan.ok) throw domainProblem(plan.error);
    const now = ctx.clock.now();
    await enqueueIndexDeleted(tx, ctx, [id], now.getTime());
    await enqueueRefUpdates(tx, ctx, [{ id, entryNode: row.signaal.entryNode, status: "verwijderd", einddatum: row.signaal.einddatum }]);
    const gone = await eraseTraces(tx, ctx, [id], now);
    await deleteSignals(tx, t, [id]);
    await deleteYouthWithoutSignals(tx, t, [row.signaal.jeugdigeId]);
    await audit(tx, t, { actie: "signaal.ingetrokken", actor, jeugdigeId: row.signaal.jeugdigeId, signaalId: id, at: now });
    return gone;
  });
  afterCommit(ctx, [], removed);
}
