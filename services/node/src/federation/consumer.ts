/**
 * Consumes what other nodes and the hub send this node: match and relocation
 * notices for its professionals, and updates of signals it points to.
 * Verification, the replay check and the change share one transaction, so a
 * crash redelivers the event and nothing is applied twice.
 */
import { and, eq } from "drizzle-orm";
import { dbReplayGuard } from "@vi/db";
import { EventRejected, prefetchKey, verifyEvent } from "@vi/events";
import { gemeenteByCode } from "@vi/demo";
import type { NodeContext } from "../context";
import { audit } from "../logic/audit";
import { afterCommit } from "../logic/signalen";
import { subjects } from "./federation";
import { insertMeldingen, type MeldingRow } from "./notifier";

export async function startMeldingConsumer(ctx: NodeContext) {
  const fed = ctx.fed!;
  const { t } = ctx;
  return fed.bus.consume(
    { durable: `node-${ctx.gemeente.code}-melding`, filterSubjects: [subjects.melding(ctx.gemeente.code)], maxDeliver: 8 },
    async (msg) => {
      let inserted: MeldingRow[] = [];
      // Outside the transaction: a registry refetch must not wait on a held connection.
      await prefetchKey(msg.data, fed.trust);
      await ctx.db.transaction(async (tx) => {
        let ev;
        try {
          ev = await verifyEvent(msg.data, {
            trust: fed.trust,
            audience: ctx.gemeente.code,
            replay: dbReplayGuard(tx, t.ontvangenEvents),
            metrics: fed.metrics,
            expect: ["match.melding", "verhuizing.melding", "signaal.ref"],
          });
        } catch (e) {
          if (e instanceof EventRejected) {
            ctx.log.warn({ reason: e.reason, subject: msg.subject }, "event rejected");
            return;
          }
          throw e;
        }
        const now = ctx.clock.now();
        if (ev.type === "signaal.ref") {
          const d = ev.data as {
            signaalId: string;
            residentie: string;
            status: "actief" | "gearchiveerd" | "verwijderd";
            einddatum: string;
            voor?: { email: string };
            signaal?: Record<string, unknown>;
          };
          const [ref] = await tx.select().from(t.signaalRefs).where(eq(t.signaalRefs.signaalId, d.signaalId));
          if (!ref) {
            // A registration whose reply never reached this node: create the pointer now.
            if (d.status !== "actief" || !d.voor || !d.signaal) return;
            const [prof] = await tx
              .select({ id: t.professionals.id })
              .from(t.professionals)
              .where(and(eq(t.professionals.email, d.voor.email.toLowerCase()), eq(t.professionals.lokaal, true)));
            if (!prof) return;
            const jeugdige = d.signaal.jeugdige as { naam?: string } | undefined;
            await tx
              .insert(t.signaalRefs)
              .values({
                signaalId: d.signaalId,
                professionalId: prof.id,
                residentie: d.residentie,
                status: "actief",
                jeugdigeNaam: String(jeugdige?.naam ?? ""),
                signaal: d.signaal,
                bijgewerktOp: now,
              })
              .onConflictDoNothing();
            return;
          }
          if (d.status === "verwijderd") {
            await tx.delete(t.signaalRefs).where(eq(t.signaalRefs.signaalId, d.signaalId));
          } else {
            await tx
              .update(t.signaalRefs)
              .set({ residentie: d.residentie, status: d.status, signaal: { ...ref.signaal, status: d.status, einddatum: d.einddatum }, bijgewerktOp: now })
              .where(eq(t.signaalRefs.signaalId, d.signaalId));
          }
          return;
        }
        const voor = (ev.data as { voor: { email: string } | null }).voor;
        if (!voor) return;
        const [prof] = await tx
          .select({ id: t.professionals.id })
          .from(t.professionals)
          .where(and(eq(t.professionals.email, voor.email.toLowerCase()), eq(t.professionals.lokaal, true)));
        if (!prof) {
          ctx.log.warn({ type: ev.type }, "notice for a professional unknown here; dropped");
          return;
        }
        if (ev.type === "match.melding") {
          const d = ev.data as {
            matchId: string;
            soort: "client" | "gezin";
            viaArchief: boolean;
            aangemaaktOp: string;
            voor: { email: string; signaalId: string };
            betrokkene: Record<string, unknown>;
          };
          const jeugdigeNaam = await ownYouthName(ctx, tx, d.voor.signaalId);
          inserted = await insertMeldingen(tx, t, [
            {
              soort: "match",
              sleutel: d.matchId,
              professionalId: prof.id,
              signaalId: d.voor.signaalId,
              inhoud: {
                matchId: d.matchId,
                soort: d.soort,
                viaArchief: d.viaArchief,
                aangemaaktOp: d.aangemaaktOp,
                jeugdigeNaam,
                betrokkene: d.betrokkene,
                bron: ev.iss,
              },
              aangemaaktOp: now,
            },
          ]);
        } else {
          const d = ev.data as { signaalId: string | null; vanGemeente: string; naarGemeente: string; datum: string };
          inserted = await insertMeldingen(tx, t, [
            {
              soort: "verhuizing",
              sleutel: `verhuizing:${d.signaalId}:${d.naarGemeente}`,
              professionalId: prof.id,
              signaalId: d.signaalId,
              inhoud: { ...d, naarGemeenteNaam: gemeenteByCode(d.naarGemeente)?.naam ?? d.naarGemeente },
              aangemaaktOp: now,
            },
          ]);
        }
        for (const m of inserted) {
          await audit(tx, t, { actie: "melding.ontvangen", actor: "systeem", signaalId: m.signaalId, at: now, details: { soort: m.soort, van: ev.iss } });
        }
      });
      afterCommit(ctx, inserted);
    },
  );
}

/** The name of the caller's own youth for a signal: from the pointer, or the local signal. */
async function ownYouthName(ctx: NodeContext, db: NodeContext["db"], signaalId: string): Promise<string> {
  const { t } = ctx;
  const [ref] = await db.select({ naam: t.signaalRefs.jeugdigeNaam }).from(t.signaalRefs).where(eq(t.signaalRefs.signaalId, signaalId));
  if (ref) return ref.naam;
  const [local] = await db
    .select({ naam: t.jeugdigen.naam })
    .from(t.signalen)
    .innerJoin(t.jeugdigen, eq(t.jeugdigen.id, t.signalen.jeugdigeId))
    .where(eq(t.signalen.id, signaalId));
  return local?.naam ?? "";
}
