/** The thirteen gemeenten of Regio Amsterdam (CBS gemeentecodes), plus reference data for synthetic addresses. */

import { type Gemeente, gemeente as gm, REGIO_AMSTERDAM } from "@vi/region";

export type { Gemeente };

/** Regio Amsterdam (MULTIsignaal), from @vi/region. Haarlem (GM0392) is deliberately not in this list. */
export const GEMEENTEN: Gemeente[] = [...REGIO_AMSTERDAM.gemeenten];

/** Gemeenten outside the region that appear in the demo data (Haarlem, Regio Kennemerland). */
export const GEMEENTEN_BUITEN_REGIO: Gemeente[] = [gm("0392", "Haarlem")];

export function gemeenteByCode(code: string): Gemeente | undefined {
  return GEMEENTEN.find((g) => g.code === code);
}

/** Any gemeente known to the demo data (region and outside), by 'GM....' or by four-digit CBS code. */
export function anyGemeente(codeOrCbs: string): Gemeente | undefined {
  return [...GEMEENTEN, ...GEMEENTEN_BUITEN_REGIO].find((g) => g.code === codeOrCbs || g.cbs === codeOrCbs);
}

export interface Woonplaats {
  naam: string;
  /** Range of four-digit postcode numbers (inclusive). */
  pcVan: number;
  pcTot: number;
}

/** Approximate number of inhabitants (2024, rounded) used to spread synthetic families. */
export const INWONERS: Record<string, number> = {
  GM0358: 33_000,
  GM0362: 95_000,
  GM0363: 930_000,
  GM0384: 32_000,
  GM0385: 37_000,
  GM0415: 11_700,
  GM0431: 9_800,
  GM0437: 15_000,
  GM0439: 93_000,
  GM0451: 31_000,
  GM0852: 17_500,
  GM0880: 16_500,
  GM0479: 160_000,
};

/** Woonplaatsen per gemeente with their postcode ranges (close to reality, good enough for synthetic data). */
export const WOONPLAATSEN: Record<string, Woonplaats[]> = {
  GM0358: [
    { naam: "Aalsmeer", pcVan: 1431, pcTot: 1433 },
    { naam: "Kudelstaart", pcVan: 1432, pcTot: 1432 },
  ],
  GM0362: [{ naam: "Amstelveen", pcVan: 1181, pcTot: 1189 }],
  GM0363: [{ naam: "Amsterdam", pcVan: 1011, pcTot: 1109 }],
  GM0384: [{ naam: "Diemen", pcVan: 1111, pcTot: 1112 }],
  GM0385: [
    { naam: "Volendam", pcVan: 1131, pcTot: 1132 },
    { naam: "Edam", pcVan: 1135, pcTot: 1135 },
  ],
  GM0415: [{ naam: "Landsmeer", pcVan: 1121, pcTot: 1121 }],
  GM0431: [{ naam: "Oostzaan", pcVan: 1511, pcTot: 1511 }],
  GM0437: [
    { naam: "Ouderkerk aan de Amstel", pcVan: 1191, pcTot: 1191 },
    { naam: "Duivendrecht", pcVan: 1115, pcTot: 1115 },
  ],
  GM0439: [{ naam: "Purmerend", pcVan: 1441, pcTot: 1448 }],
  GM0451: [{ naam: "Uithoorn", pcVan: 1420, pcTot: 1424 }],
  GM0852: [
    { naam: "Monnickendam", pcVan: 1141, pcTot: 1141 },
    { naam: "Broek in Waterland", pcVan: 1151, pcTot: 1151 },
  ],
  GM0880: [
    { naam: "Wormer", pcVan: 1531, pcTot: 1531 },
    { naam: "Jisp", pcVan: 1546, pcTot: 1546 },
  ],
  GM0479: [
    { naam: "Zaandam", pcVan: 1501, pcTot: 1509 },
    { naam: "Krommenie", pcVan: 1561, pcTot: 1562 },
    { naam: "Wormerveer", pcVan: 1521, pcTot: 1521 },
    { naam: "Assendelft", pcVan: 1566, pcTot: 1567 },
  ],
};
