/**
 * Who a request is for: a professional of this node's own register (their
 * organisation connected to this gemeente, from their verified token), or a
 * professional another node of the region asks for in a signed request, whose
 * organisation the register connects to that node. Authorisation comes from
 * the region's register (ctx.register), never from the professionals a node
 * has recorded because another node acted for them.
 */
import type { ActorSnapshot } from "@vi/events";
import type { Actor, NodeContext, RegisterProfessional } from "../context";
import { problem } from "../problems";
import { insertRemoteProfessional, professionalByEmail } from "../store/professionals";
import { loadRegistry } from "../store/registry";
import { inOtherRegion } from "../outbound/cross-region";

type Row = NonNullable<Awaited<ReturnType<typeof professionalByEmail>>>;

/** The actor of a stored row; role and designation from the register (or, for another region, the vouching node). */
const actorOf = (row: Row, reg: Pick<RegisterProfessional, "rol" | "signaleringsbevoegd" | "medisch">): Actor => ({
  professionalId: row.p.id,
  email: row.p.email,
  naam: row.p.naam,
  functie: row.p.functie,
  telefoon: row.p.telefoon,
  organisatieId: row.o.id,
  organisatieNaam: row.o.naam,
  domein: row.o.domein,
  rol: reg.rol,
  signaleringsbevoegd: reg.signaleringsbevoegd,
  medisch: reg.medisch,
});

const notConnectedHere = (ctx: NodeContext) =>
  problem(
    "NIET_AANGESLOTEN",
    `Uw organisatie is niet aangesloten bij de verwijsindex van ${ctx.gemeente.naam}. Gebruik de verwijsindex van een gemeente waarmee uw organisatie een convenant heeft.`,
  );

/**
 * The professional a verified token's subject (`sub`) names in the register, when the register connects their
 * organisation to this node. The token's e-mail claim plays no part.
 */
export async function identify(ctx: NodeContext, subject: string, namens?: string): Promise<Actor> {
  const caller = ctx.register.bySubject(subject);
  if (caller?.rol === "systeem") return identifyThroughCaseSystem(ctx, caller, namens);
  const reg = caller;
  const org = reg && ctx.register.organisation(reg.organisatieId);
  if (!reg || !org || !ctx.register.connected(org.id, ctx.gemeente.code)) throw notConnectedHere(ctx);
  let row = await professionalByEmail(ctx.db, ctx.t, reg.email);
  if (!row?.p.lokaal || !row.o.actief || row.o.id !== org.id) {
    // Not (yet) stored as this node's own: the register says it is, so store it as such.
    const { sub: _, ...professional } = reg;
    await loadRegistry(ctx.db, ctx.t, {
      organisaties: [{ id: org.id, naam: org.naam, domein: org.domein }],
      professionals: [professional],
      instellingsadressen: [],
    });
    row = await professionalByEmail(ctx.db, ctx.t, reg.email);
    if (!row) throw new Error("a professional of the register was stored but cannot be read back");
  }
  return actorOf(row, reg);
}

/**
 * An organisation's case system acts for a named professional (header Namens-Professional, their e-mail address in
 * the register; docs/adr/0016): only a designated professional of the case system's own organisation. The actor is
 * that professional, marked as acting through the case system, so every audit row says so.
 */
async function identifyThroughCaseSystem(ctx: NodeContext, system: RegisterProfessional, namens: string | undefined): Promise<Actor> {
  const email = namens?.trim().toLowerCase();
  if (!email)
    throw problem(
      "PROFESSIONAL_NIET_GENOEMD",
      "Een zaaksysteem handelt altijd namens een professional: noem diens e-mailadres in de header Namens-Professional.",
    );
  const pro = ctx.register.professional(email);
  if (!pro || pro.organisatieId !== system.organisatieId || pro.rol !== "professional" || !pro.signaleringsbevoegd) {
    throw problem(
      "NAMENS_NIET_TOEGESTAAN",
      "Dit zaaksysteem kan niet namens deze persoon handelen: alleen namens een signaleringsbevoegde professional van de eigen organisatie, volgens het register.",
    );
  }
  const actor = await identify(ctx, pro.sub);
  return { ...actor, viaSysteem: system.sub };
}

