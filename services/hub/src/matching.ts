/**
 * The hub's index and its cross-gemeente family matching.
 *
 * The index holds, per signal, only pseudonyms (youth, parents, address), the
 * node that holds the signal and the professional's contact details. Whether
 * two signals make a family match (`gezin`) is the domain's family predicate
 * (isFamilyMatch), the same the nodes use; the hub applies it only to pairs
 * held by *different* nodes (pairs within one node are that node's
 * business). The SQL below only narrows the candidates.
 *
 * Every write happens inside the caller's transaction, after taking the
 * index lock, so two writers can never miss each other's signal.
 */
import { and, arrayOverlaps, eq, inArray, lt, ne, or, sql, type SQL } from "drizzle-orm";
import { enqueue, rowsOf, type Db } from "@vi/db";
import { type FamilySide, isFamilyMatch } from "@vi/domain";
import { type EventData, matchId, sealEvent, subjects } from "@vi/events";
import { currentTrace } from "@vi/service";
import { HUB_ID, type HubContext } from "./context";

export type IndexEntry = EventData<"signaal.index">;
export type Professional = IndexEntry["professional"];

/** What the hub keeps of a signal to make and announce a match. */
export interface MatchSide {
  signaalId: string;
  entryNode: string;
  /** The residence node that holds the signal: it follows up its side of the match (matchregie, docs/adr/0039). */
  node: string;
  professional: Professional;
}

/** The entry as one side of the domain's family predicate (pseudonyms stand in for BSNs and addresses; null is an institution address). */
function familySide(e: { status: string; jeugdige: string; ouders: string[]; adres: string | null; professional: { email: string } }): FamilySide {
  return {
    professional: e.professional.email.toLowerCase(),
    status: e.status === "actief" ? "actief" : "gearchiveerd",
    youth: { youthId: e.jeugdige, parentBsns: e.ouders, addressId: e.adres, institutionAddress: false },
  };
}

