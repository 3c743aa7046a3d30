/**
 * The convenantmanager's figures and node health (docs/adr/0031). Each node is asked over the bus (signed
 * `rpc.request`, op `cijfers.opvragen`) for its counts per month and domain; the hub adds the family matches across
 * gemeenten it made itself, sums the region, and publishes every count through small-cell suppression (@vi/domain):
 * exact counts below 5 never leave the hub. No person data is read or returned.
 */
import { dbReplayGuard, rowsOf } from "@vi/db";
import { publish, publishGroup, publishShare, type PublishedCount } from "@vi/domain";
import { createRpcClient, type RpcClient } from "@vi/events";
import { errorForLog } from "@vi/service";
import { sql } from "drizzle-orm";
import { getTableConfig } from "drizzle-orm/pg-core";
import { z } from "zod";
import type { HubContext } from "./context";
import { HUB_ID } from "./context";
import { listNodes } from "./nodes";

/**
 * The follow-up term (docs/adr/0031, 0039): a match counts as followed up when contact was recorded within this many
 * days; only matches at least this old are judged. The hub's `OPVOLGING_DAGEN`, by default 14 like the reminders'.
 */
export const DEFAULT_FOLLOW_UP_DAYS = 14;
/** A node whose index at the hub is this far behind its own signals is shown as lagging. */
export const LAG_THRESHOLD_MS = 60_000;
const ASK_TIMEOUT_MS = 3000;

const NodeCounts = z.object({
  gemeente: z.string(),
  rijen: z.array(
    z.object({
      maand: z.string(),
      domein: z.string(),
      signalen: z.number().int(),
      clientmatches: z.number().int(),
      gezinsmatches: z.number().int(),
      opvolgbareMatches: z.number().int(),
      contactBinnenTermijn: z.number().int(),
    }),
  ),
  totalen: z.array(
    z.object({
      maand: z.string(),
      clientmatches: z.number().int(),
      gezinsmatches: z.number().int(),
      opvolgbareMatches: z.number().int(),
      contactBinnenTermijn: z.number().int(),
    }),
  ),
});
const IndexPosition = z.object({ gemeente: z.string(), indexVersie: z.number().nullable() });

type Raw = { signalen: number; clientmatches: number; gezinsmatches: number; opvolgbareMatches: number; contactBinnenTermijn: number };
const zero = (): Raw => ({ signalen: 0, clientmatches: 0, gezinsmatches: 0, opvolgbareMatches: 0, contactBinnenTermijn: 0 });
const METRICS = ["signalen", "clientmatches", "gezinsmatches", "opvolgbareMatches", "contactBinnenTermijn"] as const;

/** The whole region, and the total over domains or months. */
export const REGION = "regio";
export const ALL_DOMAINS = "alle";
export const WHOLE_YEAR = "jaar";

export interface FigureRow {
  gemeente: string;
  maand: string;
  domein: string;
  signalen: PublishedCount;
  clientmatches: PublishedCount;
  gezinsmatches: PublishedCount;
  /** Matches followed up in matchregie made at least the term ago, and of those the ones with contact within it. */
  opvolgbareMatches: PublishedCount;
  contactBinnenTermijn: PublishedCount;
  /** Share of those matches with contact within the term, in percent; null when it would reveal a small cell. */
  opvolgingPercentage: number | null;
}

export interface RegionFigures {
  jaar: number;
  opvolgtermijnDagen: number;
  maanden: string[];
  domeinen: string[];
  gemeenten: { code: string; naam: string; beantwoord: boolean }[];
  rijen: FigureRow[];
}

function rpcClient(ctx: HubContext): RpcClient {
  return createRpcClient({
    self: HUB_ID,
    keys: ctx.keys,
    trust: ctx.trust,
    transport: ctx.bus,
    replay: dbReplayGuard(ctx.db, ctx.t.ontvangenEvents),
    metrics: ctx.metrics,
    timeoutMs: ASK_TIMEOUT_MS,
    now: () => ctx.clock.now(),
  });
}

