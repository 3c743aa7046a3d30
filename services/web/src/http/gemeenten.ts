import type { WebDeps } from "./context";

/** The gemeenten of `codes` that have a node here, in the region's order, the configured default first. */
export function connectedNodes(deps: WebDeps, codes: readonly string[]): Array<{ code: string; naam: string }> {
  const order = [...deps.config.NODES.keys()];
  const preferred = deps.config.STANDAARD_GEMEENTE;
  return codes
    .filter((code) => deps.config.NODES.has(code))
    .sort((a, b) => (a === preferred ? -1 : b === preferred ? 1 : order.indexOf(a) - order.indexOf(b)))
    .map((code) => ({ code, naam: deps.region.naamVan(code) }));
}

/** The hub of the professional's region: HUB_URLS names it for the gemeenten of another region, else HUB_URL. */
export function hubUrlFor(deps: WebDeps, professional: { organisatie: { aangeslotenBij: readonly string[] } }): string | undefined {
  for (const code of professional.organisatie.aangeslotenBij) {
    const url = deps.config.HUB_URLS.get(code);
    if (url) return url;
  }
  return deps.config.HUB_URL;
}
