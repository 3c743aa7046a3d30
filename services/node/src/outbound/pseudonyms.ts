/**
 * The hub's pseudonyms, asked obliviously (docs/adr/0024): the node blinds
 * each value (youth's BSN, parents' BSNs, address id), sends only the blinded
 * elements to the pseudonym service (`rpc.pseudoniem`, one request for a
 * registration's few, requests of PSEUDONYM_CHUNK values for many), and
 * finalizes the evaluated elements into pseudonyms, one set per key version
 * the service holds (two during a key rotation). The node holds no key. It
 * keeps the pseudonyms of its youths (`jeugdigen.pseudoniemen`, per key
 * version, docs/adr/0047) for the hub's rebuild, which names the versions it
 * takes; every change asks again.
 */
import { blindItems, MAX_ELEMENTS_PER_REQUEST, type PseudonymItem, type PseudonymKind } from "@vi/pseudonym";
import { PSEUDONYM_SERVICE, pseudoniemResultaat, RpcRefused, RpcUnreachable, type RpcClient } from "@vi/events";
import type { KeptPseudonyms } from "@vi/db";
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

/** A youth's values as the pseudonyms are kept for them: the BSN, the parents in their stored order, the address. */
export interface YouthValues {
  bsn: string;
  ouders: readonly string[];
  adresId: string | null;
}

/**
 * What a youth's row keeps of `ps` (docs/adr/0047): per key version, the youth's, the parents' and, when asked, the
 * address's pseudonym. Undefined when `ps` lacks the youth's or a parent's under some version.
 */
export function keptOf(ps: Pseudonymised, youth: YouthValues): KeptPseudonyms | undefined {
  const kept: KeptPseudonyms = {};
  for (const versie of ps.versions) {
    const j = ps.get(versie, { kind: "jeugdige", value: youth.bsn });
    const o = youth.ouders.map((value) => ps.get(versie, { kind: "ouder", value }));
    if (!j || o.some((p) => p === undefined)) return undefined;
    const a = youth.adresId ? ps.get(versie, { kind: "adres", value: youth.adresId }) : undefined;
    kept[String(versie)] = { j, o: o as string[], ...(a ? { a } : {}) };
  }
  return ps.versions.length > 0 ? kept : undefined;
}

/** A youth's row as a page of the rebuild reads it: its values, whether its address is an institution's, what it keeps. */
export interface KeepingRow extends YouthValues {
  instelling: boolean;
  pseudoniemen: KeptPseudonyms | null;
}

/**
 * The pseudonyms of `rows` under exactly the key versions `versies`, from what the rows keep; the rows that do not
 * keep all they need under every one of them are asked of the service, and what it answered is returned to be kept
 * (`fresh`, by row). When the service does not hold one of `versies` (a rotation ended since the hub asked), every
 * value is asked and the answer is under the service's versions, as without `versies`.
 */
export async function pseudonymsKept<R extends KeepingRow>(
  rpc: RpcClient,
  rows: readonly R[],
  versies: readonly number[],
  itemsOf: (rows: readonly R[]) => PseudonymItem[],
): Promise<{ ps: Pseudonymised; fresh: { row: R; pseudoniemen: KeptPseudonyms }[] }> {
  const table = new Map<number, Map<string, string>>(versies.map((v) => [v, new Map()]));
  const missing: R[] = [];
  for (const r of rows) {
    const entries = versies.map((v) => r.pseudoniemen?.[String(v)]);
    const whole = entries.every((e) => e !== undefined && e.o.length === r.ouders.length && (!r.adresId || r.instelling || e.a !== undefined));
    if (!whole) {
      missing.push(r);
      continue;
    }
    for (const [i, v] of versies.entries()) {
      const e = entries[i]!;
      const byKey = table.get(v)!;
      byKey.set(keyOf({ kind: "jeugdige", value: r.bsn }), e.j);
      for (const [k, o] of r.ouders.entries()) byKey.set(keyOf({ kind: "ouder", value: o }), e.o[k]!);
      if (r.adresId && e.a) byKey.set(keyOf({ kind: "adres", value: r.adresId }), e.a);
    }
  }
  const fromKept: Pseudonymised = { versions: [...versies], get: (versie, item) => table.get(versie)?.get(keyOf(item)) };
  if (missing.length === 0) return { ps: fromKept, fresh: [] };
  const asked = await pseudonymise(rpc, itemsOf(missing));
  const fresh = missing.flatMap((row) => {
    const pseudoniemen = keptOf(asked, row);
    return pseudoniemen ? [{ row, pseudoniemen }] : [];
  });
  if (!versies.every((v) => asked.versions.includes(v))) return { ps: await pseudonymise(rpc, itemsOf(rows)), fresh };
  return {
    ps: { versions: [...versies], get: (versie, item) => fromKept.get(versie, item) ?? asked.get(versie, item) },
    fresh,
  };
}