/** Only the region's nodes may ask a node to act. */
export function assertFromRegion(ctx: NodeContext, iss: string): void {
  if (!ctx.region.includes(iss)) throw problem("NIET_AANGESLOTEN", "Alleen verwijsindexen van de regio kunnen dit vragen.");
}

/** A node of the region, or with the national link a node of another region (a relocation across regions, docs/adr/0042). */
export function assertFromRegionOrLinked(ctx: NodeContext, iss: string): void {
  if (ctx.national && inOtherRegion(ctx.region, iss)) return;
  assertFromRegion(ctx, iss);
}

/** A professional known here through another node: recorded (never as this node's own) so their signals can point at them. */
export async function remoteActor(ctx: NodeContext, s: ActorSnapshot): Promise<{ professionalId: string }> {
  await insertRemoteProfessional(ctx.db, ctx.t, s);
  const row = await professionalByEmail(ctx.db, ctx.t, s.email);
  if (!row) throw new Error("a remote professional was recorded but cannot be read back");
  return { professionalId: row.p.id };
}

/**
 * The actor of a request from another node of the region: the entry node
 * (`iss`) may only act for a professional of an organisation the register
 * connects to it. Name, organisation, role and designation are taken from the
 * register, not from the entry node's snapshot.
 */
export async function requestingActor(ctx: NodeContext, iss: string, actor: ActorSnapshot | null): Promise<Actor> {
  if (!ctx.region.includes(iss) && ctx.national && inOtherRegion(ctx.region, iss)) return actorOfOtherRegion(ctx, iss, actor);
  assertFromRegion(ctx, iss);
  if (!actor) throw problem("VERZOEK_ONGELDIG", "Er is geen professional meegestuurd.");
  const reg = ctx.register.professional(actor.email);
  const org = reg && ctx.register.organisation(reg.organisatieId);
  if (!reg || !org || reg.organisatieId !== actor.organisatie.id || !ctx.register.connected(org.id, iss)) {
    throw problem(
      "NIET_AANGESLOTEN",
      `Volgens het register is de organisatie van deze professional niet aangesloten bij de verwijsindex van ${ctx.region.naamVan(iss)}; die kan niet namens hen handelen.`,
    );
  }
  const { sub: _, ...professional } = reg;
  await insertRemoteProfessional(ctx.db, ctx.t, { ...professional, organisatie: { id: org.id, naam: org.naam, domein: org.domein } });
  const row = await professionalByEmail(ctx.db, ctx.t, reg.email);
  if (!row) throw new Error("a remote professional was recorded but cannot be read back");
  return actorOf(row, reg);
}

/**
 * The actor of a request from a node of ANOTHER region (docs/adr/0042). This region's register does not know that
 * region's professionals: the asking node vouches for its professional, as it signed the request with a key its
 * region's bridge published (the national directory). What this node still checks: the professional and their
 * organisation are not of this region (a node of another region cannot act for one of ours), and every rule of the
 * operation itself (maySignal checks role, designation and domain again).
 */
async function actorOfOtherRegion(ctx: NodeContext, iss: string, actor: ActorSnapshot | null): Promise<Actor> {
  if (!actor) throw problem("VERZOEK_ONGELDIG", "Er is geen professional meegestuurd.");
  if (ctx.register.professional(actor.email) || ctx.register.organisation(actor.organisatie.id)) {
    throw problem(
      "NIET_AANGESLOTEN",
      `Deze professional hoort bij een organisatie van deze regio; een verwijsindex van een andere regio (${iss}) kan niet namens hen handelen.`,
    );
  }
  await insertRemoteProfessional(ctx.db, ctx.t, actor);
  const row = await professionalByEmail(ctx.db, ctx.t, actor.email);
  if (!row || row.p.lokaal) throw new Error("a professional of another region was recorded but cannot be read back");
  return actorOf(row, actor);
}
