/**
 * POST /signalen: a registration names the youth by BSN, or (a youth without one, docs/adr/0038) by surname, date of
 * birth and sex. Exactly one of the two.
 */
import { maySignal } from "@vi/domain";
import type { Actor, NodeContext } from "../context";
import { domainProblem, problem } from "../problems";
import type { RegisterResult, SignaalAanvraag } from "../schemas";
import { registerSignal } from "./signals";
import { registerWithoutBsn } from "./without-bsn";

export async function register(ctx: NodeContext, actor: Actor, aanvraag: SignaalAanvraag): Promise<RegisterResult> {
  const allowed = maySignal(actor, ctx.region);
  if (!allowed.ok) throw domainProblem(allowed.error);
  const { bsn, jeugdigeZonderBsn, ...rest } = aanvraag;
  if ((bsn === undefined) === (jeugdigeZonderBsn === undefined)) {
    throw problem(
      "JEUGDIGE_ONBEPAALD",
      "Geef het BSN van de jeugdige, of (alleen als de jeugdige geen BSN heeft) de geslachtsnaam, geboortedatum en het geslacht. Niet allebei.",
      [{ name: "bsn", code: "JEUGDIGE_ONBEPAALD", reason: "Of bsn, of jeugdigeZonderBsn." }],
    );
  }
  if (jeugdigeZonderBsn) return registerWithoutBsn(ctx, actor, rest, jeugdigeZonderBsn);
  return registerSignal(ctx, actor, { ...rest, bsn: bsn! });
}
