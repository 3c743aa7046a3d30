/**
 * What the client card and inzage show of the youth and of who is involved.
 *
 * Client card (for a professional with an active signal on the youth):
 * - the youth's BRP data; no address when the BRP keeps it secret
 *   (geheimhouding);
 * - every active signal's organisation, domain and dates; the professional's
 *   name and contact details only for the viewer themself and for the
 *   signals the viewer has a client match with;
 * - that there is earlier involvement (archived signals), and nothing more:
 *   the archive is opened on an explicit request (archiveInvolvement), which
 *   the node logs. There: organisation, domain and dates (the end is the day
 *   it was archived); the professional's contact details only for an
 *   archived signal the viewer has a client match with (the archive match
 *   tells the new professional who was involved before), else no person.
 *
 * Inzage (for parents or the youth): the organisations and dates only, never
 * a professional, never a family match; and, until an organisation has
 * informed the youth and/or the parents, not that organisation's signal
 * (unless it is the signal of the professional giving inzage), and the
 * professional is told that not every involvement is shown.
 */

export interface Involvement {
  signalId: string;
  status: "actief" | "gearchiveerd";
  professionalId: string;
  organisatie: string;
  domein: string;
  startdatum: string;
  einddatum: string;
  gearchiveerdOp: string | null;
  /** The professional, or their organisation's category, is registered as medical (see isMedical). */
  medisch: boolean;
  /** The professional has informed the youth and/or the parents of this signal. */
  geinformeerd: boolean;
  contact: Contact;
}

export interface Contact {
  naam: string;
  functie: string;
  telefoon: string;
  email: string;
}

export interface InvolvementLine {
  organisatie: string;
  domein: string;
  startdatum: string;
  einddatum: string;
}

export interface Address {
  straat: string;
  huisnummer: number;
  huisletter?: string;
  postcode: string;
  woonplaats: string;
}

const line = (r: Involvement): InvolvementLine => ({
  organisatie: r.organisatie,
  domein: r.domein,
  startdatum: r.startdatum,
  einddatum: r.status === "gearchiveerd" ? (r.gearchiveerdOp ?? r.einddatum) : r.einddatum,
});

export interface CardViewer {
  professionalId: string;
  /** The signals the viewer's signal has a client match with (an archive match included). */
  clientMatchSignalIds: ReadonlySet<string>;
}

/** The client card's involvement, as seen by one professional: the active signals, and only whether there is earlier involvement. */
export function clientCardInvolvement(
  rows: readonly Involvement[],
  viewer: CardViewer,
): { actiefBetrokken: (InvolvementLine & { professional: Contact | null })[]; eerderBetrokkenheid: { aanwezig: boolean } } {
  return {
    actiefBetrokken: rows
      .filter((r) => r.status === "actief")
      .map((r) => ({
        ...line(r),
        professional: r.professionalId === viewer.professionalId || viewer.clientMatchSignalIds.has(r.signalId) ? { ...r.contact } : null,
      })),
    eerderBetrokkenheid: { aanwezig: rows.some((r) => r.status === "gearchiveerd") },
  };
}

/** The archive part of the client card, opened on request: the earlier involvement, with a person only where the viewer has a match with it. */
export function archiveInvolvement(rows: readonly Involvement[], viewer: CardViewer): (InvolvementLine & { professional: Contact | null })[] {
  return rows
    .filter((r) => r.status === "gearchiveerd")
    .map((r) => ({ ...line(r), professional: viewer.clientMatchSignalIds.has(r.signalId) ? { ...r.contact } : null }));
}

/**
 * Inzage's lists of involvement: organisations and dates only, without the
 * signals of others who have not informed yet; `nietAllesGetoond` tells the
 * professional giving inzage that some were left out.
 */
export function inzageInvolvement(
  rows: readonly Involvement[],
  viewer: { professionalId: string },
): { actiefBetrokken: InvolvementLine[]; eerderBetrokken: InvolvementLine[]; nietAllesGetoond: boolean } {
  const shown = rows.filter((r) => r.geinformeerd || r.professionalId === viewer.professionalId);
  return {
    actiefBetrokken: shown.filter((r) => r.status === "actief").map(line),
    eerderBetrokken: shown.filter((r) => r.status === "gearchiveerd").map(line),
    nietAllesGetoond: shown.length < rows.length,
  };
}

/**
 * The organisation categories (domein) that are medical: their professionals
 * (huisarts, verloskundige, medisch specialist) keep medical confidentiality,
 * which changes inzage by parents for a youth of 12 to 15.
 */
export const MEDICAL_DOMAINS: readonly string[] = ["gezondheidszorg"];

/**
 * Medical is a registered category: the professional's own registration
 * (medisch) or the category of their organisation (see MEDICAL_DOMAINS).
 */
export function isMedical(input: { professionalMedisch: boolean; organisationDomain: string }): boolean {
  return input.professionalMedisch || MEDICAL_DOMAINS.includes(input.organisationDomain);
}

/**
 * Whether a medical professional counts as being on the card for inzage by
 * parents (see inzageEligibility): any signal on the youth, active or
 * archived (the archive is on the card as earlier involvement).
 */
export function medicalProfessionalOnCard(rows: readonly Involvement[]): boolean {
  return rows.some((r) => r.medisch);
}

/** The address the card shows: none when the BRP keeps it secret. */
export function visibleAddress(input: { geheimhouding: boolean; adres: Address | null }): Address | null {
  if (input.geheimhouding || !input.adres) return null;
  const a = input.adres;
  return { straat: a.straat, huisnummer: a.huisnummer, ...(a.huisletter ? { huisletter: a.huisletter } : {}), postcode: a.postcode, woonplaats: a.woonplaats };
}
