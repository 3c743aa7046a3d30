/**
 * What other nodes and the hub tell this node: match and relocation notices
 * for its professionals, and updates of signals it points to. Applied in the
 * transaction that recorded the event's jti, so nothing is applied twice.
 */
import type { Db } from "@vi/db";
import type { VerifiedEvent } from "@vi/events";
import type { NodeContext } from "../context";
import { PointedView, pointerFields } from "./own-signal";
import { audit } from "../store/audit";
import { deleteRegioMatches, insertRegioMatch, otherSideId } from "../store/matchregie";
import { deleteNoticesOf, insertNotices, type NoticeRow, type RemovedNotice } from "../store/notices";
import { localProfessionalId } from "../store/professionals";
import { deleteRef, findRef, insertRefIfAbsent, updateRef } from "../store/refs";
import { youthNameOfSignal } from "../store/signals";

export const RECEIVED_TYPES = ["match.melding", "match.verwijderd", "verhuizing.melding", "match.herinnering", "match.regie", "signaal.ref"] as const;
export type ReceivedEvent = VerifiedEvent<(typeof RECEIVED_TYPES)[number]>;

/** What applying an event changed in the meldingen: the new ones and the deleted ones (to announce after commit). */
export interface Applied {
  inserted: NoticeRow[];
  removed: RemovedNotice[];
}

/** Applies one verified event. */
export async function applyReceived(tx: Db, ctx: NodeContext, ev: ReceivedEvent): Promise<Applied> {
  const { t } = ctx;
  const now = ctx.clock.now();
  if (ev.type === "signaal.ref") {
    return { inserted: [], removed: await applyRef(tx, ctx, ev.data, now) };
  }
  if (ev.type === "match.regie") {
    await applyRegie(tx, ctx, ev, now);
    return { inserted: [], removed: [] };
  }
  if (ev.type === "match.verwijderd") {
    // A family match across gemeenten leaves this gemeente's matchregie with it (docs/adr/0039).
    await deleteRegioMatches(tx, t, ev.data.matchIds);
    const removed = await deleteNoticesOf(tx, t, { matchIds: ev.data.matchIds });
    await audit(
      tx,
      t,
      removed.map((m) => ({
        actie: "melding.verwijderd" as const,
        actor: "systeem" as const,
        signaalId: m.signaalId,
        at: now,
        details: { soort: m.soort, van: ev.iss },
      })),
    );
    return { inserted: [], removed };
  }
  const voor = ev.data.voor;
  if (!voor) return { inserted: [], removed: [] };
  const professionalId = await localProfessionalId(tx, t, voor.email);
  if (!professionalId) {
    ctx.log.warn({ type: ev.type }, "notice for a professional unknown here; dropped");
    return { inserted: [], removed: [] };
  }
  let inserted: NoticeRow[];
  if (ev.type === "match.melding") {
    const d = ev.data;
    const jeugdigeNaam = await ownYouthName(tx, ctx, d.voor.signaalId);
    inserted = await insertNotices(tx, t, [
      {
        soort: "match",
        sleutel: d.matchId,
        professionalId,
        signaalId: d.voor.signaalId,
        inhoud: {
          matchId: d.matchId,
          soort: d.soort,
          viaArchief: d.viaArchief,
          aangemaaktOp: d.aangemaaktOp,
          jeugdigeNaam,
          betrokkene: d.betrokkene,
          bron: ev.iss,
        },
        aangemaaktOp: now,
      },
    ]);
  } else if (ev.type === "match.herinnering") {
    const d = ev.data;
    inserted = await insertNotices(tx, t, [
      {
        soort: "herinnering",
        sleutel: `herinnering:${d.matchId}`,
        professionalId,
        signaalId: d.voor.signaalId,
        inhoud: {
          matchId: d.matchId,
          soort: d.soort,
          aangemaaktOp: d.aangemaaktOp,
          dagen: d.dagen,
          jeugdigeNaam: await ownYouthName(tx, ctx, d.voor.signaalId),
        },
        aangemaaktOp: now,
      },
    ]);
  } else {
    const d = ev.data;
    inserted = await insertNotices(tx, t, [
      {
        soort: "verhuizing",
        sleutel: `verhuizing:${d.signaalId}:${d.naarGemeente}`,
        professionalId,
        signaalId: d.signaalId,
        inhoud: {
          signaalId: d.signaalId,
          vanGemeente: d.vanGemeente,
          naarGemeente: d.naarGemeente,
          naarGemeenteNaam: ctx.region.naamVan(d.naarGemeente),
          datum: d.datum,
        },
        aangemaaktOp: now,
      },
    ]);
  }
  for (const m of inserted) {
    await audit(tx, t, { actie: "melding.ontvangen", actor: "systeem", signaalId: m.signaalId, at: now, details: { soort: m.soort, van: ev.iss } });
  }
  return { inserted, removed: [] };
}

