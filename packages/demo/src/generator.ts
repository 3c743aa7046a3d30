/**
 * Deterministic, procedural bulk population for the fake BRP.
 *
 * Nothing is materialised per person: every person is computed on demand from (seed, today, index). Only two
 * typed arrays are kept (youth -> family, family -> first youth), about 8 bytes per youth, so 1,000,000 youths
 * cost about 8 MB.
 *
 * BSNs: bulk BSNs are nine digits, start with '9', pass the elfproef and never start with '999' (the block that
 * holds the fixture and other test BSNs). The person index is encoded in the digits, so lookup by BSN is O(1):
 *   index = hi * 9 + lo; digits 2..7 = hi (000000..989999); digit 8 = the lo-th (0..8) value for which a valid
 *   check digit 0..9 exists; digit 9 = that check digit. For any prefix at least nine of the ten values of digit 8
 *   admit a valid check digit, so the encoding is total and bijective.
 * (A '9999' prefix leaves only five free digits, i.e. at most ~9,000 valid BSNs: too few for a million youths.)
 */
import { addDays, daysBetween, subtractYearsMonths } from "./dates";
import { GEMEENTEN, INWONERS, WOONPLAATSEN } from "./gemeenten";
import { ACHTERNAMEN, INSTELLING_STRATEN, STRATEN, VOORNAMEN_M, VOORNAMEN_V } from "./names";
import type { BrpAddress, BrpRecord } from "./types";

export interface PopulationConfig {
  seed: number;
  /** Number of youths (up to at least 1,000,000). */
  youths: number;
  /** YYYY-MM-DD, Europe/Amsterdam: ages are derived from it. */
  today: string;
}

export interface Population {
  size: { youths: number; persons: number };
  byBsn(bsn: string): BrpRecord | undefined;
  /** BSN of youth i, i in [0, youths). */
  youthBsn(i: number): string;
  youths(): Iterable<BrpRecord>;
  /** adresseerbaarObjectIds of the institution addresses used in this population. */
  institutionAddressIds(): string[];
}

// ---------------------------------------------------------------------------------------------------------------
// BSN encoding

const HI_LIMIT = 990_000;
/** Maximum number of persons (youths + parent slots) the BSN encoding can address. */
export const BULK_BSN_CAPACITY = HI_LIMIT * 9;
const WEIGHTS_2_TO_7 = [8, 7, 6, 5, 4, 3];

function prefixSum(hi: number): { digits: string; sum: number } {
  const digits = String(hi).padStart(6, "0");
  let sum = 9 * 9;
  for (let i = 0; i < 6; i++) sum += (WEIGHTS_2_TO_7[i] as number) * (digits.charCodeAt(i) - 48);
  return { digits, sum };
}

/** BSN of bulk person `index`. */
export function bulkBsn(index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= BULK_BSN_CAPACITY) throw new RangeError(`Persoonsindex buiten bereik: ${index}`);
  const hi = Math.floor(index / 9);
  let lo = index % 9;
  const { digits, sum } = prefixSum(hi);
  for (let d8 = 0; d8 < 10; d8++) {
    const d9 = (sum + 2 * d8) % 11;
    if (d9 === 10) continue;
    if (lo === 0) return `9${digits}${d8}${d9}`;
    lo--;
  }
  throw new Error("unreachable: at least nine digit-8 values admit a check digit");
}

/** The person index encoded in a bulk BSN, or undefined when `bsn` is not a bulk BSN. */
export function bulkPersonIndex(bsn: string): number | undefined {
  if (!/^9\d{8}$/.test(bsn)) return undefined;
  const hi = Number(bsn.slice(1, 7));
  if (hi >= HI_LIMIT) return undefined;
  const d8 = bsn.charCodeAt(7) - 48;
  const d9 = bsn.charCodeAt(8) - 48;
  const { sum } = prefixSum(hi);
  if ((sum + 2 * d8) % 11 !== d9) return undefined;
  let lo = 0;
  for (let v = 0; v < d8; v++) if ((sum + 2 * v) % 11 !== 10) lo++;
  if (lo > 8) return undefined;
  return hi * 9 + lo;
}

