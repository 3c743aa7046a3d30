/**
 * `rpc.brug` for the region's nodes (docs/national-chain.md): `pseudoniem.landelijk` forwards blinded elements to
 * the national pseudonym service (the bridge sees only blinded elements and evaluated ones, never a value or a
 * pseudonym), `vsn.opvragen` asks the national index for the verwijsindexservicenummer of a national pseudonym of
 * facts. Only the region's nodes may ask.
 */
import { BRUG, landelijkResultaat, memoryReplayGuard, serveRpc, vsnResultaat } from "@vi/events";
import { FscRefused, FscUnreachable } from "@vi/fsc";
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

async function forward(client: BridgeContext["national"], path: string, body: unknown): Promise<unknown> {
  try {
    const res = await client.call("POST", path, body);
    if (res.status !== 200) throw new BridgeProblem("LANDELIJK_ONBEREIKBAAR", 503, "De landelijke voorziening gaf geen antwoord. Probeer het later opnieuw.");
    return res.body;
  } catch (e) {
    if (e instanceof FscUnreachable || e instanceof FscRefused)
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
        return landelijkResultaat.parse(await forward(c.pseudonyms, "/api/v1/evaluaties", { elementen: req.args.elementen }));
      },
      "vsn.opvragen": async (c, req) => {
        assertNode(c, req.iss);
        return vsnResultaat.parse(await forward(c.national, "/api/v1/verwijsindexservicenummers", { feiten: req.args.feiten }));
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
