/**
 * What the national index does with a region's signals: it stores each (pseudonyms, region, organisation,
 * domain, dates and the JWE of the contact details), and matches ACROSS regions only (within a region the hub
 * and the nodes match): a client match on the same youth, a family match on a shared parent or the same
 * residential address, decided by the domain's family predicate (isFamilyMatch, the same the hub and the nodes
 * use). An archived signal matches once (a client match with a new signal on the youth; only the new side is
 * told). Each new match is queued for delivery to the bridges of the sides told, in the same transaction.
 * A removed signal leaves no trace: its record and matches go, and the bridges involved are told.
 */
import { and, arrayOverlaps, eq, inArray, lt, ne, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "@vi/db";
import { type FamilySide, isFamilyMatch, receivesMatchNotice } from "@vi/domain";
import { matchId } from "@vi/events";
import type { RecordIn, Bericht } from "./contract";
import type { NationalContext } from "./context";

type Active = Extract<RecordIn, { status: "actief" | "gearchiveerd" }>;
type Row = NationalContext["t"]["records"]["$inferSelect"];

/** Serialises every writer of the records: matching must see every committed record. */
async function lock(tx: Db, ctx: NationalContext) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`vi-landelijk:${ctx.schema}`}))`);
}

/** A professional is identified per region and signal here: the national index never holds an e-mail address. */
function familySide(r: { regio: string; signaalId: string; status: string; jeugdige: string; ouders: string[]; adres: string | null }): FamilySide {
  return {
    professional: `${r.regio}:${r.signaalId}`,
    status: r.status === "actief" ? "actief" : "gearchiveerd",
    youth: { youthId: r.jeugdige, parentBsns: r.ouders, addressId: r.adres, institutionAddress: false },
  };
}

const REMEMBER_REMOVED_MS = 24 * 3600 * 1000;

/** Applies a region's batch in order; returns how many changed something and how many matches were made. */
export async function receiveRecords(ctx: NationalContext, regio: string, records: RecordIn[]): Promise<{ verwerkt: number; matches: number }> {
  const result = await ctx.db.transaction(async (tx) => {
    await lock(tx, ctx);
    let verwerkt = 0;
    let matches = 0;
    for (const r of records) {
      const signaalId = r.signaalId.toLowerCase();
      if (r.status === "verwijderd") {
        if (await removeRecord(ctx, tx, regio, signaalId, r.versie)) verwerkt++;
        continue;
      }
      const stored = await upsert(ctx, tx, regio, { ...r, signaalId });
      if (!stored) continue;
      verwerkt++;
      if (r.status === "actief") matches += await match(ctx, tx, stored);
    }
    return { verwerkt, matches };
  });
  ctx.figures.matches += result.matches;
  if (result.verwerkt > 0) ctx.kick();
  return result;
}

async function upsert(ctx: NationalContext, tx: Db, regio: string, r: Active): Promise<Row | undefined> {
  const { records, verwijderd } = ctx.t;
  const [gone] = await tx
    .select({ versie: verwijderd.versie })
    .from(verwijderd)
    .where(and(eq(verwijderd.regio, regio), eq(verwijderd.signaalId, r.signaalId)));
  if (gone) return undefined;
  const now = ctx.now();
  const rows = await tx
    .insert(records)
    .values({
      regio,
      signaalId: r.signaalId,
      status: r.status,
      versie: r.versie,
      jeugdige: r.jeugdige,
      ouders: [...new Set(r.ouders)],
      adres: r.adres,
      sleutelversie: r.sleutelversie,
      organisatie: r.organisatie,
      domein: r.domein,
      contact: r.contact,
      ontvangenOp: now,
      bijgewerktOp: now,
    })
    .onConflictDoUpdate({
      target: [records.regio, records.signaalId],
      set: {
        status: sql`excluded.status`,
        versie: sql`excluded.versie`,
        jeugdige: sql`excluded.jeugdige`,
        ouders: sql`excluded.ouders`,
        adres: sql`excluded.adres`,
        sleutelversie: sql`excluded.sleutelversie`,
        organisatie: sql`excluded.organisatie`,
        domein: sql`excluded.domein`,
        contact: sql`excluded.contact`,
        bijgewerktOp: sql`excluded.bijgewerkt_op`,
      },
      setWhere: sql`${records.versie} < excluded.versie`,
    })
    .returning();
  return rows[0];
}

/** The cross-region matches of an active record; returns how many are new. */
async function match(ctx: NationalContext, tx: Db, self: Row): Promise<number> {
  const t = ctx.t.records;
  const family: SQL[] = [eq(t.jeugdige, self.jeugdige)];
  if (self.ouders.length > 0) family.push(arrayOverlaps(t.ouders, self.ouders));
  if (self.adres !== null) family.push(eq(t.adres, self.adres));
  const candidates = await tx
    .select()
    .from(t)
    // Not the same signal: one that moved to another region (a relocation, docs/adr/0042) keeps its id, and its old
    // region's record stays until that region's removal arrives.
    .where(and(ne(t.regio, self.regio), ne(t.signaalId, self.signaalId), eq(t.sleutelversie, self.sleutelversie), or(...family)));
  const found: Array<{ other: Row; soort: "client" | "gezin"; viaArchief: boolean }> = [];
  for (const c of candidates) {
    if (c.jeugdige === self.jeugdige) {
      if (c.status === "actief") found.push({ other: c, soort: "client", viaArchief: false });
      else if (!c.archiefGebruikt) found.push({ other: c, soort: "client", viaArchief: true });
    } else if (isFamilyMatch(familySide(self), familySide(c))) {
      found.push({ other: c, soort: "gezin", viaArchief: false });
    }
  }
  let added = 0;
  const now = ctx.now();
  for (const f of found) {
    const id = matchId(self.signaalId, f.other.signaalId);
    const [a, b] = self.signaalId < f.other.signaalId ? [self, f.other] : [f.other, self];
    const inserted = await tx
      .insert(ctx.t.matches)
      .values({
        id,
        regioA: a.regio,
        signaalA: a.signaalId,
        regioB: b.regio,
        signaalB: b.signaalId,
        soort: f.soort,
        viaArchief: f.viaArchief,
        aangemaaktOp: now,
      })
      .onConflictDoNothing()
      .returning({ id: ctx.t.matches.id });
    if (inserted.length === 0) continue;
    added++;
    if (f.viaArchief)
      await tx
        .update(t)
        .set({ archiefGebruikt: true })
        .where(and(eq(t.regio, f.other.regio), eq(t.signaalId, f.other.signaalId)));
    const deliveries = [];
    for (const [voor, ander] of [
      [self, f.other],
      [f.other, self],
    ] as const) {
      // The earlier professional of an archive match, no longer involved, is not told (as within the region).
      if (!receivesMatchNotice({ status: voor.status })) continue;
      const bericht: Bericht = {
        soort: "melding",
        matchId: id,
        matchSoort: f.soort,
        viaArchief: f.viaArchief,
        aangemaaktOp: now.toISOString(),
        eigen: { signaalId: voor.signaalId, contact: voor.contact },
        ander: { regio: ander.regio, organisatie: ander.organisatie, domein: ander.domein, contact: ander.contact, eerderBetrokken: ander.status !== "actief" },
      };
      deliveries.push({ regio: voor.regio, matchId: id, inhoud: bericht as Record<string, unknown> });
    }
    if (deliveries.length) await tx.insert(ctx.t.afleveringen).values(deliveries);
  }
  return added;
}

/**
 * A withdrawn or removed signal: its record and its matches go, undelivered notices of them too (they hold
 * contact details), and each region involved is told (`verwijderd`), so its nodes delete their meldingen.
 * Returns false for an outdated or repeated removal.
 */
async function removeRecord(ctx: NationalContext, tx: Db, regio: string, signaalId: string, versie: number): Promise<boolean> {
  const { records, verwijderd, matches, afleveringen } = ctx.t;
  const [stored] = await tx
    .select({ versie: records.versie })
    .from(records)
    .where(and(eq(records.regio, regio), eq(records.signaalId, signaalId)));
  if (stored && stored.versie >= versie) return false;
  const now = ctx.now();
  const first = await tx
    .insert(verwijderd)
    .values({ regio, signaalId, versie, verwijderdOp: now })
    .onConflictDoNothing()
    .returning({ s: verwijderd.signaalId });
  if (first.length === 0) return false;
  const gone = await tx
    .delete(matches)
    .where(or(and(eq(matches.regioA, regio), eq(matches.signaalA, signaalId)), and(eq(matches.regioB, regio), eq(matches.signaalB, signaalId))))
    .returning();
  if (gone.length) {
    const ids = gone.map((m) => m.id);
    await tx.delete(afleveringen).where(inArray(afleveringen.matchId, ids));
    const byRegio = new Map<string, string[]>();
    for (const m of gone) for (const r of new Set([m.regioA, m.regioB])) byRegio.set(r, [...(byRegio.get(r) ?? []), m.id]);
    await tx.insert(afleveringen).values(
      [...byRegio].map(([r, matchIds]) => ({
        regio: r,
        matchId: matchIds[0]!,
        inhoud: { soort: "verwijderd", matchIds: matchIds.sort() } as Record<string, unknown>,
      })),
    );
  }
  await tx.delete(records).where(and(eq(records.regio, regio), eq(records.signaalId, signaalId)));
  await tx.delete(verwijderd).where(lt(verwijderd.verwijderdOp, new Date(now.getTime() - REMEMBER_REMOVED_MS)));
  return true;
}

export async function recordFigures(ctx: NationalContext): Promise<{ records: number; matches: number; afleveringen: number }> {
  const n = async (table: typeof ctx.t.records | typeof ctx.t.matches | typeof ctx.t.afleveringen) => {
    const [r] = await ctx.db.select({ n: sql<number>`count(*)::int` }).from(table);
    return r?.n ?? 0;
  };
  return { records: await n(ctx.t.records), matches: await n(ctx.t.matches), afleveringen: await n(ctx.t.afleveringen) };
}
