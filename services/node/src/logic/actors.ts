/**
 * Who a request is for: a professional of an organisation connected to this
 * node (from their verified token), or a professional another node of the
 * region vouches for in a signed request.
 */
import type { ActorSnapshot } from "@vi/events";
import type { Actor, NodeContext } from "../context";
import { problem } from "../problems";
import { insertRemoteProfessional, professionalByEmail } from "../store/professionals";

type Row = NonNullable<Awaited<ReturnType<typeof professionalByEmail>>>;

const actorOf = (row: Row, overrides?: Pick<Actor, "rol" | "signaleringsbevoegd" | "medisch">): Actor => ({
  professionalId: row.p.id,
  email: row.p.email,
  naam: row.p.naam,
  functie: row.p.functie,
  telefoon: row.p.telefoon,
  organisatieId: row.o.id,
  organisatieNaam: row.o.naam,
  domein: row.o.domein,
  rol: overrides?.rol ?? row.p.rol,
  signaleringsbevoegd: overrides?.signaleringsbevoegd ?? row.p.signaleringsbevoegd,
  medisch: overrides?.medisch ?? row.p.medisch,
});

/** The professional with this (verified) e-mail address, when their organisation is connected to this node. */
export async function identify(ctx: NodeContext, email: string): Promise<Actor> {
  const row = await professionalByEmail(ctx.db, ctx.t, email);
  if (!row?.o.actief) {
    throw problem(
      "NIET_AANGESLOTEN",
      `Uw organisatie is niet aangesloten bij de verwijsindex van ${ctx.gemeente.naam}. Gebruik de verwijsindex van een gemeente waarmee uw organisatie een convenant heeft.`,
    );
  }
  return actorOf(row);
}

/** Only the region's nodes may ask a node to act. */
export function assertFromRegion(ctx: NodeContext, iss: string): void {
  if (!ctx.region.includes(iss)) throw problem("NIET_AANGESLOTEN", "Alleen verwijsindexen van de regio kunnen dit vragen.");
}

/** A professional known here through another node: recorded from the entry node's vouched snapshot. */
export async function remoteActor(ctx: NodeContext, s: ActorSnapshot): Promise<Actor> {
  await insertRemoteProfessional(ctx.db, ctx.t, s);
  const row = await professionalByEmail(ctx.db, ctx.t, s.email);
  if (!row) throw new Error("a remote professional was recorded but cannot be read back");
  return actorOf(row, { rol: s.rol, signaleringsbevoegd: s.signaleringsbevoegd, medisch: s.medisch });
}

/** The actor of a request from another node of the region. */
export async function requestingActor(ctx: NodeContext, iss: string, actor: ActorSnapshot | null): Promise<Actor> {
  assertFromRegion(ctx, iss);
  if (!actor) throw problem("VERZOEK_ONGELDIG", "Er is geen professional meegestuurd.");
  return remoteActor(ctx, actor);
}