/** True when `bsn` has the shape of a generated bulk BSN (whether or not a person exists for it). */
export function isBulkBsn(bsn: string): boolean {
  return bulkPersonIndex(bsn) !== undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Deterministic hashing

function mix(x: number): number {
  x = (x ^ (x >>> 16)) >>> 0;
  x = Math.imul(x, 0x7feb352d);
  x = (x ^ (x >>> 15)) >>> 0;
  x = Math.imul(x, 0x846ca68b);
  x = (x ^ (x >>> 16)) >>> 0;
  return x;
}

enum Salt {
  YouthCount = 1,
  Parents,
  Split,
  Gemeente,
  Gemeente2,
  SameGemeente,
  Secret,
  Surname,
  Surname2,
  Sex,
  FirstName,
  Age,
  AgeOld,
  BirthDay,
  Deceased,
  DeathDay,
  Institution,
  InstitutionPick,
  ParentAge,
  ParentSex,
  Street,
  HouseNumber,
  HouseLetter,
  Postcode,
  Woonplaats,
  InstitutionGemeente,
  SecondName,
}

function pick<T>(list: readonly T[], h: number): T {
  return list[h % list.length] as T;
}

// ---------------------------------------------------------------------------------------------------------------

const GEMEENTE_THRESHOLDS: number[] = (() => {
  const total = GEMEENTEN.reduce((s, g) => s + (INWONERS[g.code] ?? 0), 0);
  let acc = 0;
  return GEMEENTEN.map((g) => {
    acc += INWONERS[g.code] ?? 0;
    return Math.round((acc / total) * 0x1_0000_0000);
  });
})();

function weightedGemeente(h: number): number {
  for (let i = 0; i < GEMEENTE_THRESHOLDS.length; i++) if (h < (GEMEENTE_THRESHOLDS[i] as number)) return i;
  return GEMEENTEN.length - 1;
}

const P = (p: number) => Math.floor(p * 0x1_0000_0000);

interface Family {
  gemeente: number;
  parents: 1 | 2;
  split: boolean;
  gemeente2: number;
  secret: boolean;
  surname: number;
  surname2: number;
}

/** Probabilities of the generator. */
const RATES = {
  twoParents: P(0.82),
  split: P(0.12),
  secret: P(0.005),
  deceased: P(0.001),
  institution: P(0.01),
  over23: P(0.02),
};

export function generatePopulation(cfg: PopulationConfig): Population {
  const Y = cfg.youths;
  if (!Number.isInteger(Y) || Y < 0) throw new RangeError("Aantal jongeren moet een niet-negatief geheel getal zijn.");
  const today = cfg.today;
  subtractYearsMonths(today, 0); // validates the date
  const seedMix = mix((cfg.seed >>> 0) ^ 0x2545f491);
  const h = (salt: Salt, k: number): number => mix(mix(k ^ seedMix) ^ Math.imul(salt, 0x9e3779b1));

  // Family layout: family k owns youths [youthStart[k], youthStart[k+1]).
  const familyOfYouth = new Uint32Array(Y);
  const starts = new Uint32Array(Y + 1);
  let families = 0;
  let parentsTotal = 0;
  for (let assigned = 0; assigned < Y; families++) {
    const r = h(Salt.YouthCount, families);
    const wanted = r < P(0.3) ? 1 : r < P(0.7) ? 2 : r < P(0.9) ? 3 : 4;
    const count = Math.min(wanted, Y - assigned);
    starts[families] = assigned;
    familyOfYouth.fill(families, assigned, assigned + count);
    assigned += count;
    parentsTotal += h(Salt.Parents, families) < RATES.twoParents ? 2 : 1;
  }
  starts[families] = Y;
  const youthStart = starts.subarray(0, families + 1);
  if (Y + 2 * families > BULK_BSN_CAPACITY)
    throw new RangeError(`Te veel jongeren voor de BSN-ruimte (maximaal ongeveer ${Math.floor(BULK_BSN_CAPACITY / 2)}).`);

  const institutions = Y === 0 ? 0 : Math.max(GEMEENTEN.length, Math.ceil((Y * 0.01) / 25));

  function family(k: number): Family {
    const parents = h(Salt.Parents, k) < RATES.twoParents ? 2 : 1;
    const gemeente = weightedGemeente(h(Salt.Gemeente, k));
    const split = parents === 2 && h(Salt.Split, k) < RATES.split;
    let gemeente2 = gemeente;
    if (split && h(Salt.SameGemeente, k) < P(0.5)) {
      gemeente2 = weightedGemeente(h(Salt.Gemeente2, k));
      if (gemeente2 === gemeente) gemeente2 = (gemeente + 1 + (h(Salt.Gemeente2, k) % (GEMEENTEN.length - 1))) % GEMEENTEN.length;
    }
    return {
      gemeente,
      parents,
      split,
      gemeente2,
      secret: h(Salt.Secret, k) < RATES.secret,
      surname: h(Salt.Surname, k) % ACHTERNAMEN.length,
      surname2: h(Salt.Surname2, k) % ACHTERNAMEN.length,
    };
  }

  function address(gemeente: number, serial: number, institution: boolean): BrpAddress {
    const g = GEMEENTEN[gemeente]!;
    const plaats = pick(WOONPLAATSEN[g.code]!, h(Salt.Woonplaats, serial));
    const pcRange = plaats.pcTot - plaats.pcVan + 1;
    const hp = h(Salt.Postcode, serial);
    const letters = "ABCEGHJKLMNPRTVWXZ";
    const postcode = `${plaats.pcVan + (hp % pcRange)}${letters[(hp >>> 8) % letters.length]}${letters[(hp >>> 16) % letters.length]}`;
    const hl = h(Salt.HouseLetter, serial);
    const adres: BrpAddress = {
      straat: pick(institution ? INSTELLING_STRATEN : STRATEN, h(Salt.Street, serial)),
      huisnummer: 1 + (h(Salt.HouseNumber, serial) % (institution ? 60 : 180)),
      postcode,
      woonplaats: plaats.naam,
      adresseerbaarObjectId: `${g.cbs}01${String(serial).padStart(10, "0")}`,
    };
    if (!institution && hl < P(0.08)) adres.huisletter = "ABCD"[hl % 4];
    return adres;
  }

  const homeSerial = (k: number) => 1 + 2 * k;
  const secondSerial = (k: number) => 2 + 2 * k;
  const institutionSerial = (j: number) => 9_000_000_000 + j;
  const institutionGemeente = (j: number) => (j < GEMEENTEN.length ? j : weightedGemeente(h(Salt.InstitutionGemeente, j)));

  function youthAge(i: number): number {
    const r = h(Salt.Age, i);
    if (h(Salt.AgeOld, i) < RATES.over23) return 23 + (r % 3);
    return r % 23;
  }

  function birthDate(age: number, key: number, salt: Salt): string {
    // `age` years before today, minus 1..364 days: the age on `today` is exactly `age`.
    return addDays(subtractYearsMonths(today, age), -(1 + (h(salt, key) % 364)));
  }

  function parentBsns(k: number, fam: Family): string[] {
    const out: string[] = [];
    for (let j = 0; j < fam.parents; j++) out.push(bulkBsn(Y + 2 * k + j));
    return out;
  }

  function name(surnameIdx: number): { voorvoegsel?: string; geslachtsnaam: string } {
    const [voorvoegsel, geslachtsnaam] = ACHTERNAMEN[surnameIdx]!;
    return voorvoegsel ? { voorvoegsel, geslachtsnaam } : { geslachtsnaam };
  }

  function firstNames(sex: "M" | "V", key: number, salt: Salt): string {
    const list = sex === "M" ? VOORNAMEN_M : VOORNAMEN_V;
    const first = pick(list, h(salt, key));
    const second = h(Salt.SecondName, key ^ salt);
    return second < P(0.35) ? `${first} ${pick(list, second >>> 3)}` : first;
  }

  function youth(i: number): BrpRecord {
    const k = familyOfYouth[i]!;
    const ordinal = i - youthStart[k]!;
    const fam = family(k);
    const sex: "M" | "V" = h(Salt.Sex, i) & 1 ? "M" : "V";
    const age = youthAge(i);
    const geboortedatum = birthDate(age, i, Salt.BirthDay);
    let gemeente = fam.gemeente;
    let adres: BrpAddress;
    if (h(Salt.Institution, i) < RATES.institution && institutions > 0) {
      const j = h(Salt.InstitutionPick, i) % institutions;
      gemeente = institutionGemeente(j);
      adres = address(gemeente, institutionSerial(j), true);
    } else if (fam.split && ordinal % 2 === 1) {
      gemeente = fam.gemeente2;
      adres = address(gemeente, secondSerial(k), false);
    } else {
      adres = address(gemeente, homeSerial(k), false);
    }
    const rec: BrpRecord = {
      bsn: bulkBsn(i),
      voornamen: firstNames(sex, i, Salt.FirstName),
      ...name(fam.surname),
      geslacht: sex,
      geboortedatum,
      gemeenteCode: GEMEENTEN[gemeente]!.code,
      adres,
      geheimhouding: fam.secret,
      ouders: parentBsns(k, fam),
    };
    if (h(Salt.Deceased, i) < RATES.deceased) {
      const lived = Math.max(0, daysBetween(geboortedatum, today));
      const ago = Math.min(lived, 1 + (h(Salt.DeathDay, i) % Math.max(1, Math.min(lived, 730))));
      rec.overlijdensdatum = addDays(today, -ago);
    }
    return rec;
  }

  function parent(k: number, j: 0 | 1): BrpRecord {
    const fam = family(k);
    let oldest = 0;
    for (let i = youthStart[k]!; i < youthStart[k + 1]!; i++) oldest = Math.max(oldest, youthAge(i));
    const key = 2 * k + j;
    const age = oldest + 20 + (h(Salt.ParentAge, key) % 18);
    // The first parent is mostly the mother; a second parent is of the other sex.
    const firstIsMother = h(Salt.ParentSex, k) < P(0.85);
    const sex: "M" | "V" = (j === 0) === firstIsMother ? "V" : "M";
    const moved = j === 1 && fam.split;
    const gemeente = moved ? fam.gemeente2 : fam.gemeente;
    return {
      bsn: bulkBsn(Y + key),
      voornamen: firstNames(sex, key, Salt.FirstName),
      ...name(j === 0 ? fam.surname : fam.surname2),
      geslacht: sex,
      geboortedatum: birthDate(age, key, Salt.BirthDay),
      gemeenteCode: GEMEENTEN[gemeente]!.code,
      adres: address(gemeente, moved ? secondSerial(k) : homeSerial(k), false),
      geheimhouding: fam.secret,
      ouders: [],
    };
  }

  return {
    size: { youths: Y, persons: Y + parentsTotal },
    byBsn(bsn: string): BrpRecord | undefined {
      const idx = bulkPersonIndex(bsn);
      if (idx === undefined) return undefined;
      if (idx < Y) return youth(idx);
      const slot = idx - Y;
      const k = Math.floor(slot / 2);
      const j = (slot % 2) as 0 | 1;
      if (k >= families || j >= family(k).parents) return undefined;
      return parent(k, j);
    },
    youthBsn(i: number): string {
      if (!Number.isInteger(i) || i < 0 || i >= Y) throw new RangeError(`Jongere-index buiten bereik: ${i}`);
      return bulkBsn(i);
    },
    *youths(): Iterable<BrpRecord> {
      for (let i = 0; i < Y; i++) yield youth(i);
    },
    institutionAddressIds(): string[] {
      const ids: string[] = [];
      for (let j = 0; j < institutions; j++) ids.push(address(institutionGemeente(j), institutionSerial(j), true).adresseerbaarObjectId);
      return ids;
    },
  };
}