export interface NewMatch {
  id: string;
  a: MatchSide;
  b: MatchSide;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Signal ids are UUIDs; the hub stores them lower-case so string order and uuid order agree. */
export function normaliseSignaalId(id: string): string | undefined {
  const lower = id.toLowerCase();
  return UUID.test(lower) ? lower : undefined;
}

/**
 * Serialises every writer of the index (the consumer, a rebuild) within the
 * transaction: matching reads the index and must see every committed signal.
 */
export async function lockIndex(tx: Db, schema: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`vi-hub-index:${schema}`}))`);
}

function professionalOf(value: unknown): Professional {
  const p = (value ?? {}) as Record<string, unknown>;
  const s = (k: string) => (typeof p[k] === "string" ? (p[k] as string) : "");
  return { email: s("email"), naam: s("naam"), functie: s("functie"), telefoon: s("telefoon"), organisatie: s("organisatie"), domein: s("domein") };
}

/**
 * Stores each entry when it is newer than what the index holds (by `versie`;
 * a rebuild also takes an equal one). Returns how many were stored.
 * `signaalId`s must be normalised and unique within the call.
 */
export async function upsertEntries(ctx: HubContext, tx: Db, entries: IndexEntry[], minVersie: "newer" | "same-or-newer" = "newer"): Promise<number> {
  return writeEntries(ctx, tx, ctx.t.indexSignalen, entries, minVersie);
}

/**
 * Writes entries into the index or the next key version's stage (same columns), each replacing a stored one only when
 * newer (or, `same-or-newer`, as new; or, `newer-or-changed`, as new and different: an unchanged row is not rewritten,
 * which spares its table and its four indexes a new version of the row); a removed signal's entry is never written.
 * Returns how many were written. One statement per chunk, the chunk as one JSON parameter: built by drizzle value by
 * value, a page of the rebuild spent more CPU in building the statement than PostgreSQL did in running it
 * (docs/performance.md).
 */
export async function writeEntries(
  ctx: HubContext,
  tx: Db,
  t: HubContext["t"]["indexSignalen"] | HubContext["t"]["indexVolgendeSleutel"],
  entries: IndexEntry[],
  minVersie: "newer" | "same-or-newer" | "newer-or-changed",
): Promise<number> {
  let written = 0;
  const CHUNK = 1000;
  for (let i = 0; i < entries.length; i += CHUNK) {
    const chunk = entries.slice(i, i + CHUNK);
    const values = chunk.map((e) => ({
      signaal_id: e.signaalId,
      node: e.node,
      entry_node: e.entryNode,
      status: e.status,
      versie: e.versie,
      jeugdige: e.jeugdige,
      ouders: [...new Set(e.ouders)],
      adres: e.adres,
      sleutelversie: e.sleutelversie,
      professional: professionalOf(e.professional),
    }));
    const newer =
      minVersie === "newer"
        ? sql`cur.versie < excluded.versie`
        : minVersie === "same-or-newer"
          ? sql`cur.versie <= excluded.versie`
          : sql`cur.versie < excluded.versie or (cur.versie = excluded.versie
              and (cur.node, cur.entry_node, cur.status, cur.jeugdige, cur.ouders, cur.adres, cur.sleutelversie, cur.professional)
                  is distinct from (excluded.node, excluded.entry_node, excluded.status, excluded.jeugdige, excluded.ouders,
                                    excluded.adres, excluded.sleutelversie, excluded.professional))`;
    const rows = rowsOf<{ signaal_id: string }>(
      await tx.execute(sql`
        insert into ${t} as cur (signaal_id, node, entry_node, status, versie, jeugdige, ouders, adres, sleutelversie, professional, bijgewerkt_op)
        select v.signaal_id, v.node, v.entry_node, v.status, v.versie, v.jeugdige, v.ouders, v.adres, v.sleutelversie, v.professional, clock_timestamp()
          from jsonb_to_recordset(${JSON.stringify(values)}::jsonb)
            as v(signaal_id uuid, node text, entry_node text, status text, versie bigint, jeugdige text, ouders text[], adres text,
                 sleutelversie integer, professional jsonb)
         -- A removed signal never comes back: an older event about it, arriving late, is outdated.
         where not exists (select 1 from ${ctx.t.verwijderdeSignalen} r where r.signaal_id = v.signaal_id)
        on conflict (signaal_id) do update set
          node = excluded.node, entry_node = excluded.entry_node, status = excluded.status, versie = excluded.versie,
          jeugdige = excluded.jeugdige, ouders = excluded.ouders, adres = excluded.adres, sleutelversie = excluded.sleutelversie,
          professional = excluded.professional, bijgewerkt_op = excluded.bijgewerkt_op
        where ${newer}
        returning cur.signaal_id::text`),
    );
    written += rows.length;
  }
  return written;
}

/** How long the hub remembers a removed signal's id (events expire after minutes; a rebuild takes seconds). */
const REMEMBER_REMOVED_MS = 24 * 3600 * 1000;

/**
 * A signal that was withdrawn or removed (23 years, death, archive term)
 * leaves no trace: its index row and the hub's matches with it are deleted,
 * and the entry node of each side is told to delete its meldingen of those
 * matches (a signed `match.verwijderd`, in the outbox of this transaction).
 * Only its id and the removal's version stay, a day, against late events.
 * Returns the ids of the removed matches; undefined when the event is outdated.
 */
export async function removeEntry(ctx: HubContext, tx: Db, e: IndexEntry): Promise<string[] | undefined> {
  const { indexSignalen: index, hubMatches, verwijderdeSignalen: removed } = ctx.t;
  const [stored] = await tx.select({ versie: index.versie, entryNode: index.entryNode, node: index.node }).from(index).where(eq(index.signaalId, e.signaalId));
  if (stored && stored.versie >= e.versie) return undefined;
  const now = ctx.clock.now();
  const first = await tx
    .insert(removed)
    .values({ signaalId: e.signaalId, versie: e.versie, verwijderdOp: now })
    .onConflictDoNothing()
    .returning({ signaalId: removed.signaalId });
  if (first.length === 0) return undefined;

  const gone = await tx
    .delete(hubMatches)
    .where(or(eq(hubMatches.signaalA, e.signaalId), eq(hubMatches.signaalB, e.signaalId)))
    .returning({ id: hubMatches.id, a: hubMatches.signaalA, b: hubMatches.signaalB });
  const others = gone.map((m) => (m.a === e.signaalId ? m.b : m.a));
  const otherSide = new Map(
    others.length
      ? (await tx.select({ signaalId: index.signaalId, entryNode: index.entryNode, node: index.node }).from(index).where(inArray(index.signaalId, others))).map(
          (r) => [r.signaalId, r],
        )
      : [],
  );
  const byNode = new Map<string, Set<string>>();
  const tell = (node: string | undefined, id: string) => {
    if (!node) return;
    byNode.set(node, (byNode.get(node) ?? new Set<string>()).add(id));
  };
  for (const m of gone) {
    tell(e.entryNode, m.id);
    if (stored && stored.entryNode !== e.entryNode) tell(stored.entryNode, m.id);
    const other = otherSide.get(m.a === e.signaalId ? m.b : m.a);
    tell(other?.entryNode, m.id);
    // The other side's residence node follows the match up in its matchregie (docs/adr/0039): it goes there too.
    if (other && other.node !== other.entryNode) tell(other.node, m.id);
  }
  const events = [];
  for (const [node, ids] of byNode) {
    const { token, jti } = await sealEvent(ctx.keys, ctx.trust, { type: "match.verwijderd", aud: node, data: { matchIds: [...ids].sort() } });
    events.push({ subject: subjects.melding(node, HUB_ID), token, msgId: jti });
  }
  await enqueue(tx, ctx.t.outbox, events);
  await tx.delete(index).where(eq(index.signaalId, e.signaalId));
  await tx.delete(removed).where(lt(removed.verwijderdOp, new Date(now.getTime() - REMEMBER_REMOVED_MS)));
  return gone.map((m) => m.id).sort();
}

/** Stores one entry when it is newer than what the index holds; true when stored. */
export async function upsertEntry(ctx: HubContext, tx: Db, e: IndexEntry): Promise<boolean> {
  return (await upsertEntries(ctx, tx, [e])) === 1;
}

/** Active signals of other nodes that make a family match with `e` (which must be active). */
export async function familyCandidates(ctx: HubContext, tx: Db, e: IndexEntry): Promise<MatchSide[]> {
  const t = ctx.t.indexSignalen;
  const family: SQL[] = [];
  if (e.ouders.length > 0) family.push(arrayOverlaps(t.ouders, [...new Set(e.ouders)]));
  if (e.adres !== null) family.push(eq(t.adres, e.adres));
  if (family.length === 0) return [];
  const rows = await tx
    .select({
      signaalId: t.signaalId,
      entryNode: t.entryNode,
      node: t.node,
      professional: t.professional,
      status: t.status,
      jeugdige: t.jeugdige,
      ouders: t.ouders,
      adres: t.adres,
    })
    .from(t)
    .where(
      and(
        eq(t.status, "actief"),
        ne(t.node, e.node),
        ne(t.signaalId, e.signaalId),
        // the same youth in another node is a client matter, never "another youth in the family"
        ne(t.jeugdige, e.jeugdige),
        sql`lower(${t.professional}->>'email') <> lower(${e.professional.email})`,
        or(...family),
      ),
    );
  const self = familySide(e);
  return rows
    .map((r) => ({ ...r, professional: professionalOf(r.professional) }))
    .filter((r) => isFamilyMatch(self, familySide(r)))
    .map((r) => ({ signaalId: r.signaalId, entryNode: r.entryNode, node: r.node, professional: r.professional }));
}

/**
 * Every cross-node family pair among the active signals of the index (for a rebuild). The candidates are found by two
 * equality joins, each a hash join over the whole index: on a parent (the parents unnested) and on the address. The
 * single join on `ouders && … or adres = …` probed the indexes once per signal; at 100 thousand signals, with the
 * rebuild's fresh rows in the GIN index's pending list, it took 111 s against 1.7 s (docs/performance.md).
 */
export async function allFamilyPairs(ctx: HubContext, tx: Db): Promise<Array<[MatchSide, MatchSide]>> {
  const table = sql.raw(`"${ctx.schema}"."index_signalen"`);
  type Side = { id: string; entry: string; node: string; prof: unknown; jeugdige: string; ouders: string[]; adres: string | null };
  const rows = rowsOf<{ a: Side; b: Side }>(
    await tx.execute(sql`
      with by_parent as (select signaal_id, node, unnest(ouders) as ouder from ${table} where status = 'actief'),
      candidates as (
        select p.signaal_id as a, q.signaal_id as b
          from by_parent p join by_parent q on p.ouder = q.ouder and p.signaal_id < q.signaal_id and p.node <> q.node
        union
        select a.signaal_id, b.signaal_id
          from ${table} a join ${table} b on a.adres = b.adres and a.signaal_id < b.signaal_id and a.node <> b.node
         where a.status = 'actief' and b.status = 'actief'
      )
      select json_build_object('id', a.signaal_id::text, 'entry', a.entry_node, 'node', a.node, 'prof', a.professional, 'jeugdige', a.jeugdige, 'ouders', a.ouders, 'adres', a.adres) as a,
             json_build_object('id', b.signaal_id::text, 'entry', b.entry_node, 'node', b.node, 'prof', b.professional, 'jeugdige', b.jeugdige, 'ouders', b.ouders, 'adres', b.adres) as b
        from candidates c
        join ${table} a on a.signaal_id = c.a
        join ${table} b on b.signaal_id = c.b
       where a.jeugdige <> b.jeugdige
         and lower(a.professional->>'email') <> lower(b.professional->>'email')
       order by a.signaal_id, b.signaal_id`),
  );
  const side = (v: unknown): Side => (typeof v === "string" ? JSON.parse(v) : v) as Side;
  const pairs: Array<[MatchSide, MatchSide]> = [];
  for (const r of rows) {
    const [a, b] = [side(r.a), side(r.b)];
    const [pa, pb] = [professionalOf(a.prof), professionalOf(b.prof)];
    const asSide = (s: Side, p: Professional) => familySide({ status: "actief", jeugdige: s.jeugdige, ouders: s.ouders, adres: s.adres, professional: p });
    if (!isFamilyMatch(asSide(a, pa), asSide(b, pb))) continue;
    pairs.push([
      { signaalId: a.id, entryNode: a.entry, node: a.node, professional: pa },
      { signaalId: b.id, entryNode: b.entry, node: b.node, professional: pb },
    ]);
  }
  return pairs;
}

/** The melding for the professional of `voor` about the professional of `ander`. Nothing about either youth. */
export function noticeData(id: string, aangemaaktOp: string, voor: MatchSide, ander: MatchSide): EventData<"match.melding"> {
  const p = ander.professional;
  return {
    matchId: id,
    soort: "gezin",
    viaArchief: false,
    aangemaaktOp,
    voor: { email: voor.professional.email, signaalId: voor.signaalId },
    betrokkene: {
      naam: p.naam,
      functie: p.functie,
      organisatie: p.organisatie,
      domein: p.domein,
      telefoon: p.telefoon,
      email: p.email,
      eerderBetrokken: false,
    },
  };
}

/** What the residence node of `voor` keeps of the match for its matchregie (docs/adr/0039). Nothing about the other youth or its signal. */
export function regieData(id: string, aangemaaktOp: string, voor: MatchSide, ander: MatchSide): EventData<"match.regie"> {
  const p = ander.professional;
  return {
    matchId: id,
    soort: "gezin",
    aangemaaktOp,
    signaalId: voor.signaalId,
    ander: { naam: p.naam, functie: p.functie, organisatie: p.organisatie, domein: p.domein, telefoon: p.telefoon, email: p.email },
  };
}

/**
 * Records the family matches of the given pairs that do not exist yet and, in
 * the same transaction, puts the signed events of each new match in the outbox:
 * a melding to the entry node of each side, and its side of the matchregie to
 * the residence node of each side (docs/adr/0039). Returns the ids of the new matches.
 */
export async function recordMatches(ctx: HubContext, tx: Db, pairs: Array<[MatchSide, MatchSide]>): Promise<string[]> {
  if (pairs.length === 0) return [];
  const now = ctx.clock.now();
  const byId = new Map<string, NewMatch>();
  for (const [x, y] of pairs) {
    const [a, b] = x.signaalId < y.signaalId ? [x, y] : [y, x];
    if (a.signaalId === b.signaalId) continue;
    byId.set(matchId(a.signaalId, b.signaalId), { id: matchId(a.signaalId, b.signaalId), a, b });
  }
  const all = [...byId.values()];
  const added: string[] = [];
  const CHUNK = 500;
  for (let i = 0; i < all.length; i += CHUNK) {
    const chunk = all.slice(i, i + CHUNK);
    const inserted = await tx
      .insert(ctx.t.hubMatches)
      .values(chunk.map((m) => ({ id: m.id, signaalA: m.a.signaalId, signaalB: m.b.signaalId, soort: "gezin" as const, aangemaaktOp: now })))
      .onConflictDoNothing()
      .returning({ id: ctx.t.hubMatches.id });
    added.push(...inserted.map((r) => r.id));
  }
  const aangemaaktOp = now.toISOString();
  for (const id of added) {
    const m = byId.get(id)!;
    const events = [];
    for (const [voor, ander] of [
      [m.a, m.b],
      [m.b, m.a],
    ] as const) {
      const trace = currentTrace();
      const data = { ...noticeData(id, aangemaaktOp, voor, ander), ...(trace ? { traceparent: trace.traceparent } : {}) };
      const { token, jti } = await sealEvent(ctx.keys, ctx.trust, { type: "match.melding", aud: voor.entryNode, data });
      events.push({ subject: subjects.melding(voor.entryNode, HUB_ID), token, msgId: jti });
      const regie = { ...regieData(id, aangemaaktOp, voor, ander), ...(trace ? { traceparent: trace.traceparent } : {}) };
      const sealed = await sealEvent(ctx.keys, ctx.trust, { type: "match.regie", aud: voor.node, data: regie });
      events.push({ subject: subjects.melding(voor.node, HUB_ID), token: sealed.token, msgId: sealed.jti });
    }
    await enqueue(tx, ctx.t.outbox, events);
  }
  return added.sort();
}

/** Number of signals in the index and of hub matches (for /metrics). */
export async function indexFigures(ctx: HubContext): Promise<{ signalen: Record<string, number>; matches: number }> {
  const t = ctx.t;
  const byStatus = await ctx.db.select({ status: t.indexSignalen.status, n: sql<number>`count(*)::int` }).from(t.indexSignalen).groupBy(t.indexSignalen.status);
  const [m] = await ctx.db.select({ n: sql<number>`count(*)::int` }).from(t.hubMatches);
  const signalen: Record<string, number> = { actief: 0, gearchiveerd: 0, verwijderd: 0 };
  for (const r of byStatus) signalen[r.status] = r.n;
  return { signalen, matches: m?.n ?? 0 };
}
