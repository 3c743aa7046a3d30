/**
 * What a node tells the hub for the region's figures (docs/adr/0031): counts only, per month and domain, and how far
 * its index is. Only the hub may ask (signed request over the bus); nothing here names a person.
 */
import type { NodeContext } from "../context";
import { problem } from "../problems";
import { countsByMonthAndDomain, newestSignalVersion } from "../store/figures";

export function assertHub(iss: string): void {
  if (iss !== "hub") throw problem("NIET_AANGESLOTEN", "Alleen de regionale hub kan cijfers opvragen.");
}

export async function figuresForHub(ctx: NodeContext, range: { van: string; tot: string; dagen: number }) {
  if (range.van > range.tot) throw problem("VERZOEK_ONGELDIG", "De eerste maand ligt na de laatste.");
  return { gemeente: ctx.gemeente.code, ...(await countsByMonthAndDomain(ctx.db, ctx.t, { ...range, now: ctx.clock.now() })) };
}

export async function indexPosition(ctx: NodeContext) {
  return { gemeente: ctx.gemeente.code, indexVersie: await newestSignalVersion(ctx.db, ctx.t) };
}
