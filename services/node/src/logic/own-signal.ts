/**
 * A professional's own signal: found here (or 404, indistinguishable from
 * another's), located at the residence node through a pointer, and shown as
 * the API's Signaal.
 */
import type { Db } from "@vi/db";
import { closedReason, INFORM_TARGETS, type InformTarget } from "@vi/domain";
import type { Actor, NodeContext } from "../context";
import { problem } from "../problems";
import { z } from "zod";
import { Signaal, type SignalView } from "../schemas";
import { findOwnRef, type RefFields, type RefRow, upsertRef } from "../store/refs";
import { findOwnSignal, holdsSignal, type SignaalRow, type SignalWithYouth } from "../store/signals";

/** The youth as a row holds them: a youth registered without a BSN (zonderBsn) has the verwijsindexservicenummer in `bsn`. */
export type YouthOfSignal = Omit<SignalView["jeugdige"], "zonderBsn"> & { zonderBsn?: boolean };

/** The youth as the API shows them: the BSN, or for a youth without one the verwijsindexservicenummer, marked. */
export function youthView(j: YouthOfSignal): SignalView["jeugdige"] {
  if (j.zonderBsn) {
    return {
      naam: j.naam,
      ...(j.geboortedatum ? { geboortedatum: j.geboortedatum } : {}),
      verwijsindexservicenummer: j.bsn,
      zonderBsn: true,
    };
  }
  return { ...(j.bsn !== undefined ? { bsn: j.bsn } : {}), naam: j.naam, ...(j.geboortedatum !== undefined ? { geboortedatum: j.geboortedatum } : {}) };
}

export function toSignalView(s: SignaalRow, jeugdige: YouthOfSignal, organisatie: SignalView["organisatie"]): SignalView {
  return {
    id: s.id,
    status: s.status,
    jeugdige: youthView(jeugdige),
    organisatie,
    geregistreerdOp: s.geregistreerdOp.toISOString(),
    startdatum: s.startdatum,
    einddatum: s.einddatum,
    geinformeerd: s.geinformeerd,
    geinformeerdWie: informTarget(s.geinformeerdWie),
    geinformeerdOp: s.geinformeerdOp,
    // The database holds only values of the closed list (a check constraint); closedReason narrows the type.
    redenNietGeinformeerd: closedReason(s.redenNietGeinformeerd),
    gearchiveerdOp: s.gearchiveerdOp,
  };
}

/** The database holds only values of the list (a check constraint). */
const informTarget = (v: string | null): InformTarget | null => ((INFORM_TARGETS as readonly string[]).includes(v ?? "") ? (v as InformTarget) : null);

export const viewOf = (row: SignalWithYouth) => toSignalView(row.signaal, row.jeugdige, row.organisatie);

const notOwn = () => problem("SIGNAAL_NIET_GEVONDEN", "U heeft geen signaal met dit kenmerk. Kies een signaal uit uw eigen overzicht.");

/** The caller's own signal, or 404: another professional's signal is indistinguishable from a missing one. */
export async function ownSignal(db: Db, ctx: NodeContext, actor: Actor, id: string): Promise<SignalWithYouth> {
  const row = await findOwnSignal(db, ctx.t, actor.professionalId, id);
  if (!row) throw notOwn();
  return row;
}

/** Where the caller's signal lives: here, or at the residence node this node points to. */
export async function locateOwnSignal(ctx: NodeContext, actor: Actor, id: string): Promise<{ here: true } | { here: false; residentie: string }> {
  if (await holdsSignal(ctx.db, ctx.t, actor.professionalId, id)) return { here: true };
  const ref = await findOwnRef(ctx.db, ctx.t, actor.professionalId, id);
  if (ref && ctx.fed) return { here: false, residentie: ref.residentie };
  throw notOwn();
}

/** What a pointer keeps of a signal the residence node showed: the list's fields, never the BSN or birth date. */
export function pointerFields(view: SignalView | PointedView): RefFields {
  return {
    status: view.status,
    jeugdigeNaam: view.jeugdige.naam,
    geregistreerdOp: new Date(view.geregistreerdOp),
    startdatum: view.startdatum,
    einddatum: view.einddatum,
    gearchiveerdOp: view.gearchiveerdOp,
    geinformeerd: view.geinformeerd,
    geinformeerdWie: view.geinformeerdWie,
    geinformeerdOp: view.geinformeerdOp,
    redenNietGeinformeerd: view.redenNietGeinformeerd,
  };
}

/** A signal as the residence node tells the entry node of it (`signaal.ref`): the view without the youth's BSN and birth date. */
export const PointedView = Signaal.extend({ jeugdige: z.object({ naam: z.string() }) });
export type PointedView = z.infer<typeof PointedView>;

export const pointedView = (view: SignalView): PointedView => ({ ...view, jeugdige: { naam: view.jeugdige.naam } });

/** A pointer as the professional's list shows it: their own organisation, and of the youth only the name. */
export function viewOfPointer(ref: RefRow, organisatie: SignalView["organisatie"]): SignalView {
  return {
    id: ref.signaalId,
    status: ref.status,
    jeugdige: { naam: ref.jeugdigeNaam },
    organisatie,
    geregistreerdOp: ref.geregistreerdOp.toISOString(),
    startdatum: ref.startdatum,
    einddatum: ref.einddatum,
    geinformeerd: ref.geinformeerd,
    geinformeerdWie: informTarget(ref.geinformeerdWie),
    geinformeerdOp: ref.geinformeerdOp,
    redenNietGeinformeerd: closedReason(ref.redenNietGeinformeerd),
    gearchiveerdOp: ref.gearchiveerdOp,
  };
}

/** Keeps the pointer of a routed signal in step with what the residence node says of it. */
export async function keepRef(db: Db, ctx: NodeContext, professionalId: string, residentie: string, view: SignalView): Promise<void> {
  await upsertRef(db, ctx.t, { signaalId: view.id, professionalId, residentie, at: ctx.clock.now(), ...pointerFields(view) });
}
