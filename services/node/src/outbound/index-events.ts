/**
 * The node's contribution to the hub's pseudonymous index: for each changed
 * signal a signed `signaal.index` event in the outbox, in the same
 * transaction as the change, per key version of the pseudonym service (one;
 * two during a key rotation, docs/adr/0024). Youth, parents and address
 * travel only as pseudonyms the node asked the pseudonym service for
 * obliviously; an institution address travels as null. The event carries the
 * professional's contact details (the hub tells them to the other side of a
 * family match), so it is encrypted to the hub like every other event.
 */
import { enqueue, type Db } from "@vi/db";
import { type EventData, sealEvent, subjects } from "@vi/events";
import type { NodeContext } from "../context";
import { tracedData } from "./trace";
import type { IndexRow } from "../store/index-data";
import { nationalPseudonymsOf, type NationalPseudonyms, type PseudonymItem, pseudonymise, type Pseudonymised } from "./pseudonyms";
import { NationalLinkUnavailable } from "../logic/national-link";

export type IndexData = EventData<"signaal.index">;

/** What must be pseudonymised for these rows: youth, parents, and the address unless it is an institution's. */
export function itemsOf(rows: ReadonlyArray<Pick<IndexRow, "bsn" | "ouders" | "adresId" | "instelling">>): PseudonymItem[] {
  return rows.flatMap((r) => [
    { kind: "jeugdige" as const, value: r.bsn },
    ...r.ouders.map((o) => ({ kind: "ouder" as const, value: o })),
    ...(r.adresId && !r.instelling ? [{ kind: "adres" as const, value: r.adresId }] : []),
  ]);
}

/**
 * The index data of stored rows, one entry per row and key version. Values
 * `known` holds (asked before the transaction) are not asked again; the rest
 * in one request.
 */
export async function toIndexData(ctx: NodeContext, rows: IndexRow[], known?: Pseudonymised): Promise<IndexData[]> {
  const fed = ctx.fed;
  if (!fed || rows.length === 0) return [];
  const items = itemsOf(rows);
  const complete = known && known.versions.length > 0 && known.versions.every((v) => items.every((i) => known.get(v, i) !== undefined));
  const ps = complete ? known : await pseudonymise(fed.rpc, items);
  const of = (versie: number, item: PseudonymItem) => {
    const p = ps.get(versie, item);
    if (!p) throw new Error(`no pseudonym of a ${item.kind} under key version ${versie}`);
    return p;
  };
  const landelijk = await nationalPseudonyms(ctx, rows, known?.national);
  return ps.versions.flatMap((versie) =>
    rows.map((r) => ({
      signaalId: r.signaalId,
      node: ctx.gemeente.code,
      entryNode: r.entryNode,
      status: r.status,
      versie: r.versie,
      jeugdige: of(versie, { kind: "jeugdige", value: r.bsn }),
      ouders: r.ouders.map((o) => of(versie, { kind: "ouder", value: o })),
      adres: r.adresId && !r.instelling ? of(versie, { kind: "adres", value: r.adresId }) : null,
      sleutelversie: versie,
      professional: { email: r.email, naam: r.naam, functie: r.functie, telefoon: r.telefoon, organisatie: r.organisatie, domein: r.domein },
      ...(landelijk?.has(r.signaalId) ? { landelijk: landelijk.get(r.signaalId)! } : {}),
    })),
  );
}

type Landelijk = NonNullable<IndexData["landelijk"]>;

/**
 * The national pseudonyms of these rows through the bridge (docs/national-chain.md), when the node has one
 * (LANDELIJK=aan). A registration never fails on the national link: when the bridge or the national pseudonym
 * service cannot be reached, the events go without them, the signals are remembered (ctx.nationalPending), and
 * the node sends their index events again, with national pseudonyms, once the link answers (server.ts).
 */
async function nationalPseudonyms(ctx: NodeContext, rows: IndexRow[], known?: NationalPseudonyms | null): Promise<Map<string, Landelijk> | undefined> {
  if (!ctx.national) return undefined;
  const items = itemsOf(rows);
  let ps: NationalPseudonyms | null;
  if (known === null) ps = null;
  else if (known && items.every((i) => known.get(i) !== undefined)) ps = known;
  else ps = await askNational(ctx, items);
  if (!ps) {
    for (const r of rows) ctx.nationalPending?.add(r.signaalId);
    ctx.log.warn({ signalen: rows.length }, "national link unavailable: index events sent without national pseudonyms, to be sent again");
    return undefined;
  }
  const p = (kind: PseudonymItem["kind"], value: string) => ps.get({ kind, value })!;
  const out = new Map<string, Landelijk>();
  for (const r of rows) {
    out.set(r.signaalId, {
      jeugdige: p("jeugdige", r.bsn),
      ouders: r.ouders.map((o) => p("ouder", o)),
      adres: r.adresId && !r.instelling ? p("adres", r.adresId) : null,
      sleutelversie: ps.sleutelversie,
    });
    ctx.nationalPending?.delete(r.signaalId);
  }
  return out;
}

/** The national pseudonyms of these values through the bridge; null when the national link does not answer. */
export async function askNational(ctx: NodeContext, items: PseudonymItem[]): Promise<NationalPseudonyms | null> {
  if (!ctx.national) return null;
  try {
    return nationalPseudonymsOf(items, await ctx.national.pseudonyms(items));
  } catch (e) {
    if (!(e instanceof NationalLinkUnavailable)) throw e;
    return null;
  }
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