/**
 * The hub's family match across gemeenten, for this gemeente's matchregie: kept when the signal it names is held here
 * (this is the youth's residence node), once. Only the hub makes such matches; from anyone else it is ignored.
 */
async function applyRegie(tx: Db, ctx: NodeContext, ev: Extract<ReceivedEvent, { type: "match.regie" }>, now: Date): Promise<void> {
  const d = ev.data;
  if (ev.iss !== "hub") {
    ctx.log.warn({ from: ev.iss }, "match.regie not from the hub; ignored");
    return;
  }
  const { ander } = d;
  const stored = await insertRegioMatch(tx, ctx.t, {
    id: d.matchId,
    signaalId: d.signaalId,
    anderId: otherSideId(d.matchId),
    ander: { naam: ander.naam, functie: ander.functie, organisatie: ander.organisatie, domein: ander.domein, telefoon: ander.telefoon, email: ander.email },
    aangemaaktOp: new Date(d.aangemaaktOp),
  });
  if (stored === "unknown-signal") {
    // Moved or removed in the meantime: the hub's match.verwijderd or a relocation follows.
    ctx.log.info({ matchId: d.matchId }, "match.regie for a signal not held here; ignored");
    return;
  }
  if (stored === "stored") {
    await audit(tx, ctx.t, { actie: "matchregie.regiomatch", actor: "systeem", signaalId: d.signaalId, at: now, details: { matchId: d.matchId, van: ev.iss } });
  }
}

/** Keeps a pointer in step; a removed signal takes its pointer and every melding about it along. */
async function applyRef(tx: Db, ctx: NodeContext, d: Extract<ReceivedEvent, { type: "signaal.ref" }>["data"], now: Date): Promise<RemovedNotice[]> {
  const { t } = ctx;
  if (d.status === "verwijderd") {
    await deleteRef(tx, t, d.signaalId);
    const removed = await deleteNoticesOf(tx, t, { matchIds: [], signalIds: [d.signaalId] });
    await audit(
      tx,
      t,
      removed.map((m) => ({ actie: "melding.verwijderd" as const, actor: "systeem" as const, signaalId: m.signaalId, at: now, details: { soort: m.soort } })),
    );
    return removed;
  }
  const ref = await findRef(tx, t, d.signaalId);
  if (!ref) {
    // A registration whose reply never reached this node: create the pointer now.
    if (d.status !== "actief" || !d.voor || !d.signaal) return [];
    const professionalId = await localProfessionalId(tx, t, d.voor.email);
    if (!professionalId) return [];
    // Of an older residence node, the whole signal: only the list's fields are kept (never its BSN or birth date).
    const seen = PointedView.safeParse(d.signaal);
    if (!seen.success) {
      ctx.log.warn({ signaalId: d.signaalId }, "signaal.ref without a readable signal; no pointer made");
      return [];
    }
    await insertRefIfAbsent(tx, t, {
      signaalId: d.signaalId,
      professionalId,
      residentie: d.residentie,
      ...pointerFields(seen.data),
      status: "actief",
      bijgewerktOp: now,
    });
    return [];
  }
  const einddatum = d.einddatum ? d.einddatum.slice(0, 10) : ref.einddatum;
  await updateRef(tx, t, d.signaalId, { residentie: d.residentie, status: d.status, einddatum, bijgewerktOp: now });
  return [];
}

/** The name of the caller's own youth for a signal: from the pointer, or the local signal. */
async function ownYouthName(db: Db, ctx: NodeContext, signaalId: string): Promise<string> {
  const ref = await findRef(db, ctx.t, signaalId);
  if (ref) return ref.jeugdigeNaam;
  return (await youthNameOfSignal(db, ctx.t, signaalId)) ?? "";
}
