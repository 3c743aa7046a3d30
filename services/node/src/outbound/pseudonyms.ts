/**
 * The hub's pseudonyms, asked obliviously (docs/adr/0024): the node blinds
 * each value (youth's BSN, parents' BSNs, address id), sends only the blinded
 * elements to the pseudonym service (`rpc.pseudoniem`, one request for a
 * registration's few, requests of PSEUDONYM_CHUNK values for many), and
 * finalizes the evaluated elements into pseudonyms, one set per key version
 * the service holds (two during a key rotation). The node holds no key and
 * keeps no pseudonym: every change asks again.
 */
import { blindItems, MAX_ELEMENTS_PER_REQUEST, type PseudonymItem, type PseudonymKind } from "@vi/pseudonym";
import { PSEUDONYM_SERVICE, pseudoniemResultaat, RpcRefused, RpcUnreachable, type RpcClient } from "@vi/events";
import { problem } from "../problems";

export type { PseudonymItem, PseudonymKind };

/** Pseudonyms of a set of values, per key version. */
export interface Pseudonymised {
  versions: number[];
  /** The pseudonym of a value under a version; undefined when it was not asked. */
  get(versie: number, item: PseudonymItem): string | undefined;
  /**
   * The national pseudonyms of the same values (LANDELIJK=aan), asked before the transaction too; null when the
   * national link did not answer then (the transaction does not ask again: the signal waits for the link).
   */
  national?: NationalPseudonyms | null;
}

/** National pseudonyms of a set of values under the national key version `sleutelversie`. */
export interface NationalPseudonyms {
  sleutelversie: number;
  get(item: PseudonymItem): string | undefined;
}

/** A lookup over the national link's answer, in the order of `items`. */
export function nationalPseudonymsOf(items: readonly PseudonymItem[], answer: { pseudonyms: string[]; sleutelversie: number }): NationalPseudonyms {
  const of = new Map(items.map((item, i) => [keyOf(item), answer.pseudonyms[i]!]));
  return { sleutelversie: answer.sleutelversie, get: (item) => of.get(keyOf(item)) };
}

const keyOf = (item: PseudonymItem) => `${item.kind}:${item.value}`;
/**
 * Distinct values per request: a registration's few fit in one; a page of the hub's rebuild (250 signals, about 1,000
 * values) is sent in several. The pseudonym service evaluates a request in one go (about 0.2 ms of CPU per value and
 * key version) and a process answers one request at a time, so a request of 1,000 values keeps every other node's
 * request waiting behind it; with thirteen nodes asking at once a request could wait past the node's RPC_TIMEOUT_MS
 * (docs/adr/0040). The service accepts up to MAX_ELEMENTS_PER_REQUEST; 250 keeps each request short.
 */
export const PSEUDONYM_CHUNK = Math.min(250, MAX_ELEMENTS_PER_REQUEST);

/** One request per chunk of at most PSEUDONYM_CHUNK distinct values (one for a registration). */
export async function pseudonymise(rpc: RpcClient, items: readonly PseudonymItem[]): Promise<Pseudonymised> {
  const unique = [...new Map(items.map((i) => [keyOf(i), i])).values()];
  const table = new Map<number, Map<string, string>>();
  let versions: number[] | undefined;
  for (let at = 0; at < unique.length; at += PSEUDONYM_CHUNK) {
    const chunk = unique.slice(at, at + PSEUDONYM_CHUNK);
    const round = blindItems(chunk);
    const reply = await ask(rpc, round.elements);
    const got = reply.versies.map((v) => v.versie);
    // The service's versions changed between chunks (a rotation began or ended): the caller tries again.
    if (versions && got.join() !== versions.join())
      throw problem("PSEUDONIEMDIENST_ONBEREIKBAAR", "De pseudoniemsleutel wisselde tijdens het verzoek. Probeer het opnieuw.");
    versions = got;
    for (const v of reply.versies) {
      const pseudonyms = round.finish(v.elementen);
      let byKey = table.get(v.versie);
      if (!byKey) table.set(v.versie, (byKey = new Map()));
      for (const [i, item] of chunk.entries()) byKey.set(keyOf(item), pseudonyms[i]!);
    }
  }
  return {
    versions: versions ?? [],
    get: (versie, item) => table.get(versie)?.get(keyOf(item)),
  };
}

async function ask(rpc: RpcClient, elementen: string[]) {
  let result: unknown;
  try {
    result = await rpc.call(PSEUDONYM_SERVICE, "pseudoniem.evalueren", null, { elementen });
  } catch (e) {
    if (e instanceof RpcRefused || e instanceof RpcUnreachable)
      throw problem(
        "PSEUDONIEMDIENST_ONBEREIKBAAR",
        "De pseudoniemendienst van de regio is op dit moment niet bereikbaar. Probeer het over enkele minuten opnieuw.",
      );
    throw e;
  }
  const parsed = pseudoniemResultaat.safeParse(result);
  if (!parsed.success || parsed.data.versies.some((v) => v.elementen.length !== elementen.length))
    throw problem("PSEUDONIEMDIENST_ONBEREIKBAAR", "De pseudoniemendienst gaf geen geldig antwoord. Probeer het later opnieuw.");
  return parsed.data;
}
