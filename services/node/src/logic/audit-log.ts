/**
 * The audit log as evidence: checking the node's hash chain (`npm run audit:verify`), and the export of every
 * audit row about one youth for a request under AVG art. 15 (the AVG desk's screen comes later; docs/logging.md).
 */
import type { Db, NodeTables } from "@vi/db";
import { auditRowsOfYouth, type ChainFinding, verifyAuditChain } from "../store/audit";
import { findYouthByBsn } from "../store/signals";

export type { ChainFinding };

export function checkAuditChain(db: Db, t: NodeTables): Promise<ChainFinding> {
  return verifyAuditChain(db, t);
}

export interface YouthAuditExport {
  bsn: string;
  /** False when this node holds no youth with this BSN (then there are no rows about them here either). */
  bekend: boolean;
  regels: {
    id: number;
    tijdstip: string;
    actie: string;
    actor: string;
    namens: string | null;
    signaalId: string | null;
    details: Record<string, unknown> | null;
    hash: string | null;
  }[];
}

/** Every audit row about the youth with this BSN (by their internal id and their signals), oldest first. */
export async function exportYouthAudit(db: Db, t: NodeTables, bsn: string): Promise<YouthAuditExport> {
  const youth = await findYouthByBsn(db, t, bsn);
  if (!youth) return { bsn, bekend: false, regels: [] };
  const rows = await auditRowsOfYouth(db, t, youth.id);
  return { bsn, bekend: true, regels: rows.map((r) => ({ ...r, tijdstip: r.tijdstip.toISOString() })) };
}
