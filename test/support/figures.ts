/**
 * The region's figures of one month counted straight from the databases (the nodes' schemas and the hub's), as the
 * tests of the convenantmanager's figures compare them with what the hub and the web publish.
 */
import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "@vi/db";
import { demoPersons, volledigeNaam } from "@vi/demo";
import { followUpOutcome } from "@vi/domain";

export interface MonthCounts {
  signalen: number;
  clientmatches: number;
  gezinsmatches: number;
  /**
   * Matches in a gemeente's matchregie (its own matches and its side of the hub's family matches across gemeenten)
   * made at least `dagen` days before the node's clock: their follow-up can be judged.
   */
  opvolgbareMatches: number;
  /** Of those, the ones whose first contact (`contact_op`) was recorded within `dagen` days. */
  contactBinnenTermijn: number;
}

export const FOLLOW_UP_DAYS = 14;

const month = (col: string) => `to_char(${col} at time zone 'Europe/Amsterdam', 'YYYY-MM')`;

async function count(db: Db, query: string): Promise<number> {
  const [row] = rowsOf<{ n: number }>(await db.execute(sql.raw(query)));
  return Number(row?.n ?? 0);
}

/** The counts of `maand` for each gemeente and for the region (key `regio`), over all domains. */
export async function countsFromDatabases(
  db: Db,
  gemeenten: string[],
  maand: string,
  opts: { hubSchema?: string; now: Date; dagen?: number },
): Promise<Map<string, MonthCounts>> {
  const hubSchema = opts.hubSchema ?? "hub";
  const dagen = opts.dagen ?? FOLLOW_UP_DAYS;
  const out = new Map<string, MonthCounts>();
  const region: MonthCounts = { signalen: 0, clientmatches: 0, gezinsmatches: 0, opvolgbareMatches: 0, contactBinnenTermijn: 0 };
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
      opvolgbareMatches: 0,
      contactBinnenTermijn: 0,
    };
    // The follow-up, from the two tables a node keeps it in, each row once.
    const followed = rowsOf<{ gemaakt: Date | string; contact: Date | string | null }>(
      await db.execute(
        sql.raw(`select m.aangemaakt_op as gemaakt, r.contact_op as contact from "${s}".matches m left join "${s}".matchregie r on r.match_id = m.id
                 where ${month("m.aangemaakt_op")} = '${maand}'
                 union all
                 select aangemaakt_op, contact_op from "${s}".regio_matches where ${month("aangemaakt_op")} = '${maand}'`),
      ),
    );
    for (const r of followed) {
      const outcome = followUpOutcome({ madeAt: new Date(r.gemaakt), contactAt: r.contact === null ? null : new Date(r.contact), now: opts.now, days: dagen });
      if (outcome === "te-vroeg") continue;
      c.opvolgbareMatches++;
      if (outcome === "binnen-termijn") c.contactBinnenTermijn++;
    }
    out.set(g, c);
    region.signalen += c.signalen;
    region.clientmatches += c.clientmatches;
    region.gezinsmatches += c.gezinsmatches - crossRows.filter((r) => r.a === g || r.b === g).length;
    region.opvolgbareMatches += c.opvolgbareMatches;
    region.contactBinnenTermijn += c.contactBinnenTermijn;
  }
  region.gezinsmatches += crossRows.length;
  out.set("regio", region);
  return out;
}

/** The share as the hub publishes it (percent, one decimal), or null when the part or the rest is a small count. */
export function shownShare(part: number, whole: number): number | null {
  const small = (n: number) => n > 0 && n < 5;
  if (whole < 5 || small(part) || small(whole - part)) return null;
  return Math.round((part / whole) * 1000) / 10;
}

/** A count as the convenantmanager may see it: 1 to 4 as "< 5". */
export const shown = (n: number): string => (n > 0 && n < 5 ? "< 5" : String(n));

/** Every fixture person's BSN and full name: none may appear on a page or in an answer of the convenantmanager. */
export function personTexts(today: string): string[] {
  return demoPersons(today).flatMap((p) => [p.bsn, volledigeNaam(p)]);
}

type Call = (code: string, who: string, method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>;

/**
 * Records follow-up on Amsterdam's own matches (not the hub's) as people would: its matchregisseur records contact on three matches and
 * sets one of them back to geen-contact (its first contact stays), a professional of a fourth records contact from
 * their own match list, the matchregisseur records contact on a fifth; then the term passes (the nodes' clock moves
 * `dagen` + 1 days) and contact on a sixth comes too late. Returns the ids, for the assertions.
 */
export async function recordFollowUp(
  call: Call,
  clock: { advanceDays(n: number): void },
  who: { regisseur: string; professional: string },
  dagen = FOLLOW_UP_DAYS,
): Promise<{ inTime: string[]; late: string }> {
  const list = await call("GM0363", who.regisseur, "GET", "/api/v1/matchregie/matches?aantal=500");
  if (list.status !== 200) throw new Error(`matchregie list: ${list.status}`);
  // Amsterdam's own matches: the hub's family matches across gemeenten (which may or may not have arrived yet) carry
  // the hub's time, not the nodes' test clock, so their term is not the one moved here.
  const matches = (list.body.matches as { id: string; tussenGemeenten: boolean; betrokkenen: { email: string }[] }[]).filter((m) => !m.tussenGemeenten);
  const own = matches.find((m) => m.betrokkenen.some((b) => b.email === who.professional));
  if (!own) throw new Error(`no match of ${who.professional} in Amsterdam's matchregie`);
  const others = matches.filter((m) => m.id !== own.id);
  if (others.length < 5) throw new Error(`too few matches to record follow-up: ${matches.length}`);
  const set = async (as: string, path: string, status: string) => {
    const res = await call("GM0363", as, "POST", path, { status });
    if (res.status !== 200) throw new Error(`${path} ${status}: ${res.status} ${JSON.stringify(res.body)}`);
  };
  const byRegisseur = (id: string, status: string) => set(who.regisseur, `/api/v1/matchregie/matches/${id}/status`, status);
  await byRegisseur(others[0]!.id, "contact-gelegd");
  await byRegisseur(others[1]!.id, "afgestemd");
  await byRegisseur(others[2]!.id, "contact-gelegd");
  await byRegisseur(others[2]!.id, "geen-contact");
  await set(who.professional, `/api/v1/matches/${own.id}/status`, "contact-gelegd");
  await byRegisseur(others[3]!.id, "regie-belegd");
  clock.advanceDays(dagen + 1);
  await byRegisseur(others[4]!.id, "contact-gelegd");
  return { inTime: [others[0]!.id, others[1]!.id, others[2]!.id, own.id, others[3]!.id], late: others[4]!.id };
}
