/**
 * `rpc.brug` for the region's nodes (docs/national-chain.md): `pseudoniem.landelijk` forwards blinded elements to
 * the national pseudonym service (the bridge sees only blinded elements and evaluated ones, never a value or a
 * pseudonym), `vsn.opvragen` asks the national index for the verwijsindexservicenummer of a national pseudonym of
 * facts. Only the region's nodes may ask.
 */
import { BRUG, landelijkResultaat, memoryReplayGuard, serveRpc, vsnResultaat } from "@vi/events";
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
    },
    toProblem: (e, op) => {
      if (e instanceof BridgeProblem) return { code: e.code, status: e.status, detail: e.message };
      ctx.log.error({ err: errorForLog(e), op }, "rpc request failed");
      return { code: "INTERNE_FOUT", status: 500, detail: "Er ging iets mis bij de brug naar de landelijke index." };
    },
    onRejectedRequest: (reason) => ctx.log.warn({ reason }, "rpc request rejected"),
  });
}
