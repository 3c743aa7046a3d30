/** A person as the (fake) BRP holds it. */

export interface BrpAddress {
  straat: string;
  huisnummer: number;
  huisletter?: string;
  /** Dutch postcode without space, e.g. '1051KA'. */
  postcode: string;
  woonplaats: string;
  /** BAG adresseerbaar object identificatie: 16 digits, starting with the four-digit gemeentecode. */
  adresseerbaarObjectId: string;
}

/** A date the BRP records as wholly unknown (Haal Centraal `DatumOnbekend`). */
export const DATUM_ONBEKEND = "onbekend";

export interface BrpRecord {
  bsn: string;
  voornamen: string;
  voorvoegsel?: string;
  geslachtsnaam: string;
  geslacht: "M" | "V";
  /** YYYY-MM-DD, or `onbekend` (DATUM_ONBEKEND) when the BRP knows no date of birth. */
  geboortedatum: string;
  /** Deceased: YYYY-MM-DD, or `onbekend` (DATUM_ONBEKEND) when the BRP records the death without a date. */
  overlijdensdatum?: string;
  /** Gemeente van inschrijving, e.g. 'GM0363'. */
  gemeenteCode: string;
  adres: BrpAddress;
  geheimhouding: boolean;
  /** BSNs of the parents. */
  ouders: string[];
}
