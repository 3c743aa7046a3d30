/**
 * The region's figures of one month counted straight from the databases (the nodes' schemas and the hub's), as the
 * tests of the convenantmanager's figures compare them with what the hub and the web publish.
 */
import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "@vi/db";
import { demoPersons, volledigeNaam } from "@vi/demo";

export interface MonthCounts {
  signalen: number;
  clientmatches: number;
  gezinsmatches: number;
  matchmeldingen: number;
  /** Match notices whose professional opened them (an audit row `meldingen.gelezen` naming them) within 14 days. */
  binnenTermijnGeopend: number;
}

const month = (col: string) => `to_char(${col} at time zone 'Europe/Amsterdam', 'YYYY-MM')`;

async function count(db: Db, query: string): Promise<number> {
  const [row] = rowsOf<{ n: number }>(await db.execute(sql.raw(query)));
  return Number(row?.n ?? 0);
}

/** The counts of `maand` for each gemeente and for the region (key `regio`), over all domains. */
export async function countsFromDatabases(db: Db, gemeenten: string[], maand: string, hubSchema = "hub"): Promise<Map<string, MonthCounts>> {
  const out = new Map<string, MonthCounts>();
  const region: MonthCounts = { signalen: 0, clientmatches: 0, gezinsmatches: 0, matchmeldingen: 0, binnenTermijnGeopend: 0 };
  const crossRows = rowsOf<{ a: string; b: string }>(
    await db.execute(
      sql.raw(`select a.node as a, b.node as b from "${hubSchema}".hub_matches m
        join "${hubSchema}".index_signalen a on a.signaal_id = m.signaal_a and a.status <> 'verwijderd'
        join "${hubSchema}".index_signalen b on b.signaal_id = m.signaal_b and b.status <> 'verwijderd'
        where a.node <> b.node and ${month("m.aangemaakt_op")} = '${maand}'`),
    ),
  );
  for (const g of gemeenten) {
    const s = g.toLowerCase();
    const c: MonthCounts = {
      signalen: await count(db, `select count(*)::int as n from "${s}".signalen where ${month("geregistreerd_op")} = '${maand}'`),
      clientmatches: await count(db, `select count(*)::int as n from "${s}".matches where soort = 'client' and ${month("aangemaakt_op")} = '${maand}'`),
      gezinsmatches:
        (await count(db, `select count(*)::int as n from "${s}".matches where soort = 'gezin' and ${month("aangemaakt_op")} = '${maand}'`)) +
        crossRows.filter((r) => r.a === g || r.b === g).length,
      matchmeldingen: await count(db, `select count(*)::int as n from "${s}".meldingen where soort = 'match' and ${month("aangemaakt_op")} = '${maand}'`),
      binnenTermijnGeopend: await count(
        db,
        `select count(*)::int as n from "${s}".meldingen me where me.soort = 'match' and ${month("me.aangemaakt_op")} = '${maand}'
           and exists (select 1 from "${s}".audit_log a where a.actie = 'meldingen.gelezen' and a.details->>'meldingId' = me.id::text
                       and a.tijdstip <= me.aangemaakt_op + interval '14 days')`,
      ),
    };
    out.set(g, c);
    region.signalen += c.signalen;
    region.clientmatches += c.clientmatches;
    region.gezinsmatches += c.gezinsmatches - crossRows.filter((r) => r.a === g || r.b === g).length;
    region.matchmeldingen += c.matchmeldingen;
    region.binnenTermijnGeopend += c.binnenTermijnGeopend;
  }
  region.gezinsmatches += crossRows.length;
  out.set("regio", region);
  return out;
}

/** A count as the convenantmanager may see it: 1 to 4 as "< 5". */
export const shown = (n: number): string => (n > 0 && n < 5 ? "< 5" : String(n));

/** Every fixture person's BSN and full name: none may appear on a page or in an answer of the convenantmanager. */
export function personTexts(today: string): string[] {
  return demoPersons(today).flatMap((p) => [p.bsn, volledigeNaam(p)]);
}
