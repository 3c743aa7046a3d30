/**
 * Counts for the region's figures (docs/adr/0031): per month (Europe/Amsterdam) and organisation domain, never a
 * row about a person. Signals and matches are counted as the index holds them now (a withdrawn or removed signal
 * leaves the figures with its matches). The follow-up rate counts the matches this node follows up in its matchregie
 * (its own matches and its side of the hub's family matches across gemeenten, `regio_matches`) that are old enough
 * to judge (made at least N days ago), and of those the ones with contact recorded (`contact_op`) within N days.
 */
import { type Db, type NodeTables, rowsOf } from "@vi/db";
import { getTableConfig } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";

export interface DomainMonthCount {
  maand: string;
  domein: string;
  signalen: number;
  clientmatches: number;
  gezinsmatches: number;
  /** Matches in this node's matchregie made at least N days ago, and those with contact recorded within N days. */
  opvolgbareMatches: number;
  contactBinnenTermijn: number;
}

export interface MonthTotal {
  maand: string;
  clientmatches: number;
  gezinsmatches: number;
  /** As in DomainMonthCount, each match once. */
  opvolgbareMatches: number;
  contactBinnenTermijn: number;
}

const TZ = "Europe/Amsterdam";

/** `[from, to)` as timestamps: the first moment of month `van` and of the month after `tot`, in Amsterdam time. */
function bounds(van: string, tot: string) {
  const [y, m] = tot.split("-").map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
  return { from: `${van}-01 00:00:00`, to: `${next}-01 00:00:00` };
}

export async function countsByMonthAndDomain(
  db: Db,
  t: NodeTables,
  range: { van: string; tot: string; dagen: number; now: Date },
): Promise<{ rijen: DomainMonthCount[]; totalen: MonthTotal[] }> {
  const s = sql.identifier(getTableConfig(t.signalen).schema ?? "public");
  const { from, to } = bounds(range.van, range.tot);
  const lo = sql`(${from}::timestamp at time zone ${TZ})`;
  const hi = sql`(${to}::timestamp at time zone ${TZ})`;
  const month = (col: string) => sql`to_char(${sql.raw(col)} at time zone ${TZ}, 'YYYY-MM')`;

  const signals = rowsOf<{ maand: string; domein: string; n: number }>(
    await db.execute(sql`
      select ${month("s.geregistreerd_op")} as maand, o.domein, count(*)::int as n
      from ${s}.signalen s join ${s}.organisaties o on o.id = s.organisatie_id
      where s.geregistreerd_op >= ${lo} and s.geregistreerd_op < ${hi}
      group by 1, 2`),
  );
  // A match is counted once for each domain taking part in it (so a domain's figure is "matches it was part of").
  const matchesByDomain = rowsOf<{ maand: string; domein: string; soort: string; n: number }>(
    await db.execute(sql`
      select ${month("m.aangemaakt_op")} as maand, o.domein, m.soort, count(distinct m.id)::int as n
      from ${s}.matches m
      join ${s}.signalen x on x.id = m.signaal_a or x.id = m.signaal_b
      join ${s}.organisaties o on o.id = x.organisatie_id
      where m.aangemaakt_op >= ${lo} and m.aangemaakt_op < ${hi}
      group by 1, 2, 3`),
  );
  const matchTotals = rowsOf<{ maand: string; soort: string; n: number }>(
    await db.execute(sql`
      select ${month("m.aangemaakt_op")} as maand, m.soort, count(*)::int as n
      from ${s}.matches m
      where m.aangemaakt_op >= ${lo} and m.aangemaakt_op < ${hi}
      group by 1, 2`),
  );
  // The matches this node follows up: its own (with their matchregie) and its side of the hub's family matches.
  const followed = sql`
      select m.id, m.aangemaakt_op, r.contact_op, array[m.signaal_a, m.signaal_b] as sigs, null::text as ander_domein
        from ${s}.matches m left join ${s}.matchregie r on r.match_id = m.id
      union all
      select rm.id, rm.aangemaakt_op, rm.contact_op, array[rm.signaal_id], rm.ander->>'domein'
        from ${s}.regio_matches rm`;
  const judged = sql`f.aangemaakt_op >= ${lo} and f.aangemaakt_op < ${hi}
        and f.aangemaakt_op <= ${range.now.toISOString()}::timestamptz - make_interval(days => ${range.dagen}::int)`;
  const inTime = sql`f.contact_op is not null and f.contact_op <= f.aangemaakt_op + make_interval(days => ${range.dagen}::int)`;
  const followUp = rowsOf<{ maand: string; domein: string; n: number; c: number }>(
    await db.execute(sql`
      with f as (${followed}),
      d as (
        select f.*, o.domein from f
          join ${s}.signalen x on x.id = any(f.sigs)
          join ${s}.organisaties o on o.id = x.organisatie_id
        union all
        select f.*, f.ander_domein from f where f.ander_domein is not null
      )
      select ${month("f.aangemaakt_op")} as maand, f.domein, count(distinct f.id)::int as n,
             (count(distinct f.id) filter (where ${inTime}))::int as c
      from d f
      where ${judged}
      group by 1, 2`),
  );
  const followUpTotals = rowsOf<{ maand: string; n: number; c: number }>(
    await db.execute(sql`
      with f as (${followed})
      select ${month("f.aangemaakt_op")} as maand, count(*)::int as n, (count(*) filter (where ${inTime}))::int as c
      from f
      where ${judged}
      group by 1`),
  );

  const cells = new Map<string, DomainMonthCount>();
  const cell = (maand: string, domein: string) => {
    const key = `${maand}|${domein}`;
    let c = cells.get(key);
    if (!c) {
      c = { maand, domein, signalen: 0, clientmatches: 0, gezinsmatches: 0, opvolgbareMatches: 0, contactBinnenTermijn: 0 };
      cells.set(key, c);
    }
    return c;
  };
  for (const r of signals) cell(r.maand, r.domein).signalen = Number(r.n);
  for (const r of matchesByDomain) {
    const c = cell(r.maand, r.domein);
    if (r.soort === "client") c.clientmatches = Number(r.n);
    else c.gezinsmatches = Number(r.n);
  }
  for (const r of followUp) {
    const c = cell(r.maand, r.domein);
    c.opvolgbareMatches = Number(r.n);
    c.contactBinnenTermijn = Number(r.c);
  }
  const totals = new Map<string, MonthTotal>();
  const total = (maand: string) => {
    let tot = totals.get(maand);
    if (!tot) totals.set(maand, (tot = { maand, clientmatches: 0, gezinsmatches: 0, opvolgbareMatches: 0, contactBinnenTermijn: 0 }));
    return tot;
  };
  for (const r of matchTotals) {
    if (r.soort === "client") total(r.maand).clientmatches = Number(r.n);
    else total(r.maand).gezinsmatches = Number(r.n);
  }
  for (const r of followUpTotals) {
    total(r.maand).opvolgbareMatches = Number(r.n);
    total(r.maand).contactBinnenTermijn = Number(r.c);
  }
  return { rijen: [...cells.values()], totalen: [...totals.values()] };
}

/** The newest version of this node's signals (ms since the epoch of the last change), null when it holds none. */
export async function newestSignalVersion(db: Db, t: NodeTables): Promise<number | null> {
  const [row] = rowsOf<{ v: string | null }>(await db.execute(sql`select max(${t.signalen.versie})::text as v from ${t.signalen}`));
  return row?.v == null ? null : Number(row.v);
}
