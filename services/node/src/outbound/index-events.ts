/**
 * The node's contribution to the hub's pseudonymous index: for each changed
 * signal a signed `signaal.index` event in the outbox, in the same
 * transaction as the change. Youth, parents and address travel only as keyed
 * pseudonyms; an institution address travels as null. The event carries the
 * professional's contact details (the hub tells them to the other side of a
 * family match), so it is encrypted to the hub like every other event.
 */
import { enqueue, type Db } from "@vi/db";
import { type EventData, pseudonym, sealEvent, subjects } from "@vi/events";
import type { NodeContext } from "../context";
import { tracedData } from "./trace";
import type { IndexRow } from "../store/index-data";

export type IndexData = EventData<"signaal.index">;

/** The index data of stored rows, pseudonymised with the region's key. */
export function toIndexData(ctx: NodeContext, regionKey: string, rows: IndexRow[]): IndexData[] {
  return rows.map((r) => ({
    signaalId: r.signaalId,
    node: ctx.gemeente.code,
    entryNode: r.entryNode,
    status: r.status,
    versie: r.versie,
    jeugdige: pseudonym(regionKey, "jeugdige", r.bsn),
    ouders: r.ouders.map((o) => pseudonym(regionKey, "ouder", o)),
    adres: r.adresId && !r.instelling ? pseudonym(regionKey, "adres", r.adresId) : null,
    professional: { email: r.email, naam: r.naam, functie: r.functie, telefoon: r.telefoon, organisatie: r.organisatie, domein: r.domein },
  }));
}

export async function enqueueIndexData(db: Db, ctx: NodeContext, data: IndexData[]): Promise<void> {
  const fed = ctx.fed;
  if (!fed || data.length === 0) return;
  const events = [];
  const trace = tracedData();
  for (const d of data) {
    const { token, jti } = await sealEvent(fed.keys, fed.trust, { type: "signaal.index", aud: "hub", data: { ...d, ...trace } });
    events.push({ subject: subjects.index(ctx.gemeente.code), token, msgId: jti });
  }
  await enqueue(db, ctx.t.outbox, events);
}
