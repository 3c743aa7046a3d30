/**
 * The retention job: archives signals whose end date passed, removes every
 * signal of a youth who turned 23 or died (not archived; a death the BRP
 * records without a date counts), purges the archive after 5 years, and drops
 * youths left without signals. The youths' BRP data is refreshed first. Each
 * decision comes from the domain's retentionDecision; SQL only narrows the
 * candidates.
 *
 * One bad record never stops the run: each youth is refreshed, and each
 * youth's signals are handled, on their own; a failure is logged (by internal
 * id, the error without personal data) and counted in `mislukt`, and the run
 * goes on with the next.
 */
import { ARCHIVE_YEARS, addYears, MAX_AGE, type RetentionAction, retentionDecision, todayIn } from "@vi/domain";
import { errorForLog } from "@vi/service";
import type { NodeContext } from "../context";
import { enqueueRefUpdates } from "../outbound/notices";
import { audit, cutAuditStart } from "../store/audit";
import type { RemovedNotice } from "../store/notices";
import { lockSignalsOfYouth, retentionCandidates, youthsWithStaleBrp } from "../store/retention";
import { deleteSignals, deleteYouthWithoutSignals, nextVersion, updateSignal } from "../store/signals";
import { eraseTraces } from "./erasure";
import { refreshYouthFacts } from "./family-facts";
import { enqueueIndex, enqueueIndexDeleted } from "./index-sync";
import { afterCommit, fromBrp, transaction } from "./support";

export interface RetentionReport {
  brpVernieuwd: number;
  gearchiveerd: number;
  verwijderd: { "23-jaar": number; overleden: number; "archieftermijn-verstreken": number };
  jeugdigenVerwijderd: number;
  /** Youths whose refresh or whose signals failed in this run (logged; retried on the next run). */
  mislukt: number;
  /** Audit rows older than AUDIT_BEWAARTERMIJN_JAREN removed from the start of the chain. */
  auditRegelsVerwijderd: number;
}

const BRP_BATCH = 20;

/** Refreshes the BRP data of youths whose data is older than `maxAgeMs`; a youth that fails is logged and counted, the others go on. */
export async function refreshFromBrp(ctx: NodeContext, maxAgeMs: number): Promise<{ refreshed: number; failed: number }> {
  const { t } = ctx;
  const stale = await youthsWithStaleBrp(ctx.db, t, new Date(ctx.clock.now().getTime() - maxAgeMs));
  let refreshed = 0;
  let failed = 0;
  for (let i = 0; i < stale.length; i += BRP_BATCH) {
    const batch = stale.slice(i, i + BRP_BATCH);
    const found = await fromBrp(() => ctx.brp.raadpleeg(batch.map((b) => b.bsn)));
    for (const row of batch) {
      const p = found.get(row.bsn);
      if (!p) continue;
      try {
        // Everything the BRP holds now (a date of birth it no longer gives is kept); a changed family is matched again.
        await refreshYouthFacts(ctx, row.id, p, "verversing");
        refreshed++;
      } catch (e) {
        failed++;
        ctx.log.error({ err: errorForLog(e), jeugdigeId: row.id }, "refreshing one youth from the BRP failed; the run goes on");
      }
    }
  }
  return { refreshed, failed };
}

export async function runRetention(ctx: NodeContext, opts: { brpMaxAgeMs?: number } = {}): Promise<RetentionReport> {
  const { t } = ctx;
  const refresh = await refreshFromBrp(ctx, opts.brpMaxAgeMs ?? 24 * 3600 * 1000);
  const today = todayIn(ctx.clock);
  const candidates = await retentionCandidates(ctx.db, t, {
    today,
    bornOnOrBefore: addYears(today, -MAX_AGE),
    archivedOnOrBefore: addYears(today, -ARCHIVE_YEARS),
  });
  const report: RetentionReport = {
    brpVernieuwd: refresh.refreshed,
    gearchiveerd: 0,
    verwijderd: { "23-jaar": 0, overleden: 0, "archieftermijn-verstreken": 0 },
    jeugdigenVerwijderd: 0,
    mislukt: refresh.failed,
    auditRegelsVerwijderd: 0,
  };
  // The candidates only say which youths to look at; each youth's signals are decided on under a lock.
  for (const jeugdigeId of new Set(candidates.map((c) => c.jeugdigeId))) {
    try {
      const done = await retainYouth(ctx, jeugdigeId, today);
      report.gearchiveerd += done.archived;
      for (const reason of done.deleted) report.verwijderd[reason]++;
      report.jeugdigenVerwijderd += done.youthGone ? 1 : 0;
      afterCommit(ctx, [], done.removed);
    } catch (e) {
      report.mislukt++;
      ctx.log.error({ err: errorForLog(e), jeugdigeId }, "retention failed for one youth; the run goes on");
    }
  }
  try {
    report.auditRegelsVerwijderd = await retainAuditRows(ctx);
  } catch (e) {
    ctx.log.error({ err: errorForLog(e) }, "removing old audit rows failed; tried again on the next run");
  }
  ctx.fed?.relay.kick();
  ctx.log.info({ retentie: report }, "retention run finished");
  return report;
}

