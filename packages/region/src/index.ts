/**
 * The region as configuration: which gemeenten take part, their names and
 * where their nodes listen by default, and the organisation categories the
 * region adds to the law's list of those that may signal. Regio Amsterdam
 * (MULTIsignaal, with kinderopvang) is the default; another region passes its
 * own list (`REGIO_GEMEENTEN`, `REGIO_EXTRA_DOMEINEN`).
 */

export interface Gemeente {
  /** CBS gemeentecode with prefix, e.g. `GM0363`. */
  code: string;
  /** Four-digit CBS code as the BRP uses it, e.g. `0363`. */
  cbs: string;
  naam: string;
  /** Default port of this gemeente's node: 8000 + the CBS number. */
  port: number;
}

export interface Region {
  naam: string;
  gemeenten: readonly Gemeente[];
  /** The gemeente with this code, when it takes part. */
  gemeente(code: string): Gemeente | undefined;
  /** True when the gemeente takes part in the region. */
  includes(code: string): boolean;
  /** The gemeente's name, or its code when it is not part of the region. */
  naamVan(code: string): string;
  /** Organisation categories (domein) that may signal here besides the law's list (Regio Amsterdam: kinderopvang). */
  extraDomains: readonly string[];
}

const CODE = /^GM\d{4}$/;

export function gemeente(cbs: string, naam: string): Gemeente {
  return { code: `GM${cbs}`, cbs, naam, port: 8000 + Number(cbs) };
}

const DOMAIN = /^[a-z][a-z-]{1,62}$/;

export function defineRegion(naam: string, gemeenten: readonly Gemeente[], extraDomains: readonly string[] = []): Region {
  const byCode = new Map(gemeenten.map((g) => [g.code, g]));
  if (byCode.size !== gemeenten.length) throw new Error(`region ${naam}: a gemeente appears twice`);
  for (const g of gemeenten) if (!CODE.test(g.code)) throw new Error(`region ${naam}: "${g.code}" is not a CBS code such as GM0363`);
  for (const d of extraDomains) if (!DOMAIN.test(d)) throw new Error(`region ${naam}: "${d}" is not a category such as kinderopvang`);
  return {
    naam,
    gemeenten,
    extraDomains: [...extraDomains],
    gemeente: (code) => byCode.get(code),
    includes: (code) => byCode.has(code),
    naamVan: (code) => byCode.get(code)?.naam ?? code,
  };
}

/** Regio Amsterdam: the thirteen gemeenten of MULTIsignaal, where kinderopvang may signal too. Haarlem (GM0392) is in another region. */
export const REGIO_AMSTERDAM: Region = defineRegion(
  "Regio Amsterdam",
  [
    gemeente("0358", "Aalsmeer"),
    gemeente("0362", "Amstelveen"),
    gemeente("0363", "Amsterdam"),
    gemeente("0384", "Diemen"),
    gemeente("0385", "Edam-Volendam"),
    gemeente("0415", "Landsmeer"),
    gemeente("0431", "Oostzaan"),
    gemeente("0437", "Ouder-Amstel"),
    gemeente("0439", "Purmerend"),
    gemeente("0451", "Uithoorn"),
    gemeente("0852", "Waterland"),
    gemeente("0880", "Wormerland"),
    gemeente("0479", "Zaanstad"),
  ],
  ["kinderopvang"],
);

/**
 * Zuid-Kennemerland, the second region of the demo (docs/national-chain.md): Haarlem and its neighbours. Its own hub,
 * pseudonym service and bridge to the national index; `npm start` starts Haarlem's node (8392) only.
 */
export const REGIO_ZUID_KENNEMERLAND: Region = defineRegion("Zuid-Kennemerland", [
  gemeente("0392", "Haarlem"),
  gemeente("0377", "Bloemendaal"),
  gemeente("0397", "Heemstede"),
  gemeente("0473", "Zandvoort"),
]);

/** The regions the national index knows in the demo, by their id. */
export const REGIONS: Readonly<Record<string, Region>> = { amsterdam: REGIO_AMSTERDAM, "zuid-kennemerland": REGIO_ZUID_KENNEMERLAND };

/** The region a gemeente belongs to in the demo, when any. */
export function regionOf(code: string): { id: string; region: Region } | undefined {
  for (const [id, region] of Object.entries(REGIONS)) if (region.includes(code)) return { id, region };
  return undefined;
}

/**
 * A region from configuration: `GM0363=Amsterdam,GM0479=Zaanstad` (optionally
 * `REGIO_NAAM`); without a value, Regio Amsterdam. `extraDomeinen`
 * (`REGIO_EXTRA_DOMEINEN`, comma-separated, e.g. `kinderopvang`) sets the
 * categories the region adds; unset, Regio Amsterdam's own (kinderopvang)
 * or none for another region.
 */
export function regionFromConfig(gemeenten: string | undefined, naam?: string, extraDomeinen?: string): Region {
  const extra =
    extraDomeinen === undefined
      ? undefined
      : extraDomeinen
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean);
  if (gemeenten === undefined || gemeenten.trim() === "") {
    return extra === undefined ? REGIO_AMSTERDAM : defineRegion(REGIO_AMSTERDAM.naam, REGIO_AMSTERDAM.gemeenten, extra);
  }
  const list = gemeenten
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((item) => {
      const eq = item.indexOf("=");
      const code = (eq < 0 ? item : item.slice(0, eq)).trim();
      if (!CODE.test(code)) throw new Error(`REGIO_GEMEENTEN: "${code}" is not a CBS code such as GM0363`);
      const known = REGIO_AMSTERDAM.gemeente(code);
      const name = eq < 0 ? (known?.naam ?? code) : item.slice(eq + 1).trim();
      return gemeente(code.slice(2), name || code);
    });
  return defineRegion(naam ?? "Regio", list, extra ?? []);
}
