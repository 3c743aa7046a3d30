/** What every use case of the node shares: the BRP call, and what happens after a commit. */
import { BrpError, type Persoon } from "@vi/brp";
import type { Db } from "@vi/db";
import type { YouthFacts } from "@vi/domain";
import type { NodeContext } from "../context";
import { problem } from "../problems";
import { auditLast } from "../store/audit";
import type { NoticeRow, RemovedNotice } from "../store/notices";

/**
 * Runs `work` in a transaction of the node's database with its audit rows appended at its end (auditLast,
 * store/audit.ts): the audit chain's lock, held to the commit, is then the last lock every transaction takes, so two
 * transactions cannot each hold a row the other wants while one of them waits for the chain (PostgreSQL's 40P01).
 * Every transaction of the node that may audit runs through here (test/node-transactions.test.ts); one that must read
 * its own audit rows appends them first with `auditNow`, and writes nothing after.
 */
export function transaction<T>(ctx: NodeContext, work: (tx: Db) => Promise<T>): Promise<T> {
  return ctx.db.transaction((tx) => auditLast(tx, ctx.t, () => work(tx)));
}

/** Runs a BRP call, translating its failures into the node's vocabulary. */
export async function fromBrp<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (e instanceof BrpError) {
      throw e.code === "BRP_ONBEREIKBAAR"
        ? problem("BRP_ONBEREIKBAAR", "De BRP is op dit moment niet bereikbaar. Probeer het over enkele minuten opnieuw.")
        : problem("BRP_FOUT", "De BRP gaf een onverwachte fout. Probeer het later opnieuw; blijft het misgaan, neem contact op met de beheerder.");
    }
    throw e;
  }
}

/** The youth as the BRP knows them now, or BSN_ONBEKEND_IN_BRP. */
export async function lookupYouth(ctx: NodeContext, bsn: string): Promise<Persoon> {
  const found = await fromBrp(() => ctx.brp.raadpleeg([bsn]));
  const persoon = found.get(bsn);
  if (!persoon) {
    throw problem(
      "BSN_ONBEKEND_IN_BRP",
      "Dit BSN is geldig, maar onbekend in de BRP. Controleer het nummer; een signaal kan alleen worden afgegeven op een jeugdige die in de BRP staat.",
      [{ name: "bsn", code: "BSN_ONBEKEND_IN_BRP", reason: "Onbekend in de BRP." }],
    );
  }
  return persoon;
}

/** After a commit: announce new and deleted meldingen and publish the outbox now. */
export function afterCommit(ctx: NodeContext, meldingen: NoticeRow[], removed: RemovedNotice[] = []): void {
  ctx.notifier.delivered(meldingen);
  ctx.notifier.removed(removed);
  ctx.fed?.relay.kick();
}

/** The youth's dates as the domain takes them: the BRP client's '' (a date the BRP does not know) becomes null; a death without a date is a death. */
export function youthFactsOf(persoon: Pick<Persoon, "geboortedatum" | "overlijdensdatum">): YouthFacts {
  return { birthDate: persoon.geboortedatum || null, deceasedOn: persoon.overlijdensdatum || null, deceased: persoon.overlijdensdatum !== null };
}
