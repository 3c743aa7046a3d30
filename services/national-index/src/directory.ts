/**
 * The bridges' directory and the verwijsindexservicenummers.
 *
 * - A bridge's certificate (the key the other regions encrypt contact details to) is recorded when it calls; the
 *   directory lists every known bridge, so a bridge encrypts to all the others.
 * - A verwijsindexservicenummer (Besluit Jeugdwet ch. 7) is given per national pseudonym of a youth's normalised
 *   facts: the same facts always give the same number (the pseudonym -> number is stored; the facts themselves
 *   never reach this service). A number is nine digits and passes the elfproef, so it fits where a BSN fits.
 */
import { randomInt } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import type { NationalContext } from "./context";

const seen = new WeakMap<NationalContext, Map<string, string>>();

/** Records the certificate a bridge presented (only when it changed). */
export async function recordBridge(ctx: NationalContext, regio: string, oin: string, certPem: string): Promise<void> {
  let known = seen.get(ctx);
  if (!known) seen.set(ctx, (known = new Map()));
  if (known.get(regio) === certPem) return;
  const now = ctx.now();
  await ctx.db
    .insert(ctx.t.bruggen)
    .values({ regio, oin, certificaat: certPem, gezienOp: now })
    .onConflictDoUpdate({ target: ctx.t.bruggen.regio, set: { oin, certificaat: certPem, gezienOp: now } });
  known.set(regio, certPem);
}

export async function listBridges(ctx: NationalContext): Promise<Array<{ regio: string; oin: string; certificaat: string }>> {
  const b = ctx.t.bruggen;
  return ctx.db.select({ regio: b.regio, oin: b.oin, certificaat: b.certificaat }).from(b).orderBy(b.regio);
}

function passesElfproef(n: string): boolean {
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(n[i]) * (9 - i);
  sum -= Number(n[8]);
  return sum % 11 === 0 && n !== "000000000";
}

function candidate(): string {
  for (;;) {
    const n = String(randomInt(100_000_000, 1_000_000_000));
    if (passesElfproef(n)) return n;
  }
}

export async function vsnOf(ctx: NationalContext, feiten: string): Promise<string> {
  const v = ctx.t.vsn;
  for (let attempt = 0; attempt < 10; attempt++) {
    const [known] = await ctx.db.select({ nummer: v.nummer }).from(v).where(eq(v.feiten, feiten));
    if (known) return known.nummer;
    // A number taken by other facts (unique) or the facts taken by a concurrent request: read again.
    const inserted = await ctx.db
      .insert(v)
      .values({ feiten, nummer: candidate(), aangemaaktOp: ctx.now() })
      .onConflictDoNothing()
      .returning({ nummer: v.nummer });
    if (inserted[0]) return inserted[0].nummer;
  }
  throw new Error("no verwijsindexservicenummer could be given");
}

export async function countVsn(ctx: NationalContext): Promise<number> {
  const [r] = await ctx.db.select({ n: sql<number>`count(*)::int` }).from(ctx.t.vsn);
  return r?.n ?? 0;
}
