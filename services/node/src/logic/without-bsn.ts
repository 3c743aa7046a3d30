/**
 * Registering on a youth without a BSN (Besluit Jeugdwet ch. 7; docs/adr/0038): the professional gives surname, date
 * of birth and sex; the node normalises them (@vi/domain), asks the national link for their national pseudonym (kind
 * `vsn-feiten`) and for the verwijsindexservicenummer of that pseudonym, and stores the signal on that number, marked
 * as such, at this node (there is no BRP residence). Matches follow as for any youth (client matches on the same
 * number; no family or address facts). Nothing is stored when the national link cannot be reached.
 *
 * Kept of the facts: what the card and the rules need, nothing more: the surname as entered (trimmed, spaces
 * collapsed) as the youth's name, the date of birth (age rules, the 23rd birthday) and the sex. The facts never reach
 * a log line, the hub or the bridge: the national link gets only the blinded pseudonym's input through its OPRF.
 */
import type { Persoon } from "@vi/brp";
import { normaliseFactsWithoutBsn, todayIn, youthInScope, type YouthFactsWithoutBsn } from "@vi/domain";
import type { Actor, NodeContext } from "../context";
import { domainProblem, problem } from "../problems";
import type { RegisterResult } from "../schemas";
import { NationalLinkUnavailable } from "./national-link";
import { admitRegistration } from "./pattern";
import { type RegistrationInput, registerAtResidence } from "./signals";

const unavailable = () =>
  problem(
    "LANDELIJKE_VERWIJSINDEX_ONBEREIKBAAR",
    "De landelijke verwijsindex is nu niet bereikbaar, dus het verwijsindexservicenummer van deze jeugdige zonder BSN kan niet worden opgevraagd. Er is niets vastgelegd; probeer het over enkele minuten opnieuw.",
  );

/** The verwijsindexservicenummer of these normalised facts (`<surname>|<date>|<sex>`), through the national link. */
export async function verwijsindexservicenummer(ctx: NodeContext, canonical: string): Promise<string> {
  if (!ctx.national) throw unavailable();
  try {
    const { pseudonyms } = await ctx.national.pseudonyms([{ kind: "vsn-feiten", value: canonical }]);
    const vsn = await ctx.national.vsn(pseudonyms[0]!);
    if (!/^\d{9}$/.test(vsn)) throw new NationalLinkUnavailable("the national index gave no 9-digit verwijsindexservicenummer");
    return vsn;
  } catch (e) {
    if (e instanceof NationalLinkUnavailable) {
      ctx.log.warn({ err: { name: e.name, message: e.message } }, "national link unavailable: registration without a BSN refused");
      throw unavailable();
    }
    throw e;
  }
}

/** The youth as the node keeps them without a BSN: no BRP data, living (for the index) where they were registered. */
export function persoonZonderBsn(vsn: string, facts: { naam: string; geboortedatum: string; geslacht: "M" | "V" | "O" }, gemeenteCode: string): Persoon {
  return {
    bsn: vsn,
    naam: { voornamen: "", geslachtsnaam: facts.naam, volledigeNaam: facts.naam },
    geboortedatum: facts.geboortedatum,
    geslacht: facts.geslacht,
    overlijdensdatum: null,
    geheimhouding: false,
    gemeenteCode,
    adres: null,
    ouders: [],
  };
}

export async function registerWithoutBsn(
  ctx: NodeContext,
  actor: Actor,
  input: Omit<RegistrationInput, "bsn">,
  facts: YouthFactsWithoutBsn,
): Promise<RegisterResult> {
  const today = todayIn(ctx.clock);
  const normalised = normaliseFactsWithoutBsn(facts, today);
  if (!normalised.ok) throw domainProblem(normalised.error);
  // Too old is refused before anything leaves the node.
  const inScope = youthInScope(today, { birthDate: normalised.value.geboortedatum, deceasedOn: null, deceased: false });
  if (!inScope.ok) throw domainProblem(inScope.error);
  const vsn = await verwijsindexservicenummer(ctx, normalised.value.canonical);
  const slot = await admitRegistration(ctx, actor, `vsn:${vsn}`);
  try {
    const naam = facts.geslachtsnaam.replace(/\s+/gu, " ").trim();
    const persoon = persoonZonderBsn(vsn, { naam, geboortedatum: normalised.value.geboortedatum, geslacht: normalised.value.geslacht }, ctx.gemeente.code);
    return await registerAtResidence(ctx, actor, { ...input, bsn: vsn }, persoon, ctx.gemeente.code, { zonderBsn: true });
  } catch (e) {
    slot.release();
    throw e;
  }
}
