/**
 * The acceptance fixture persons of docs/demo-data.md. Birth dates are derived from the ages on `today`, so every rule
 * in the fixture holds on any day the data is loaded.
 */
import { addDays, subtractYearsMonths } from "./dates";
import type { BrpAddress, BrpRecord } from "./types";

const HAARLEMMERWEG_1: BrpAddress = {
  straat: "Haarlemmerweg",
  huisnummer: 1,
  postcode: "1051KA",
  woonplaats: "Amsterdam",
  adresseerbaarObjectId: "0363010099000001",
};
const WESTZIJDE_12: BrpAddress = {
  straat: "Westzijde",
  huisnummer: 12,
  postcode: "1506EB",
  woonplaats: "Zaandam",
  adresseerbaarObjectId: "0479010099000002",
};
const PEPERSTRAAT_5: BrpAddress = {
  straat: "Peperstraat",
  huisnummer: 5,
  huisletter: "A",
  postcode: "1502AA",
  woonplaats: "Zaandam",
  adresseerbaarObjectId: "0479010099000003",
};
const STADSPLEIN_20: BrpAddress = {
  straat: "Stadsplein",
  huisnummer: 20,
  postcode: "1181ZM",
  woonplaats: "Amstelveen",
  adresseerbaarObjectId: "0362010099000004",
};
const OUDDIEMERLAAN_100: BrpAddress = {
  straat: "Ouddiemerlaan",
  huisnummer: 100,
  postcode: "1111HN",
  woonplaats: "Diemen",
  adresseerbaarObjectId: "0384010099000005",
};
const GROTE_MARKT_2: BrpAddress = {
  straat: "Grote Markt",
  huisnummer: 2,
  postcode: "2011RD",
  woonplaats: "Haarlem",
  adresseerbaarObjectId: "0392010099000006",
};
const WILHELMINALAAN_7: BrpAddress = {
  straat: "Wilhelminalaan",
  huisnummer: 7,
  postcode: "1111BC",
  woonplaats: "Diemen",
  adresseerbaarObjectId: "0384010099000007",
};
const KOESTRAAT_3: BrpAddress = {
  straat: "Koestraat",
  huisnummer: 3,
  postcode: "1441CA",
  woonplaats: "Purmerend",
  adresseerbaarObjectId: "0439010099000008",
};
const DORPSSTRAAT_8: BrpAddress = {
  straat: "Dorpsstraat",
  huisnummer: 8,
  postcode: "1421AB",
  woonplaats: "Uithoorn",
  adresseerbaarObjectId: "0451010099000009",
};
const DORPSSTRAAT_40: BrpAddress = {
  straat: "Dorpsstraat",
  huisnummer: 40,
  postcode: "1121BX",
  woonplaats: "Landsmeer",
  adresseerbaarObjectId: "0415010099000010",
};
/** A youth care institution: youths living here share an address but are not family. */
const INSTELLINGSWEG_10: BrpAddress = {
  straat: "Instellingsweg",
  huisnummer: 10,
  postcode: "1115AB",
  woonplaats: "Duivendrecht",
  adresseerbaarObjectId: "0437010099000011",
};

/** adresseerbaarObjectId of institution addresses in the fixture (Instellingsweg 10, Ouder-Amstel). */
export const DEMO_INSTITUTION_ADDRESS_IDS: string[] = [INSTELLINGSWEG_10.adresseerbaarObjectId];

/** BSN that passes the elfproef but is unknown to the BRP. */
export const DEMO_UNKNOWN_BSN = "999900183";
/** BSN that fails the elfproef. */
export const DEMO_INVALID_BSN = "123456789";

/** Born `age` years and three months before today: the age is exact and no birthday falls in the coming months. */
function bornAged(today: string, age: number): string {
  return subtractYearsMonths(today, age, 3);
}

type Sex = "M" | "V";