/**
 * The audit rows older than the term go from the start of the chain in one cut, and a row `auditlog.ingekort`
 * records the last row removed and its hash, where the remaining chain starts (docs/logging.md). The term is
 * counted in calendar years from the row's time, in the node's clock.
 */
async function retainAuditRows(ctx: NodeContext): Promise<number> {
  const years = ctx.auditBewaartermijnJaren ?? 0;
  if (years <= 0) return 0;
  const now = ctx.clock.now();
  const before = new Date(now);
  before.setUTCFullYear(before.getUTCFullYear() - years);
  return transaction(ctx, async (tx) => {
    const cut = await cutAuditStart(tx, ctx.t, before);
    if (!cut) return 0;
    await audit(tx, ctx.t, { actie: "auditlog.ingekort", actor: "systeem", at: now, details: { ...cut, bewaartermijnJaren: years } });
    return cut.aantal;
  });
}

type Deleted = Extract<RetentionAction, { action: "delete" }>["reason"];

/**
 * One youth's signals, in one transaction: they are locked and read again
 * first, and the domain decides on what was read under the lock (the
 * candidates only said which youths to look at). So a signal extended while
 * the run was under way is never archived by it.
 */
async function retainYouth(
  ctx: NodeContext,
  jeugdigeId: string,
  today: string,
): Promise<{ archived: number; deleted: Deleted[]; youthGone: boolean; removed: RemovedNotice[] }> {
  const { t } = ctx;
  return transaction(ctx, async (tx) => {
    const rows = await lockSignalsOfYouth(tx, t, jeugdigeId);
    const toArchive: { id: string; entryNode: string; einddatum: string; archivedOn: string }[] = [];
    const toDelete: { id: string; entryNode: string; einddatum: string; reason: Deleted }[] = [];
    for (const c of rows) {
      const d = retentionDecision({
        today,
        youth: { birthDate: c.geboortedatum, deceasedOn: c.overlijdensdatum, deceased: c.overleden },
        status: c.status,
        einddatum: c.einddatum,
        archivedOn: c.gearchiveerdOp,
      });
      const base = { id: c.id, entryNode: c.entryNode, einddatum: c.einddatum };
      if (d.action === "archive") toArchive.push({ ...base, archivedOn: d.archivedOn });
      else if (d.action === "delete") toDelete.push({ ...base, reason: d.reason });
    }
    if (toArchive.length === 0 && toDelete.length === 0) return { archived: 0, deleted: [], youthGone: false, removed: [] };
    const now = ctx.clock.now();
    for (const a of toArchive) {
      await updateSignal(tx, t, a.id, {
        status: "gearchiveerd",
        gearchiveerdOp: a.archivedOn,
        archiefReden: "einddatum-verstreken",
        bijgewerktOp: now,
        versie: nextVersion(t, now),
      });
    }
    await enqueueIndex(
      tx,
      ctx,
      toArchive.map((a) => a.id),
    );
    await enqueueRefUpdates(tx, ctx, [
      ...toArchive.map((a) => ({ id: a.id, entryNode: a.entryNode, status: "gearchiveerd" as const, einddatum: a.einddatum })),
      ...toDelete.map((d) => ({ id: d.id, entryNode: d.entryNode, status: "verwijderd" as const, einddatum: d.einddatum })),
    ]);
    let removed: RemovedNotice[] = [];
    const deleteIds = toDelete.map((d) => d.id);
    if (deleteIds.length > 0) {
      removed = await eraseTraces(tx, ctx, deleteIds, now);
      await enqueueIndexDeleted(tx, ctx, deleteIds, now.getTime());
      await deleteSignals(tx, t, deleteIds);
    }
    const youthGone = (await deleteYouthWithoutSignals(tx, t, [jeugdigeId])) > 0;
    await audit(tx, t, [
      ...toArchive.map((a) => ({ actie: "signaal.verlopen" as const, actor: "systeem" as const, jeugdigeId, signaalId: a.id, at: now })),
      ...toDelete.map((d) => ({
        actie: "signaal.verwijderd" as const,
        actor: "systeem" as const,
        jeugdigeId,
        signaalId: d.id,
        at: now,
        details: { reden: d.reason },
      })),
    ]);
    return { archived: toArchive.length, deleted: toDelete.map((d) => d.reason), youthGone, removed };
  });
}
