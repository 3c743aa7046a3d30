/**
 * Matchregie (Jeugdwet 7.1.3.2): the gemeente's matchregisseur checks that the professionals of a match made
 * contact, and per match a coordinating professional (regievoerder) is recorded. The region sets a rule that
 * proposes one, an order of the organisations' categories ("jeugdhulp before onderwijs", as Zorg voor Jeugd does);
 * a person confirms it. The follow-up status is a closed list.
 */

/** The follow-up of a match, in the order it usually goes. */
export const MATCH_STATUSES = ["geen-contact", "contact-gelegd", "afgestemd", "regie-belegd"] as const;
export type MatchStatus = (typeof MATCH_STATUSES)[number];

/**
 * The default order in which the categories take the lead (first: most likely the regievoerder). A region sets its
 * own (MATCHREGIE_DOMEINVOLGORDE); a category not in the order comes after every one that is.
 */
export const DEFAULT_REGIE_ORDER: readonly string[] = [
  "jeugdhulp",
  "jeugdgezondheidszorg",
  "maatschappelijke-ondersteuning",
  "gezondheidszorg",
  "onderwijs",
  "kinderopvang",
  "werk-en-inkomen",
  "politie-en-justitie",
];

export interface RegieCandidate {
  /** The signal that names the professional. */
  signalId: string;
  /** The category of the professional's organisation. */
  domain: string;
  /** Only a professional still involved (an active signal) can coordinate. */
  active: boolean;
  registeredAt: Date;
}

/**
 * The professional the region's rule proposes as regievoerder: the active one whose category comes first in the
 * order; on a tie, the one who signalled first. Null when no professional of the match is still involved.
 */
export function proposeRegievoerder(candidates: readonly RegieCandidate[], order: readonly string[] = DEFAULT_REGIE_ORDER): string | null {
  const rank = (domain: string) => {
    const i = order.indexOf(domain);
    return i === -1 ? order.length : i;
  };
  const best = candidates
    .filter((c) => c.active)
    .sort((a, b) => rank(a.domain) - rank(b.domain) || a.registeredAt.getTime() - b.registeredAt.getTime() || a.signalId.localeCompare(b.signalId))[0];
  return best?.signalId ?? null;
}

/** True when a match without contact is due a reminder: made `days` days or more before `now`, and not yet reminded. */
export function reminderDue(input: { madeAt: Date; status: MatchStatus; remindedAt: Date | null; now: Date; days: number }): boolean {
  if (input.days <= 0 || input.status !== "geen-contact" || input.remindedAt) return false;
  return input.now.getTime() - input.madeAt.getTime() >= input.days * 24 * 3600 * 1000;
}

/**
 * The follow-up of one match for the region's figures (issue 12, docs/adr/0039): `te-vroeg` while the match is younger
 * than the term (not judged yet), `binnen-termijn` when contact was first recorded within `days` days of the match,
 * `niet-binnen-termijn` otherwise (no contact, or later). `contactAt` is the first contact, never reset.
 */
export function followUpOutcome(input: {
  madeAt: Date;
  contactAt: Date | null;
  now: Date;
  days: number;
}): "te-vroeg" | "binnen-termijn" | "niet-binnen-termijn" {
  const term = input.days * 24 * 3600 * 1000;
  if (input.now.getTime() - input.madeAt.getTime() < term) return "te-vroeg";
  return input.contactAt !== null && input.contactAt.getTime() - input.madeAt.getTime() <= term ? "binnen-termijn" : "niet-binnen-termijn";
}
