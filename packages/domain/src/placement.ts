/**
 * Who may signal, and where a registration goes.
 *
 * - Only a professional whom their organisation designated
 *   (signaleringsbevoegd) registers signals; other roles (matchregisseur,
 *   coordinator, convenantmanager) never do.
 * - The organisation's category (domein, from the register) must be one the
 *   law allows (Jeugdwet art. 7.1.4.2, Besluit Jeugdwet art. 7.1.4):
 *   SIGNALLING_DOMAINS, plus the categories the region adds by configuration
 *   (Regio Amsterdam: kinderopvang).
 * - A signal lives at the node of the youth's residence (woongemeente, from
 *   the BRP). A professional may use the node their organisation is
 *   connected to for any youth of the region: the entry node then routes
 *   the registration to the residence node. A youth of another region is
 *   registered at their residence node through the national index when the
 *   node's national link is on (docs/adr/0042); without it, not at all.
 */
import { fail, ok, type Result } from "./errors";

/** The organisation categories the law lets signal (the seed guide's list), in the register's spelling. */
export const SIGNALLING_DOMAINS: readonly string[] = [
  "onderwijs",
  "jeugdhulp",
  "jeugdgezondheidszorg",
  "gezondheidszorg",
  "maatschappelijke-ondersteuning",
  "werk-en-inkomen",
  "politie-en-justitie",
];

export interface SignallingActor {
  rol: string;
  signaleringsbevoegd: boolean;
  /** The category of the professional's organisation, from the register. */
  domein: string;
}

/** The categories that may signal in a region: the law's, and the region's own additions. */
export function signallingDomains(region: { extraDomains: readonly string[] }): string[] {
  return [...new Set([...SIGNALLING_DOMAINS, ...region.extraDomains])];
}

export function maySignal(actor: SignallingActor, region: { extraDomains: readonly string[] }): Result<true> {
  if (actor.rol !== "professional" || !actor.signaleringsbevoegd) {
    return fail(
      "NIET_SIGNALERINGSBEVOEGD",
      "U bent niet signaleringsbevoegd. Alleen professionals die hun organisatie daarvoor heeft aangewezen kunnen een signaal afgeven; vraag uw aandachtsfunctionaris of leidinggevende.",
    );
  }
  if (!signallingDomains(region).includes(actor.domein)) {
    return fail(
      "DOMEIN_NIET_TOEGESTAAN",
      `Uw organisatie staat in het register in de categorie "${actor.domein}". Organisaties in die categorie kunnen geen signaal afgeven in de verwijsindex. Klopt de categorie niet, neem dan contact op met de convenantmanager.`,
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
  /** The node's link to the national index is on: a youth of another region is registered at their residence node through it (docs/adr/0042). */
  national?: boolean;
}): Result<Placement> {
  if (input.residence === input.here.code) return ok({ at: "here" });
  if (!input.inRegion(input.residence)) {
    if (input.federated && input.national) return ok({ at: "residence", gemeente: input.residence });
    return fail(
      "JEUGDIGE_BUITEN_REGIO",
      "Deze jeugdige woont buiten de gemeenten van de regio, en deze verwijsindex is niet met de landelijke verwijsindex verbonden. Geef het signaal af in de verwijsindex van de regio waar de jeugdige woont.",
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
