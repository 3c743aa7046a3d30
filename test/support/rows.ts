import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "@vi/db";

/** Counts of what a node has stored, to assert that refused input changed nothing. */
export async function stored(db: Db, gemeente: string): Promise<{ signalen: number; jeugdigen: number; matches: number; audit: number }> {
  const s = gemeente.toLowerCase();
  const [row] = rowsOf<{ signalen: number; jeugdigen: number; matches: number; audit: number }>(
    await db.execute(
      sql.raw(`select
        (select count(*)::int from "${s}".signalen) as signalen,
        (select count(*)::int from "${s}".jeugdigen) as jeugdigen,
        (select count(*)::int from "${s}".matches) as matches,
        (select count(*)::int from "${s}".audit_log) as audit`),
    ),
  );
  return row!;
}
