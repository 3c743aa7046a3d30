/**
 * The node's contribution to the hub's pseudonymous index: for each changed
 * signal a signed `signaal.index` event in the outbox, in the same
 * transaction as the change. Youth, parents and address travel only as keyed
 * pseudonyms; an institution address travels as null.
 */
import { eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@vi/db";
import { enqueue } from "@vi/db";
import { pseudonym, signEvent } from "@vi/events";
import type { NodeContext } from "../context";
import { subjects } from "./federation";

export interface IndexData {
  signaalId: string;
  node: string;
  entryNode: string;
  status: "actief" | "gearchiveerd" | "verwijderd";
  versie: number;
  jeugdige: string;
  ouders: string[];
  adres: string | null;
  professional: { email: string; naam: string; functie: string; telefoon: string; organisatie: string; domein: string };
}

/** Index data of signals that exist at this node. */
export async function indexDataFor(db: Db, ctx: NodeContext, signalIds?: string[]): Promise<IndexData[]> {
  const { t } = ctx;
  const fed = ctx.fed;
  if (!fed) return [];
  const rows = await db
    .select({
      signaalId: t.signalen.id,
      entryNode: t.signalen.entryNode,
      status: t.signalen.status,
      versie: t.signalen.versie,
      bsn: t.jeugdigen.bsn,
      ouders: t.jeugdigen.ouders,
      adresId: t.jeugdigen.adresId,
      instelling: sql<boolean>`exists (select 1 from ${t.instellingsadressen} where ${t.instellingsadressen.adresId} = ${t.jeugdigen.adresId})`,
      email: t.professionals.email,
      naam: t.professionals.naam,
      functie: t.professionals.functie,
      telefoon: t.professionals.telefoon,
      organisatie: t.organisaties.naam,
      domein: t.organisaties.domein,
    })
    .from(t.signalen)
    .innerJoin(t.jeugdigen, eq(t.jeugdigen.id, t.signalen.jeugdigeId))
    .innerJoin(t.professionals, eq(t.professionals.id, t.signalen.professionalId))
    .innerJoin(t.organisaties, eq(t.organisaties.id, t.signalen.organisatieId))
    .where(signalIds ? inArray(t.signalen.id, signalIds) : undefined);
  return rows.map((r) => ({
    signaalId: r.signaalId,
    node: ctx.gemeente.code,
    entryNode: r.entryNode,
    status: r.status,
    versie: r.versie,
    jeugdige: pseudonym(fed.regionKey, "jeugdige", r.bsn),
    ouders: r.ouders.map((o) => pseudonym(fed.regionKey, "ouder", o)),
    adres: r.adresId && !r.instelling ? pseudonym(fed.regionKey, "adres", r.adresId) : null,
    professional: { email: r.email, naam: r.naam, functie: r.functie, telefoon: r.telefoon, organisatie: r.organisatie, domein: r.domein },
  }));
}

/** Enqueues index events for these signals as they are now (call inside the change's transaction). */
export async function enqueueIndex(db: Db, ctx: NodeContext, signalIds: string[]): Promise<void> {
  if (!ctx.fed || signalIds.length === 0) return;
  await enqueueIndexData(db, ctx, await indexDataFor(db, ctx, signalIds));
}

export async function enqueueIndexData(db: Db, ctx: NodeContext, data: IndexData[]): Promise<void> {
  const fed = ctx.fed;
  if (!fed || data.length === 0) return;
  const events = [];
  for (const d of data) {
    const { token, jti } = await signEvent(fed.keys, { type: "signaal.index", aud: "hub", data: d });
    events.push({ subject: subjects.index(ctx.gemeente.code), token, msgId: jti });
  }
  await enqueue(db, ctx.t.outbox, events);
}

/** A deleted signal is announced before its row goes (its data is read first). */
export async function enqueueIndexDeleted(db: Db, ctx: NodeContext, signalIds: string[], versie: number): Promise<void> {
  if (!ctx.fed || signalIds.length === 0) return;
  const data = await indexDataFor(db, ctx, signalIds);
  await enqueueIndexData(
    db,
    ctx,
    data.map((d) => ({ ...d, status: "verwijderd" as const, versie: Math.max(d.versie + 1, versie) })),
  );
}