/** Family matches across gemeenten made by the hub, per month, gemeente and domain of a side (counts only). */
async function hubMatchCounts(ctx: HubContext, van: string, tot: string) {
  const s = sql.identifier(getTableConfig(ctx.t.hubMatches).schema ?? "public");
  return rowsOf<{ id: string; soort: string; maand: string; node_a: string; node_b: string; domein_a: string; domein_b: string }>(
    await ctx.db.execute(sql`
      select m.id, m.soort, to_char(m.aangemaakt_op at time zone 'Europe/Amsterdam', 'YYYY-MM') as maand,
             a.node as node_a, b.node as node_b, a.professional->>'domein' as domein_a, b.professional->>'domein' as domein_b
      from ${s}.hub_matches m
      join ${s}.index_signalen a on a.signaal_id = m.signaal_a and a.status <> 'verwijderd'
      join ${s}.index_signalen b on b.signaal_id = m.signaal_b and b.status <> 'verwijderd'
      where a.node <> b.node
        and to_char(m.aangemaakt_op at time zone 'Europe/Amsterdam', 'YYYY-MM') between ${van} and ${tot}`),
  );
}

/** The figures of one year for every gemeente and the region, per month and domain, suppressed. */
export async function regionFigures(ctx: HubContext, jaar: number, dagen = DEFAULT_FOLLOW_UP_DAYS): Promise<RegionFigures> {
  const maanden = Array.from({ length: 12 }, (_, i) => `${jaar}-${String(i + 1).padStart(2, "0")}`);
  const van = maanden[0]!;
  const tot = maanden[11]!;
  const nodes = await listNodes(ctx);
  const rpc = rpcClient(ctx);
  const answers = await Promise.all(
    nodes.map(async (n) => {
      try {
        const parsed = NodeCounts.safeParse(await rpc.call(n.code, "cijfers.opvragen", null, { van, tot, dagen }));
        if (!parsed.success || parsed.data.gemeente !== n.code) throw new Error("invalid figures");
        return { code: n.code, counts: parsed.data };
      } catch (e) {
        ctx.log.warn({ node: n.code, err: errorForLog(e) }, "no figures from node");
        return { code: n.code, counts: undefined };
      }
    }),
  );

  // Exact counts, only inside this function: key gemeente|maand|domein.
  const raw = new Map<string, Raw>();
  const at = (g: string, m: string, d: string) => {
    const k = `${g}|${m}|${d}`;
    let r = raw.get(k);
    if (!r) raw.set(k, (r = zero()));
    return r;
  };
  const add = (into: Raw, from: Partial<Raw>) => {
    for (const k of METRICS) into[k] += from[k] ?? 0;
  };
  const domains = new Set<string>();
  for (const a of answers) {
    if (!a.counts) continue;
    for (const r of a.counts.rijen) {
      domains.add(r.domein);
      for (const g of [a.code, REGION]) {
        add(at(g, r.maand, r.domein), r);
        add(at(g, WHOLE_YEAR, r.domein), r);
        // Signals add up over domains; a match is counted once in the total (below).
        add(at(g, r.maand, ALL_DOMAINS), { signalen: r.signalen });
        add(at(g, WHOLE_YEAR, ALL_DOMAINS), { signalen: r.signalen });
      }
    }
    for (const r of a.counts.totalen) {
      for (const g of [a.code, REGION]) {
        add(at(g, r.maand, ALL_DOMAINS), r);
        add(at(g, WHOLE_YEAR, ALL_DOMAINS), r);
      }
    }
  }
  for (const m of await hubMatchCounts(ctx, van, tot)) {
    const key = m.soort === "client" ? "clientmatches" : "gezinsmatches";
    const sides = [
      { node: m.node_a, domein: m.domein_a },
      { node: m.node_b, domein: m.domein_b },
    ];
    for (const month of [m.maand, WHOLE_YEAR]) {
      for (const g of new Set(sides.map((s) => s.node))) {
        at(g, month, ALL_DOMAINS)[key] += 1;
        for (const d of new Set(sides.filter((s) => s.node === g).map((s) => s.domein))) at(g, month, d)[key] += 1;
      }
      at(REGION, month, ALL_DOMAINS)[key] += 1;
      for (const d of new Set(sides.map((s) => s.domein))) at(REGION, month, d)[key] += 1;
    }
    for (const s of sides) domains.add(s.domein);
  }

  const domeinen = [...domains].sort();
  const rijen: FigureRow[] = [];
  for (const g of [REGION, ...nodes.map((n) => n.code)]) {
    for (const maand of [...maanden, WHOLE_YEAR]) {
      const parts = domeinen.map((d) => raw.get(`${g}|${maand}|${d}`) ?? zero());
      const total = raw.get(`${g}|${maand}|${ALL_DOMAINS}`) ?? zero();
      // Per metric: the domains as a group beside their published total (complementary suppression).
      const published = Object.fromEntries(METRICS.map((k) => [k, publishGroup(parts.map((p) => p[k]))])) as Record<(typeof METRICS)[number], PublishedCount[]>;
      rijen.push(row(g, maand, ALL_DOMAINS, total, Object.fromEntries(METRICS.map((k) => [k, publish(total[k])])) as never));
      domeinen.forEach((d, i) => {
        rijen.push(row(g, maand, d, parts[i]!, Object.fromEntries(METRICS.map((k) => [k, published[k][i]!])) as never));
      });
    }
  }
  return {
    jaar,
    opvolgtermijnDagen: dagen,
    maanden,
    domeinen,
    gemeenten: nodes.map((n) => ({ code: n.code, naam: n.naam, beantwoord: answers.some((a) => a.code === n.code && a.counts) })),
    rijen,
  };
}

