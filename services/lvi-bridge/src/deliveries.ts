/**
 * What the national index delivers (POST /api/v1/landelijke-berichten): cross-region matches and their removal,
 * turned into the region's own events for the entry nodes (`match.melding`, `match.verwijderd` on
 * `evt.melding.<GM>.brug`), so the professionals are told and mailed as for a match the hub made. Idempotent on the
 * match id (a delivery repeated after a lost acknowledgement changes nothing); a removal that arrives first leaves
 * a tombstone, so the late notice of a removed match is not shown.
 */
import { eq, inArray } from "drizzle-orm";
import { enqueue } from "@vi/db";
import { BRUG, type EventData, sealEvent, subjects } from "@vi/events";
import type { Bericht } from "@vi/national-index";
import { type Contact, decryptContact } from "./contact";
import type { BridgeContext } from "./context";

export async function receiveBerichten(ctx: BridgeContext, berichten: Bericht[]): Promise<{ meldingen: number; verwijderd: number }> {
  // Decrypted before the transaction: a bad JWE refuses the whole delivery (the national index retries it).
  type Opened = { b: Bericht; eigen?: Contact; ander?: Contact };
  const opened: Opened[] = [];
  for (const b of berichten) {
    if (b.soort === "melding") opened.push({ b, eigen: await decryptContact(ctx, b.eigen.contact), ander: await decryptContact(ctx, b.ander.contact) });
    else opened.push({ b });
  }
  const result = await ctx.db.transaction(async (tx) => {
    const m = ctx.t.matches;
    let meldingen = 0;
    let verwijderd = 0;
    let doorgestuurd = 0;
    const events: Array<{ subject: string; token: string; msgId: string }> = [];
    const now = ctx.now();
    for (const o of opened) {
      if (o.b.soort === "doorgestuurd") {
        // A node's sealed notice from another region (docs/adr/0042): put on the bus for the node, unopened. The
        // node checks that a node of another region signed it; its replay check drops a repeated delivery.
        if (!ctx.gemeenten.has(o.b.aan)) {
          ctx.log.warn({ aan: o.b.aan }, "forwarded notice for a gemeente outside the region; dropped");
          continue;
        }
        events.push({ subject: subjects.melding(o.b.aan, BRUG), token: o.b.token, msgId: o.b.id });
        doorgestuurd++;
      } else if (o.b.soort === "melding") {
        const b = o.b;
        const eigen = o.eigen!;
        const ander = o.ander!;
        if (eigen.signaalId !== b.eigen.signaalId) throw new Error("the contact details belong to another signal");
        if (!ctx.gemeenten.has(eigen.entryNode)) {
          // Registered through a node of another region (docs/adr/0042): the bridge cannot seal to it, nor could that
          // node verify the bridge. Recorded (idempotence) and not told; never a refusal that would hold up the queue.
          await tx.insert(m).values({ matchId: b.matchId, entryNode: null, ontvangenOp: now }).onConflictDoNothing();
          ctx.log.warn({ matchId: b.matchId }, "national match for a professional of another region's node; not told");
          continue;
        }
        const inserted = await tx
          .insert(m)
          .values({ matchId: b.matchId, entryNode: eigen.entryNode, ontvangenOp: now })
          .onConflictDoNothing()
          .returning({ matchId: m.matchId });
        if (inserted.length === 0) continue;
        const p = ander.professional;
        const data: EventData<"match.melding"> = {
          matchId: b.matchId,
          soort: b.matchSoort,
          viaArchief: b.viaArchief,
          aangemaaktOp: b.aangemaaktOp,
          voor: { email: eigen.professional.email, signaalId: eigen.signaalId },
          betrokkene: {
            naam: p.naam,
            functie: p.functie,
            organisatie: p.organisatie,
            domein: p.domein,
            telefoon: p.telefoon,
            email: p.email,
            eerderBetrokken: b.ander.eerderBetrokken,
          },
        };
        const { token, jti } = await sealEvent(ctx.keys, ctx.trust, { type: "match.melding", aud: eigen.entryNode, data });
        events.push({ subject: subjects.melding(eigen.entryNode, BRUG), token, msgId: jti });
        meldingen++;
      } else {
        const ids = o.b.matchIds;
        const known = await tx.select().from(m).where(inArray(m.matchId, ids));
        const byNode = new Map<string, string[]>();
        for (const k of known) if (k.entryNode && ctx.gemeenten.has(k.entryNode)) byNode.set(k.entryNode, [...(byNode.get(k.entryNode) ?? []), k.matchId]);
        for (const [node, matchIds] of byNode) {
          const { token, jti } = await sealEvent(ctx.keys, ctx.trust, { type: "match.verwijderd", aud: node, data: { matchIds: matchIds.sort() } });
          events.push({ subject: subjects.melding(node, BRUG), token, msgId: jti });
        }
        for (const id of ids) {
          if (known.some((k) => k.matchId === id)) await tx.update(m).set({ entryNode: null, verwijderdOp: now }).where(eq(m.matchId, id));
          else await tx.insert(m).values({ matchId: id, entryNode: null, ontvangenOp: now, verwijderdOp: now }).onConflictDoNothing();
        }
        verwijderd += ids.length;
      }
    }
    await enqueue(tx, ctx.t.outbox, events);
    return { meldingen, verwijderd, doorgestuurd };
  });
  ctx.figures.received += berichten.length;
  ctx.figures.meldingen += result.meldingen;
  ctx.figures.verwijderd += result.verwijderd;
  ctx.figures.doorgestuurd += result.doorgestuurd;
  ctx.relay.kick();
  return { meldingen: result.meldingen, verwijderd: result.verwijderd };
}
