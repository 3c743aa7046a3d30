/**
 * Counts for the region's figures (docs/adr/0031): per month (Europe/Amsterdam) and organisation domain, never a
 * row about a person. Signals and matches are counted as the index holds them now (a withdrawn or removed signal
 * leaves the figures with its matches); match notices and whether their professional opened them within N days
 * come from the notices and the audit log (`meldingen.gelezen`).
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
  /** Match notices to this node's professionals, and how many of those were opened within the term. */
  matchmeldingen: number;
  binnenTermijnGeopend: number;
}

export interface MonthTotal {
  maand: string;
  clientmatches: number;
  gezinsmatches: number;
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
  range: { van: string; tot: string; dagen: number },
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
  const notices = rowsOf<{ maand: string; domein: string; n: number; geopend: number }>(
    await db.execute(sql`
      with geopend as (
        select a.details->>'meldingId' as melding_id, min(a.tijdstip) as op
        from ${s}.audit_log a
        where a.actie = 'meldingen.gelezen' and a.tijdstip >= ${lo}
        group by 1
      )
      select ${month("me.aangemaakt_op")} as maand, o.domein, count(*)::int as n,
             (count(*) filter (where g.op <= me.aangemaakt_op + make_interval(days => ${range.dagen}::int)))::int as geopend
      from ${s}.meldingen me
      join ${s}.professionals p on p.id = me.professional_id
      join ${s}.organisaties o on o.id = p.organisatie_id
      left join geopend g on g.melding_id = me.id::text
      where me.soort = 'match' and me.aangemaakt_op >= ${lo} and me.aangemaakt_op < ${hi}
      group by 1, 2`),
  );

  const cells = new Map<string, DomainMonthCount>();
  const cell = (maand: string, domein: string) => {
    const key = `${maand}|${domein}`;
    let c = cells.get(key);
    if (!c) {
      c = { maand, domein, signalen: 0, clientmatches: 0, gezinsmatches: 0, matchmeldingen: 0, binnenTermijnGeopend: 0 };
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
  for (const r of notices) {
    const c = cell(r.maand, r.domein);
    c.matchmeldingen = Number(r.n);
    c.binnenTermijnGeopend = Number(r.geopend);
  }
  const totals = new Map<string, MonthTotal>();
  for (const r of matchTotals) {
    const tot = totals.get(r.maand) ?? { maand: r.maand, clientmatches: 0, gezinsmatches: 0 };
    if (r.soort === "client") tot.clientmatches = Number(r.n);
    else tot.gezinsmatches = Number(r.n);
    totals.set(r.maand, tot);
  }
  return { rijen: [...cells.values()], totalen: [...totals.values()] };
}

/** The newest version of this node's signals (ms since the epoch of the last change), null when it holds none. */
export async function newestSignalVersion(db: Db, t: NodeTables): Promise<number | null> {
  const [row] = rowsOf<{ v: string | null }>(await db.execute(sql`select max(${t.signalen.versie})::text as v from ${t.signalen}`));
  return row?.v == null ? null : Number(row.v);
}
