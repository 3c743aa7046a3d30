/** The retention job's queries: stale BRP data, and the signals a rule might apply to (SQL only narrows; the domain decides). */
import type { Db, NodeTables } from "@vi/db";
import { and, eq, isNotNull, lt, lte, or, sql } from "drizzle-orm";

export async function youthsWithStaleBrp(db: Db, t: NodeTables, olderThan: Date) {
  // A youth registered without a BSN has no BRP data to refresh (docs/adr/0038).
  return db
    .select({ id: t.jeugdigen.id, bsn: t.jeugdigen.bsn })
    .from(t.jeugdigen)
    .where(and(lte(t.jeugdigen.brpOpgehaaldOp, olderThan), eq(t.jeugdigen.zonderBsn, false)));
}

function retentionColumns(t: NodeTables) {
  return {
    id: t.signalen.id,
    jeugdigeId: t.signalen.jeugdigeId,
    entryNode: t.signalen.entryNode,
    status: t.signalen.status,
    einddatum: t.signalen.einddatum,
    gearchiveerdOp: t.signalen.gearchiveerdOp,
    geboortedatum: t.jeugdigen.geboortedatum,
    overlijdensdatum: t.jeugdigen.overlijdensdatum,
    overleden: t.jeugdigen.overleden,
  };
}

/**
 * Every signal of one youth as it is now, locked (FOR UPDATE) until the
 * transaction ends: the run decides on what it locked, so an extension
 * committed meanwhile is seen, and one that comes later waits.
 */
export async function lockSignalsOfYouth(db: Db, t: NodeTables, jeugdigeId: string) {
  // Locked on their own (FOR UPDATE OF takes no schema-qualified name), then read with the youth's data.
  await db.select({ id: t.signalen.id }).from(t.signalen).where(eq(t.signalen.jeugdigeId, jeugdigeId)).orderBy(t.signalen.id).for("update");
  return db
    .select(retentionColumns(t))
    .from(t.signalen)
    .innerJoin(t.jeugdigen, eq(t.jeugdigen.id, t.signalen.jeugdigeId))
    .where(eq(t.signalen.jeugdigeId, jeugdigeId))
    .orderBy(t.signalen.id);
}

export async function retentionCandidates(db: Db, t: NodeTables, input: { today: string; bornOnOrBefore: string; archivedOnOrBefore: string }) {
  return db
    .select({
      id: t.signalen.id,
      jeugdigeId: t.signalen.jeugdigeId,
      entryNode: t.signalen.entryNode,
      status: t.signalen.status,
      einddatum: t.signalen.einddatum,
      gearchiveerdOp: t.signalen.gearchiveerdOp,
      geboortedatum: t.jeugdigen.geboortedatum,
      overlijdensdatum: t.jeugdigen.overlijdensdatum,
      overleden: t.jeugdigen.overleden,
    })
    .from(t.signalen)
    .innerJoin(t.jeugdigen, eq(t.jeugdigen.id, t.signalen.jeugdigeId))
    .where(
      or(
        and(eq(t.signalen.status, "actief"), lt(t.signalen.einddatum, input.today)),
        // One day generous (leap-day birthdays): the domain decides exactly.
        sql`${t.jeugdigen.geboortedatum} <= (${input.bornOnOrBefore}::date + 1)`,
        isNotNull(t.jeugdigen.overlijdensdatum),
        eq(t.jeugdigen.overleden, true),
        and(eq(t.signalen.status, "gearchiveerd"), lte(t.signalen.gearchiveerdOp, input.archivedOnOrBefore)),
      ),
    );
}
