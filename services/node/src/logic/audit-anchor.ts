/**
 * Anchoring the audit chain at the hub (issue 9 item 6, docs/logging.md, docs/adr/0026): every
 * AUDIT_ANKER_INTERVAL_SECONDEN the node reads its chain head and, when it moved since the last one it sent,
 * publishes it to the hub. The hub keeps every head; a chain whose rows after an anchored head were removed no
 * longer holds that head, which `npm run audit:verify` reports.
 */
import type { NodeContext } from "../context";
import { enqueueAuditHead } from "../outbound/audit-anchor";
import { auditChainHead } from "../store/audit";

export type AnchorOutcome = { outcome: "verstuurd"; regelId: number } | { outcome: "ongewijzigd" | "leeg" | "niet-verbonden" };

/** The anchoring of one node process: it remembers the head it last sent, so an unchanged head is not sent again. */
export function auditAnchor(ctx: NodeContext): () => Promise<AnchorOutcome> {
  let sent: { id: number; hash: string } | undefined;
  return async () => {
    if (!ctx.fed) return { outcome: "niet-verbonden" };
    const head = await auditChainHead(ctx.db, ctx.t);
    if (!head) return { outcome: "leeg" };
    if (sent && sent.id === head.id && sent.hash === head.hash) return { outcome: "ongewijzigd" };
    await enqueueAuditHead(ctx.db, ctx, head, ctx.clock.now());
    ctx.fed.relay.kick();
    sent = head;
    return { outcome: "verstuurd", regelId: head.id };
  };
}
