/**
 * The node's audit chain head to the hub (`auditketen.kop` on evt.auditketen.<GM>, sealed to the hub like every
 * other event, through the outbox): the anchor outside the node's database against which `npm run audit:verify`
 * finds rows removed from the end of the chain (docs/logging.md).
 */
import { type Db, enqueue } from "@vi/db";
import { sealEvent, subjects } from "@vi/events";
import type { NodeContext } from "../context";

export async function enqueueAuditHead(db: Db, ctx: NodeContext, head: { id: number; hash: string }, at: Date): Promise<boolean> {
  const fed = ctx.fed;
  if (!fed) return false;
  const { token, jti } = await sealEvent(fed.keys, fed.trust, {
    type: "auditketen.kop",
    aud: "hub",
    data: { node: ctx.gemeente.code, regelId: head.id, hash: head.hash, tijdstip: at.toISOString() },
  });
  await enqueue(db, ctx.t.outbox, [{ subject: subjects.auditketen(ctx.gemeente.code), token, msgId: jti }]);
  return true;
}
