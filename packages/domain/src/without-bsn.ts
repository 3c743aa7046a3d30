/**
 * A youth without a BSN (Besluit Jeugdwet ch. 7; MISSION.md, "Youths without a BSN"): the professional enters surname,
 * date of birth and sex; the national index gives those facts a verwijsindexservicenummer, and the same facts must
 * always give the same number. So the facts are normalised first, the same way everywhere (docs/adr/0038):
 *
 * - surname: Unicode NFKD, diacritics (combining marks) removed, lower case, every run of white space one space,
 *   trimmed ("  Démir ", "DEMİR" and "demir" are one surname);
 * - date of birth: ISO 8601 (YYYY-MM-DD), an existing date, not after today;
 * - sex: M, V or O (man, vrouw, onbekend/anders; case-insensitive).
 *
 * The canonical value is `<surname>|<date>|<sex>`: the OPRF input of the national pseudonym (kind `vsn-feiten`).
 */
import { isIsoDate, type IsoDate } from "./dates";
import { fail, ok, type Result } from "./errors";

export interface YouthFactsWithoutBsn {
  geslachtsnaam: string;
  geboortedatum: string;
  geslacht: string;
}

export interface NormalisedFacts {
  geslachtsnaam: string;
  geboortedatum: IsoDate;
  geslacht: "M" | "V" | "O";
  /** `<surname>|<date>|<sex>`: what the national pseudonym is made of. */
  canonical: string;
}

/** The surname as the national pseudonym takes it (see above). */
export function normaliseSurname(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/\s+/gu, " ")
    .trim();
}

const SEXES: Record<string, "M" | "V" | "O"> = { m: "M", v: "V", o: "O" };

export function normaliseFactsWithoutBsn(facts: YouthFactsWithoutBsn, today: IsoDate): Result<NormalisedFacts> {
  const geslachtsnaam = normaliseSurname(typeof facts.geslachtsnaam === "string" ? facts.geslachtsnaam : "");
  if (!geslachtsnaam || !/\p{L}/u.test(geslachtsnaam)) {
    return fail("FEITEN_ONGELDIG", "Vul de geslachtsnaam (achternaam) van de jeugdige in.", "geslachtsnaam");
  }
  if (geslachtsnaam.length > 200) return fail("FEITEN_ONGELDIG", "Deze geslachtsnaam is te lang (hoogstens 200 tekens).", "geslachtsnaam");
  const geboortedatum = typeof facts.geboortedatum === "string" ? facts.geboortedatum.trim() : "";
  if (!isIsoDate(geboortedatum)) {
    return fail("FEITEN_ONGELDIG", "Vul de geboortedatum van de jeugdige in als JJJJ-MM-DD, bijvoorbeeld 2019-03-14.", "geboortedatum");
  }
  if (geboortedatum > today) return fail("FEITEN_ONGELDIG", "De geboortedatum ligt in de toekomst. Controleer de datum.", "geboortedatum");
  const geslacht = SEXES[(typeof facts.geslacht === "string" ? facts.geslacht : "").trim().toLowerCase()];
  if (!geslacht) return fail("FEITEN_ONGELDIG", "Kies het geslacht van de jeugdige: M (man), V (vrouw) of O (onbekend of anders).", "geslacht");
  return ok({ geslachtsnaam, geboortedatum, geslacht, canonical: `${geslachtsnaam}|${geboortedatum}|${geslacht}` });
}
