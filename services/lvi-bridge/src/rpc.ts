/**
 * `rpc.brug` for the region's nodes (docs/national-chain.md): `pseudoniem.landelijk` forwards blinded elements to
 * the national pseudonym service (the bridge sees only blinded elements and evaluated ones, never a value or a
 * pseudonym), `vsn.opvragen` asks the national index for the verwijsindexservicenummer of a national pseudonym of
 * facts, `doorgeven` carries a node's sealed request to a node of another region and its sealed reply back,
 * `nodesleutels` lists the other regions' node keys (docs/adr/0042). Only the region's nodes may ask.
 */
import { BRUG, doorgifteResultaat, landelijkResultaat, memoryReplayGuard, nodesleutelsResultaat, serveRpc, vsnResultaat } from "@vi/events";
import { otherRegionsKeys } from "./node-keys";
import { NationalSideUnavailable } from "./national-side";
import { errorForLog } from "@vi/service";
import type { BridgeContext } from "./context";

class BridgeProblem extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function assertNode(ctx: BridgeContext, iss: string) {
  if (!ctx.gemeenten.has(iss)) throw new BridgeProblem("NIET_TOEGESTAAN", 403, `${iss} is geen node van deze regio.`);
}

async function forward<T>(ask: () => Promise<T>): Promise<T> {
  try {
    return await ask();
  } catch (e) {
    if (e instanceof NationalSideUnavailable)
      throw new BridgeProblem("LANDELIJK_ONBEREIKBAAR", 503, "De landelijke voorziening is op dit moment niet bereikbaar. Probeer het later opnieuw.");
    throw e;
  }
}

export function startBridgeRpc(ctx: BridgeContext) {
  return serveRpc({
    self: BRUG,
    keys: ctx.keys,
    trust: ctx.trust,
    transport: ctx.bus,
    replay: memoryReplayGuard(),
    metrics: ctx.events,
    ctx,
    queue: ctx.config.RPC_QUEUE,
    handlers: {
      "pseudoniem.landelijk": async (c, req) => {
        assertNode(c, req.iss);
        return landelijkResultaat.parse(await forward(() => c.national.evaluate(req.args.elementen)));
      },
      "vsn.opvragen": async (c, req) => {
        assertNode(c, req.iss);
        return vsnResultaat.parse(await forward(() => c.national.vsn(req.args.feiten)));
      },
      // A node's sealed request to a node of another region (docs/adr/0042): carried, never opened.
      doorgeven: async (c, req) => {
        assertNode(c, req.iss);
        if (c.gemeenten.has(req.args.onderwerp.slice("rpc.".length)))
          throw new BridgeProblem("VERZOEK_ONGELDIG", 400, "Een node van de eigen regio wordt via de regio gevraagd.");
        return doorgifteResultaat.parse(await forward(() => c.national.relay(req.args)));
      },
      nodesleutels: async (c, req) => {
        assertNode(c, req.iss);
        return nodesleutelsResultaat.parse({ sleutels: await forward(() => otherRegionsKeys(c)) });
      },
    },
    toProblem: (e, op) => {
      if (e instanceof BridgeProblem) return { code: e.code, status: e.status, detail: e.message };
      ctx.log.error({ err: errorForLog(e), op }, "rpc request failed");
      return { code: "INTERNE_FOUT", status: 500, detail: "Er ging iets mis bij de brug naar de landelijke index." };
    },
    onRejectedRequest: (reason) => ctx.log.warn({ reason }, "rpc request rejected"),
  });
}