function row(gemeente: string, maand: string, domein: string, exact: Raw, shown: Record<(typeof METRICS)[number], PublishedCount>): FigureRow {
  return {
    gemeente,
    maand,
    domein,
    ...shown,
    opvolgingPercentage: shown.opvolgbareMatches.aantal === null ? null : publishShare(exact.contactBinnenTermijn, exact.opvolgbareMatches),
  };
}

export type NodeHealth = "bereikbaar" | "achter" | "onbereikbaar";

export interface NodeHealthRow {
  code: string;
  naam: string;
  status: NodeHealth;
  laatstGezien: string | null;
  /** How far the hub's index of this node's signals is behind the node, in seconds; null when unknown. */
  indexAchterstandSeconden: number | null;
}

/**
 * The nodes' health as the convenantmanager sees it: reachable (readiness and the bus answer, index up to date),
 * lagging (the hub's index of its signals is behind by LAG_THRESHOLD_MS or more, or it answers HTTP but not the
 * bus), or unreachable.
 */
export async function nodeHealth(ctx: HubContext): Promise<NodeHealthRow[]> {
  const nodes = await listNodes(ctx);
  const s = sql.identifier(getTableConfig(ctx.t.indexSignalen).schema ?? "public");
  const indexed = new Map(
    rowsOf<{ node: string; v: string | null }>(await ctx.db.execute(sql`select node, max(versie)::text as v from ${s}.index_signalen group by node`)).map(
      (r) => [r.node, r.v == null ? null : Number(r.v)],
    ),
  );
  const rpc = rpcClient(ctx);
  return Promise.all(
    nodes.map(async (n): Promise<NodeHealthRow> => {
      let own: number | null | undefined;
      try {
        const parsed = IndexPosition.safeParse(await rpc.call(n.code, "index.stand", null, {}));
        if (parsed.success) own = parsed.data.indexVersie;
      } catch (e) {
        ctx.log.debug({ node: n.code, err: errorForLog(e) }, "node did not tell its index position");
      }
      const hub = indexed.get(n.code) ?? null;
      const lagMs = own === undefined ? null : own === null ? 0 : Math.max(0, own - (hub ?? 0));
      const status: NodeHealth =
        n.status !== "gereed" && own === undefined
          ? "onbereikbaar"
          : own === undefined || n.status !== "gereed" || (lagMs ?? 0) >= LAG_THRESHOLD_MS
            ? "achter"
            : "bereikbaar";
      return { code: n.code, naam: n.naam, status, laatstGezien: n.laatstGezien, indexAchterstandSeconden: lagMs === null ? null : Math.round(lagMs / 1000) };
    }),
  );
}
