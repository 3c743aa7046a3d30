/**
 * The NationalLink (../logic/national-link.ts) over the region's bridge (`rpc.brug`, docs/national-chain.md):
 * national pseudonyms are asked obliviously, as the region's are (blind here, the national pseudonym service
 * evaluates through the bridge, finalise here), so neither the bridge nor the national side sees a value; the
 * verwijsindexservicenummer is asked with the national pseudonym of the facts only.
 */
import { blindItems, MAX_ELEMENTS_PER_REQUEST, type PseudonymItem } from "@vi/pseudonym";
import { BRUG, landelijkResultaat, RpcRefused, RpcUnreachable, type RpcClient, vsnResultaat } from "@vi/events";
import { type NationalLink, NationalLinkUnavailable, type NationalPseudonymItem } from "../logic/national-link";

/** How long a node waits for the bridge (it forwards to the national pseudonym service over HTTPS). */
const TIMEOUT_MS = 5000;

async function ask(rpc: RpcClient, op: "pseudoniem.landelijk" | "vsn.opvragen", args: Record<string, unknown>): Promise<unknown> {
  try {
    return await rpc.call(BRUG, op, null, args as never, { timeoutMs: TIMEOUT_MS });
  } catch (e) {
    if (e instanceof RpcUnreachable) throw new NationalLinkUnavailable(`the bridge did not answer ${op}`);
    if (e instanceof RpcRefused) throw new NationalLinkUnavailable(`the bridge refused ${op}: ${e.problem.code}`);
    throw e;
  }
}

export function bridgeNationalLink(rpc: RpcClient): NationalLink {
  return {
    async pseudonyms(items: readonly NationalPseudonymItem[]) {
      if (items.length === 0) return { pseudonyms: [], sleutelversie: 0 };
      const out: string[] = [];
      let versie: number | undefined;
      for (let at = 0; at < items.length; at += MAX_ELEMENTS_PER_REQUEST) {
        const chunk = items.slice(at, at + MAX_ELEMENTS_PER_REQUEST) as PseudonymItem[];
        const round = blindItems(chunk);
        const parsed = landelijkResultaat.safeParse(await ask(rpc, "pseudoniem.landelijk", { elementen: round.elements }));
        if (!parsed.success || parsed.data.elementen.length !== chunk.length) throw new NationalLinkUnavailable("the bridge gave no valid answer");
        if (versie !== undefined && versie !== parsed.data.sleutelversie) throw new NationalLinkUnavailable("the national key changed during the request");
        versie = parsed.data.sleutelversie;
        out.push(...round.finish(parsed.data.elementen));
      }
      return { pseudonyms: out, sleutelversie: versie! };
    },
    async vsn(feitenPseudoniem: string) {
      const parsed = vsnResultaat.safeParse(await ask(rpc, "vsn.opvragen", { feiten: feitenPseudoniem }));
      if (!parsed.success) throw new NationalLinkUnavailable("the bridge gave no valid answer");
      return parsed.data.vsn;
    },
  };
}
