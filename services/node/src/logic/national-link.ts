/**
 * The node's link to the national index, through its region's bridge (`rpc.brug`, docs/national-chain.md). A port:
 * the logic asks through this interface; services/node/src/outbound implements it over the bus. The bridge and the
 * national index never see a BSN or a name: the node sends blinded OPRF elements and national pseudonyms only.
 */

/** What a national pseudonym is made of: the same kinds as the region's pseudonyms, plus a youth's facts without a BSN. */
export type NationalPseudonymKind = "jeugdige" | "ouder" | "adres" | "vsn-feiten";

export interface NationalPseudonymItem {
  kind: NationalPseudonymKind;
  /** The value in its canonical form (a BSN, an address id, or the normalised facts of a youth without a BSN). */
  value: string;
}

export interface NationalLink {
  /**
   * National pseudonyms (43 base64url characters each, in the order asked) and the national key version they were made
   * with. Throws NationalLinkUnavailable when the bridge or the national pseudonym service cannot be reached.
   */
  pseudonyms(items: readonly NationalPseudonymItem[]): Promise<{ pseudonyms: string[]; sleutelversie: number }>;
  /**
   * The verwijsindexservicenummer (9 digits) the national index gives the national pseudonym of a youth's normalised
   * facts (kind `vsn-feiten`): the same facts always give the same number. Throws NationalLinkUnavailable.
   */
  vsn(feitenPseudoniem: string): Promise<string>;
}

/** The bridge or the national index could not be reached: not the user's mistake (a 503 at the API). */
export class NationalLinkUnavailable extends Error {
  constructor(message = "national link unavailable") {
    super(message);
    this.name = "NationalLinkUnavailable";
  }
}
