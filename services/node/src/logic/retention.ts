/**
 * The retention job: archives signals whose end date passed, removes every
 * signal of a youth who turned 23 or died (not archived), purges the archive
 * after 5 years, and drops youths left without signals. Birth and death are
 * refreshed from the BRP first. Each decision comes from the domain's
 * retentionDecision; SQL only narrows the candidates.
 */
import { ARCHIVE_YEARS, addYears, MAX_AGE, retentionDecision, todayIn } from "@vi/domain";
import type { NodeContext } from "../context";
import { enqueueRefUpdates } from "../outbound/notices";
import { audit } from "../store/audit";
import { countYouths, refreshYouth, retentionCandidates, youthsWithStaleBrp } from "../store/retention";
import { deleteSignals, deleteYouthWithoutSignals, nextVersion, updateSignal } from "../store/signals";
import { eraseTraces } from "./erasure";
import { enqueueIndex, enqueueIndexDeleted } from "./index-sync";
import { afterCommit, fromBrp } from "./support";

export interface RetentionReport {
  brpVernieuwd: number;
  gearchiveerd: number;
  verwijderd: { "23-jaar": number; overleden: number; "archieftermijn-verstreken": number };
  jeugdigenVerwijderd: number;
}

const BRP_BATCH = 20;

/** Refreshes birth and death dates of youths whose BRP data is older than `maxAgeMs`. */
export async function refreshFromBrp(ctx: NodeContext, maxAgeMs: number): Promise<number> {
  const { t } = ctx;
  const stale = await youthsWithStaleBrp(ctx.db, t, new Date(ctx.clock.now().getTime() - maxAgeMs));
  let refreshed = 0;
  for (let i = 0; i < stale.length; i += BRP_BATCH) {
    const batch = stale.slice(i, i + BRP_BATCH);
    const found = await fromBrp(() => ctx.brp.raadpleeg(batch.map((b) => b.bsn)));
    const now = ctx.clock.now();
    for (const row of batch) {
      const p = found.get(row.bsn);
      if (!p) continue;
      await refreshYouth(ctx.db, t, row.id, {
        geboortedatum: p.geboortedatum,
        overlijdensdatum: p.overlijdensdatum,
        naam: p.naam.volledigeNaam,
        brpOpgehaaldOp: now,
      });
      refreshed++;
    }
  }
  return refreshed;
}

export async function runRetention(ctx: NodeContext, opts: { brpMaxAgeMs?: number } = {}): Promise<RetentionReport> {
  const { t } = ctx;
  const brpVernieuwd = await refreshFromBrp(ctx, opts.brpMaxAgeMs ?? 24 * 3600 * 1000);
  const today = todayIn(ctx.clock);
  const candidates = await retentionCandidates(ctx.db, t, {
    today,
    bornOnOrBefore: addYears(today, -MAX_AGE),
    archivedOnOrBefore: addYears(today, -ARCHIVE_YEARS),
  });

  const report: RetentionReport = {
    brpVernieuwd,
    gearchiveerd: 0,
    verwijderd: { "23-jaar": 0, overleden: 0, "archieftermijn-verstreken": 0 },
    jeugdigenVerwijderd: 0,
  };
  const toArchive: { id: string; jeugdigeId: string; entryNode: string; einddatum: string; archivedOn: string }[] = [];
  const toDelete: { id: string; jeugdigeId: string; entryNode: string; einddatum: string; reason: keyof RetentionReport["verwijderd"] }[] = [];
  for (const c of candidates) {
    const d = retentionDecision({
      today,
      youth: { birthDate: c.geboortedatum, deceasedOn: c.overlijdensdatum },
      status: c.status,
      einddatum: c.einddatum,
      archivedOn: c.gearchiveerdOp,
    });
    const base = { id: c.id, jeugdigeId: c.jeugdigeId, entryNode: c.entryNode, einddatum: c.einddatum };
    if (d.action === "archive") toArchive.push({ ...base, archivedOn: d.archivedOn });
    else if (d.action === "delete") toDelete.push({ ...base, reason: d.reason });
  }

  const removed = await ctx.db.transaction(async (tx) => {
    const now = ctx.clock.now();
    for (const a of toArchive) {
      await updateSignal(
        tx,
        t,
        a.id,
        { status: "gearchiveerd", gearchiveerdOp: a.archivedOn, archiefReden: "einddatum-verstreken", bijgewerktOp: now, versie: nextVersion(t, now) },
        { onlyIfActive: true },
      );
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
    let gone: Awaited<ReturnType<typeof eraseTraces>> = [];
    if (toDelete.length > 0) {
      gone = await eraseTraces(
        tx,
        ctx,
        toDelete.map((d) => d.id),
        now,
      );
      await enqueueIndexDeleted(
        tx,
        ctx,
        toDelete.map((d) => d.id),
        now.getTime(),
      );
      await deleteSignals(
        tx,
        t,
        toDelete.map((d) => d.id),
      );
    }
    report.gearchiveerd = toArchive.length;
    for (const d of toDelete) report.verwijderd[d.reason]++;
    const before = await countYouths(tx, t);
    await deleteYouthWithoutSignals(tx, t, [...new Set(toDelete.map((d) => d.jeugdigeId))]);
    report.jeugdigenVerwijderd = before - (await countYouths(tx, t));
    await audit(tx, t, [
      ...toArchive.map((a) => ({ actie: "signaal.verlopen" as const, actor: "systeem" as const, jeugdigeId: a.jeugdigeId, signaalId: a.id, at: now })),
      ...toDelete.map((d) => ({
        actie: "signaal.verwijderd" as const,
        actor: "systeem" as const,
        jeugdigeId: d.jeugdigeId,
        signaalId: d.id,
        at: now,
        details: { reden: d.reason },
      })),
    ]);
    return gone;
  });
  afterCommit(ctx, [], removed);
  ctx.log.info({ retentie: report }, "retention run finished");
  return report;
}
