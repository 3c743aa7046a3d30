/** Serves `rpc.pseudoniem` with the shared signed RPC server (@vi/events): verify, run, sign the reply to the caller. */
import { PSEUDONYM_SERVICE, type RpcEndpoint, serveRpc } from "@vi/events";
import { errorForLog } from "@vi/service";
import type { PseudonymContext } from "../context";
import { addKeyVersion, evaluateElements, retireKeyVersion } from "../logic/evaluate";
import { PseudonymProblem } from "../problems";

export function startRpcServer(ctx: PseudonymContext, endpoint: Omit<RpcEndpoint, "self">, queue: string) {
  return serveRpc({
    ...endpoint,
    self: PSEUDONYM_SERVICE,
    ctx,
    queue,
    handlers: {
      "pseudoniem.evalueren": async (c, req) => evaluateElements(c, req.iss, req.args.elementen),
      "pseudoniem.sleutel.nieuw": async (c, req) => addKeyVersion(c, req.iss),
      "pseudoniem.sleutel.intrekken": async (c, req) => retireKeyVersion(c, req.iss, req.args.versie),
    },
    toProblem: (e, op) => {
      if (e instanceof PseudonymProblem) return { code: e.code, status: e.status, detail: e.message };
      ctx.log.error({ err: errorForLog(e), op }, "rpc request failed");
      return { code: "INTERNE_FOUT", status: 500, detail: "Er ging iets mis bij de pseudoniemendienst." };
    },
    onRejectedRequest: (reason) => {
      ctx.metrics.refused[reason] = (ctx.metrics.refused[reason] ?? 0) + 1;
      ctx.log.warn({ reason }, "rpc request rejected");
    },
  });
}
