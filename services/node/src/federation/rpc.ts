/**
 * Signed request/reply between nodes (and from the hub): a professional uses
 * the node their organisation is connected to, and commands on a youth who
 * lives elsewhere in the region are carried out by the youth's residence node.
 */
import { eq } from "drizzle-orm";
import { dbReplayGuard, type Db } from "@vi/db";
import { EventRejected, signEvent, verifyEvent } from "@vi/events";
import { gemeenteByCode } from "@vi/demo";
import type { Actor, NodeContext } from "../context";
import { Problem, PROBLEMS, type ProblemCode } from "../problems";
import { subjects } from "./federation";

export interface ActorSnapshot {
  email: string;
  naam: string;
  functie: string;
  telefoon: string;
  rol: string;
  signaleringsbevoegd: boolean;
  medisch: boolean;
  organisatie: { id: string; naam: string; domein: string };
}

export const snapshotOf = (a: Actor, domein: string): ActorSnapshot => ({
  email: a.email,
  naam: a.naam,
  functie: a.functie,
  telefoon: a.telefoon,
  rol: a.rol,
  signaleringsbevoegd: a.signaleringsbevoegd,
  medisch: a.medisch,
  organisatie: { id: a.organisatieId, naam: a.organisatieNaam, domein },
});

/** The domain (category) of the actor's organisation. */
export async function domainOf(ctx: NodeContext, actor: Actor): Promise<string> {
  const [row] = await ctx.db.select({ domein: ctx.t.organisaties.domein }).from(ctx.t.organisaties).where(eq(ctx.t.organisaties.id, actor.organisatieId));
  return row?.domein ?? "onbekend";
}

export async function callNode<T>(ctx: NodeContext, code: string, op: string, actor: Actor | null, args: unknown): Promise<T> {
  const fed = ctx.fed;
  const naam = gemeenteByCode(code)?.naam ?? code;
  if (!fed) throw new Problem("JEUGDIGE_ANDERE_GEMEENTE", `Deze jeugdige staat ingeschreven in ${naam}; deze verwijsindex is niet met de regio verbonden.`);
  const { token } = await signEvent(fed.keys, {
    type: "rpc.request",
    aud: code,
    ttlSec: 60,
    data: { op, actor: actor ? snapshotOf(actor, await domainOf(ctx, actor)) : null, args },
  });
  let replyToken: string;
  try {
    replyToken = await fed.bus.request(subjects.rpc(code), token, fed.rpcTimeoutMs);
  } catch {
    throw new Problem("NODE_ONBEREIKBAAR", `De verwijsindex van ${naam} is op dit moment niet bereikbaar. Probeer het over enkele minuten opnieuw.`);
  }
  let reply;
  try {
    reply = await verifyEvent(replyToken, {
      trust: fed.trust,
      audience: ctx.gemeente.code,
      replay: dbReplayGuard(ctx.db, ctx.t.ontvangenEvents),
      metrics: fed.metrics,
      expect: ["rpc.reply"],
    });
  } catch (e) {
    ctx.log.warn({ reason: e instanceof EventRejected ? e.reason : "error", from: code }, "rpc reply rejected");
    throw new Problem("NODE_ONBEREIKBAAR", `De verwijsindex van ${naam} gaf geen geldig antwoord. Probeer het later opnieuw.`);
  }
  if (reply.iss !== code) throw new Problem("NODE_ONBEREIKBAAR", `Het antwoord kwam niet van de verwijsindex van ${naam}.`);
  const data = reply.data as { ok: true; result: T } | { ok: false; problem: { code: string; status: number; detail: string } };
  if (!data.ok) {
    const code2 = (data.problem.code in PROBLEMS ? data.problem.code : "INTERNE_FOUT") as ProblemCode;
    throw new Problem(code2, data.problem.detail);
  }
  return data.result;
}

export type RpcHandler = (ctx: NodeContext, req: { iss: string; actor: ActorSnapshot | null; args: any }) => Promise<unknown>;

export async function startRpcServer(ctx: NodeContext, handlers: Record<string, RpcHandler>) {
  const fed = ctx.fed!;
  return fed.bus.serve(
    subjects.rpc(ctx.gemeente.code),
    async (token) => {
      let req;
      try {
        req = await verifyEvent(token, {
          trust: fed.trust,
          audience: ctx.gemeente.code,
          replay: dbReplayGuard(ctx.db, ctx.t.ontvangenEvents),
          metrics: fed.metrics,
          expect: ["rpc.request"],
        });
      } catch (e) {
        ctx.log.warn(
          { reason: e instanceof EventRejected ? e.reason : "error", err: e instanceof EventRejected ? undefined : { message: (e as Error).message } },
          "rpc request rejected",
        );
        return "";
      }
      const data = req.data as { op: string; actor: ActorSnapshot | null; args: unknown };
      let body: { ok: true; result: unknown } | { ok: false; problem: { code: string; status: number; detail: string } };
      const handler = handlers[data.op];
      try {
        if (!handler) throw new Problem("VERZOEK_ONGELDIG", `Onbekende opdracht ${data.op}.`);
        body = { ok: true, result: (await handler(ctx, { iss: req.iss, actor: data.actor, args: data.args })) ?? null };
      } catch (e) {
        if (e instanceof Problem) body = { ok: false, problem: { code: e.code, status: e.status, detail: e.detail } };
        else {
          ctx.log.error({ err: { message: (e as Error).message, stack: (e as Error).stack }, op: data.op }, "rpc handler failed");
          body = { ok: false, problem: { code: "INTERNE_FOUT", status: 500, detail: "Er ging iets mis bij de woongemeente. Probeer het opnieuw." } };
        }
      }
      const { token: reply } = await signEvent(fed.keys, { type: "rpc.reply", aud: req.iss, ttlSec: 60, data: body });
      return reply;
    },
    { queue: `node-${ctx.gemeente.code}` },
  );
}

/** A professional known here through another node: upserted from the entry node's vouched snapshot. */
export async function ensureRemoteActor(db: Db, ctx: NodeContext, s: ActorSnapshot): Promise<Actor> {
  const { t } = ctx;
  await db.insert(t.organisaties).values({ id: s.organisatie.id, naam: s.organisatie.naam, domein: s.organisatie.domein }).onConflictDoNothing();
  await db
    .insert(t.professionals)
    .values({
      email: s.email.toLowerCase(),
      naam: s.naam,
      functie: s.functie,
      telefoon: s.telefoon,
      organisatieId: s.organisatie.id,
      rol: s.rol,
      lokaal: false,
      signaleringsbevoegd: s.signaleringsbevoegd,
      medisch: s.medisch,
    })
    .onConflictDoNothing();
  const [row] = await db
    .select({ p: t.professionals, o: t.organisaties })
    .from(t.professionals)
    .innerJoin(t.organisaties, eq(t.organisaties.id, t.professionals.organisatieId))
    .where(eq(t.professionals.email, s.email.toLowerCase()));
  return {
    professionalId: row!.p.id,
    email: row!.p.email,
    naam: row!.p.naam,
    functie: row!.p.functie,
    telefoon: row!.p.telefoon,
    organisatieId: row!.o.id,
    organisatieNaam: row!.o.naam,
    rol: s.rol,
    signaleringsbevoegd: s.signaleringsbevoegd,
    medisch: s.medisch,
  };
}