function person(
  bsn: string,
  voornamen: string,
  naam: { voorvoegsel?: string; geslachtsnaam: string },
  geslacht: Sex,
  geboortedatum: string,
  gemeenteCode: string,
  adres: BrpAddress,
  ouders: string[] = [],
  extra: { geheimhouding?: boolean; overlijdensdatum?: string } = {},
): BrpRecord {
  const rec: BrpRecord = {
    bsn,
    voornamen,
    geslachtsnaam: naam.geslachtsnaam,
    geslacht,
    geboortedatum,
    gemeenteCode,
    adres: { ...adres },
    geheimhouding: extra.geheimhouding ?? false,
    ouders,
  };
  if (naam.voorvoegsel) rec.voorvoegsel = naam.voorvoegsel;
  if (extra.overlijdensdatum) rec.overlijdensdatum = extra.overlijdensdatum;
  return rec;
}

/** Exactly the persons of docs/demo-data.md, with birth dates derived from `today` (YYYY-MM-DD, Europe/Amsterdam). */
export function demoPersons(today: string): BrpRecord[] {
  const yesterday = addDays(today, -1);
  const vanHaarlem = { voorvoegsel: "van", geslachtsnaam: "Haarlem" };
  return [
    person("999900018", "Adam", vanHaarlem, "M", bornAged(today, 10), "GM0363", HAARLEMMERWEG_1, ["999900031", "999900043"]),
    person("999900079", "Liam", vanHaarlem, "M", bornAged(today, 4), "GM0363", HAARLEMMERWEG_1, ["999900031", "999900043"]),
    person("999900031", "Sara", vanHaarlem, "V", bornAged(today, 38), "GM0363", HAARLEMMERWEG_1),
    person("999900043", "Daan", { geslachtsnaam: "Visser" }, "M", bornAged(today, 41), "GM0479", WESTZIJDE_12),
    person("999900055", "Noor", { geslachtsnaam: "Visser" }, "V", bornAged(today, 14), "GM0479", WESTZIJDE_12, ["999900043", "999900067"]),
    person("999900067", "Emma", { voorvoegsel: "de", geslachtsnaam: "Boer" }, "V", bornAged(today, 40), "GM0479", PEPERSTRAAT_5),
    person("999900080", "Sem", { geslachtsnaam: "Bakker" }, "M", bornAged(today, 17), "GM0362", STADSPLEIN_20, [], { geheimhouding: true }),
    // Turned 23 yesterday: born 23 years before yesterday.
    person("999900092", "Julia", { geslachtsnaam: "Smit" }, "V", subtractYearsMonths(yesterday, 23), "GM0384", OUDDIEMERLAAN_100),
    person("999900109", "Mila", { geslachtsnaam: "Jansen" }, "V", bornAged(today, 8), "GM0392", GROTE_MARKT_2, ["999900122"]),
    person("999900122", "Fatima", { geslachtsnaam: "Jansen" }, "V", bornAged(today, 36), "GM0392", GROTE_MARKT_2),
    person("999900134", "Yusuf", { geslachtsnaam: "El Amrani" }, "M", bornAged(today, 12), "GM0384", WILHELMINALAAN_7, ["999900122"]),
    person("999900146", "Lotte", { geslachtsnaam: "Mulder" }, "V", bornAged(today, 15), "GM0439", KOESTRAAT_3),
    person("999900158", "Finn", { voorvoegsel: "de", geslachtsnaam: "Vries" }, "M", bornAged(today, 16), "GM0451", DORPSSTRAAT_8),
    // Deceased three weeks ago, aged 9.
    person("999900171", "Bram", { geslachtsnaam: "Peters" }, "M", bornAged(today, 9), "GM0415", DORPSSTRAAT_40, [], {
      overlijdensdatum: addDays(today, -21),
    }),
    person("999900195", "Eva", { geslachtsnaam: "Koster" }, "V", bornAged(today, 15), "GM0437", INSTELLINGSWEG_10),
    person("999900201", "Tim", { geslachtsnaam: "Koster-Ali" }, "M", bornAged(today, 16), "GM0437", INSTELLINGSWEG_10),
  ];
}

/** 'Adam van Haarlem' */
export function volledigeNaam(r: Pick<BrpRecord, "voornamen" | "voorvoegsel" | "geslachtsnaam">): string {
  return [r.voornamen, r.voorvoegsel, r.geslachtsnaam].filter(Boolean).join(" ");
}
