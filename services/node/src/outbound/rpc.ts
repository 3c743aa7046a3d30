/**
 * Commands carried out by another node (the youth's residence node): a
 * professional uses the node their organisation is connected to, and that
 * node asks the residence node over signed request/reply (@vi/events).
 * Failures of the link become the node's Problems.
 */
import { type ActorSnapshot, type RpcArgs, type RpcOp, RpcRefused, RpcUnreachable } from "@vi/events";
import { regionOf } from "@vi/region";
import { currentTrace } from "@vi/service";
import type { Actor, NodeContext } from "../context";
import { NODE_PROBLEMS, problem } from "../problems";

export const snapshotOf = (a: Actor): ActorSnapshot => ({
  email: a.email,
  naam: a.naam,
  functie: a.functie,
  telefoon: a.telefoon,
  rol: a.rol,
  signaleringsbevoegd: a.signaleringsbevoegd,
  medisch: a.medisch,
  organisatie: { id: a.organisatieId, naam: a.organisatieNaam, domein: a.domein },
});

/** Calls `op` at node `to`; resolves with the result as sent (the caller parses it with the schema it expects). */
export async function callNode<Op extends RpcOp>(ctx: NodeContext, to: string, op: Op, actor: Actor | null, args: RpcArgs<Op>): Promise<unknown> {
  const naam = regionOf(to)?.region.naamVan(to) ?? ctx.region.naamVan(to);
  if (!ctx.fed) throw problem("JEUGDIGE_ANDERE_GEMEENTE", `Deze jeugdige staat ingeschreven in ${naam}; deze verwijsindex is niet met de regio verbonden.`);
  try {
    // The request's trace travels along, so the residence node's audit rows carry the same trace id.
    const traceparent = currentTrace()?.traceparent;
    return await ctx.fed.rpc.call(to, op, actor ? snapshotOf(actor) : null, args, traceparent ? { traceparent } : undefined);
  } catch (e) {
    if (e instanceof RpcRefused) {
      const code = NODE_PROBLEMS.has(e.problem.code) ? e.problem.code : "INTERNE_FOUT";
      throw problem(code, e.problem.detail);
    }
    if (e instanceof RpcUnreachable) {
      if (e.why === "no-answer")
        throw problem("NODE_ONBEREIKBAAR", `De verwijsindex van ${naam} is op dit moment niet bereikbaar. Probeer het over enkele minuten opnieuw.`);
      if (e.why === "wrong-signer") throw problem("NODE_ONBEREIKBAAR", `Het antwoord kwam niet van de verwijsindex van ${naam}.`);
      throw problem("NODE_ONBEREIKBAAR", `De verwijsindex van ${naam} gaf geen geldig antwoord. Probeer het later opnieuw.`);
    }
    throw e;
  }
}

/** The result of a call, checked against the schema the caller expects; a reply that does not fit is the other node's fault. */
export function parseReply<T>(
  ctx: NodeContext,
  to: string,
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } },
  value: unknown,
): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    ctx.log.warn({ from: to }, "rpc reply does not match its schema");
    throw problem("NODE_ONBEREIKBAAR", `De verwijsindex van ${ctx.region.naamVan(to)} gaf geen geldig antwoord. Probeer het later opnieuw.`);
  }
  return parsed.data;
}
