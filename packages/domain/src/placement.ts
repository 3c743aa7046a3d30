/**
 * Who may signal, and where a registration goes.
 *
 * - Only a professional whom their organisation designated
 *   (signaleringsbevoegd) registers signals; other roles (matchregisseur,
 *   coordinator, convenantmanager) never do.
 * - A signal lives at the node of the youth's residence (woongemeente, from
 *   the BRP). A professional may use the node their organisation is
 *   connected to for any youth of the region: the entry node then routes
 *   the registration to the residence node. A youth outside the region is
 *   not registered here at all.
 */
import { fail, ok, type Result } from "./errors";

export interface SignallingActor {
  rol: string;
  signaleringsbevoegd: boolean;
}

export function maySignal(actor: SignallingActor): Result<true> {
  if (actor.rol !== "professional" || !actor.signaleringsbevoegd) {
    return fail(
      "NIET_SIGNALERINGSBEVOEGD",
      "U bent niet signaleringsbevoegd. Alleen professionals die hun organisatie daarvoor heeft aangewezen kunnen een signaal afgeven; vraag uw aandachtsfunctionaris of leidinggevende.",
    );
  }
  return ok(true);
}

export type Placement = { at: "here" } | { at: "residence"; gemeente: string };

/**
 * Where a registration (or a transfer) is carried out, seen from the node of
 * `here`: here, or at the residence node in the region.
 * `federated` is false for a node that runs on its own (no link to the region).
 */
export function placeRegistration(input: {
  residence: string;
  here: { code: string; naam: string };
  inRegion: (code: string) => boolean;
  federated: boolean;
}): Result<Placement> {
  if (input.residence === input.here.code) return ok({ at: "here" });
  if (!input.inRegion(input.residence)) {
    return fail(
      "JEUGDIGE_BUITEN_REGIO",
      "Deze jeugdige woont buiten de gemeenten van de regio. Een signaal kan alleen worden afgegeven in de verwijsindex van de regio waar de jeugdige woont.",
      "bsn",
    );
  }
  if (!input.federated) return notResidentHere(input.here.naam);
  return ok({ at: "residence", gemeente: input.residence });
}

/** The residence node itself refuses a youth the BRP does not register in its gemeente. */
export function assertResidentHere(residence: string, here: { code: string; naam: string }): Result<true> {
  return residence === here.code ? ok(true) : notResidentHere(here.naam);
}

function notResidentHere(naam: string) {
  return fail(
    "JEUGDIGE_ANDERE_GEMEENTE",
    `Deze jeugdige staat niet ingeschreven in ${naam}. Registreer het signaal via de verwijsindex van de woongemeente.`,
    "bsn",
  );
}
