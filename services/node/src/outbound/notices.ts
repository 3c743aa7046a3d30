/**
 * Signed notices to other nodes, each encrypted to its receiver, written to the outbox in the transaction of
 * the change they announce: a match, a reminder of a match or a relocation for a professional who
 * registered through that node, the matches whose meldingen it deletes, and
 * the change of a signal it points to.
 */
import { enqueue, type Db } from "@vi/db";
import { type EventData, sealEvent, subjects } from "@vi/events";
import type { NodeContext } from "../context";
import { tracedData } from "./trace";
import { inOtherRegion } from "./cross-region";

type NoticeType = "match.melding" | "match.verwijderd" | "verhuizing.melding" | "match.herinnering" | "signaal.ref";
type Notice = { [T in NoticeType]: { type: T; to: string; data: EventData<T> } }[NoticeType];

export async function enqueueNotices(db: Db, ctx: NodeContext, notices: Notice[]): Promise<void> {
  const fed = ctx.fed;
  if (!fed || notices.length === 0) return;
  const events = [];
  const trace = tracedData();
  for (const n of notices) {
    const { token, jti } = await sealEvent<NoticeType>(fed.keys, fed.trust, { type: n.type, aud: n.to, data: { ...n.data, ...trace } });
    // To a node of another region: through the bridge and the national index (docs/adr/0042).
    const subject = inOtherRegion(ctx.region, n.to) ? subjects.extern(n.to, ctx.gemeente.code) : subjects.melding(n.to, ctx.gemeente.code);
    events.push({ subject, token, msgId: jti });
  }
  await enqueue(db, ctx.t.outbox, events);
}

/** Tells the entry node of each signal registered through another node how it changed. */
export async function enqueueRefUpdates(
  db: Db,
  ctx: NodeContext,
  signals: { id: string; entryNode: string; status: "actief" | "gearchiveerd" | "verwijderd"; einddatum: string }[],
): Promise<void> {
  await enqueueNotices(
    db,
    ctx,
    signals
      .filter((s) => s.entryNode !== ctx.gemeente.code)
      .map((s) => ({
        type: "signaal.ref" as const,
        to: s.entryNode,
        data: { signaalId: s.id, residentie: ctx.gemeente.code, status: s.status, einddatum: s.einddatum },
      })),
  );
}
