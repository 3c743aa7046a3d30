/** Dutch display of dates, ages and the closed lists the node uses. */

const MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"];

/** 2026-11-28 → 28 november 2026. */
export function dutchDate(iso: string | null | undefined): string {
  if (!iso) return "";
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}`;
}

/** A moment in Amsterdam time: 28 november 2026, 10:05. */
export function dutchDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat("nl-NL", { timeZone: "Europe/Amsterdam", dateStyle: "long", timeStyle: "short" }).format(d);
}

export const INFORMED_LABEL: Record<string, string> = {
  ouders: "de ouders",
  "ouders-en-jeugdige": "de ouders en de jeugdige",
  jeugdige: "de jeugdige",
};

/** The closed list of reasons the node accepts (NOT_INFORMED_REASONS in @vi/domain), in words. */
export const REASON_LABEL: Record<string, string> = {
  "nog-niet-bereikt": "Ik heb hen nog niet kunnen bereiken",
  "onveilig-voor-jeugdige": "Informeren is nu niet veilig voor de jeugdige",
  "onveilig-voor-ander": "Informeren is nu niet veilig voor een ander (bijvoorbeeld voor mij of een collega)",
  "andere-reden-in-eigen-dossier": "Een andere reden (die staat in mijn eigen dossier)",
};

/** Who must be informed at this age (Jeugdwet 7.1, the seed guide 2.4): under 12 the parents, 12-15 both, 16 and over the youth. */
export function informRuleText(target: string): string {
  return target === "ouders"
    ? "de ouders (de jeugdige is jonger dan 12)"
    : target === "ouders-en-jeugdige"
      ? "de ouders en de jeugdige (12 tot 16 jaar)"
      : "de jeugdige zelf (16 jaar of ouder; de ouders alleen met toestemming van de jeugdige)";
}

/** The follow-up of a match (matchregie; MATCH_STATUSES in @vi/domain), in words. */
export const MATCH_STATUS_LABEL: Record<string, string> = {
  "geen-contact": "Geen contact",
  "contact-gelegd": "Contact gelegd",
  afgestemd: "Afgestemd",
  "regie-belegd": "Regie belegd",
};
