/**
 * The operations a node carries out for other nodes (and the hub) over signed
 * request/reply. The actor comes as a snapshot vouched for by the requesting
 * node, which authenticated the professional; every rule is checked again here.
 */
import { dbReplayGuard } from "@vi/db";
import { bsnCheck } from "@vi/domain";
import { type RemoteProblem, type RpcHandlers, serveRpc } from "@vi/events";
import { continueTrace, errorForLog, isStorageUnavailable, Problem, runInTrace } from "@vi/service";
import type { NodeContext } from "../context";
import { assertFromRegionOrLinked, requestingActor } from "../logic/actors";
import { openArchive, openClientCard, prepareInzage } from "../logic/client-card";
import { indexDataFor, indexPage, pageBudget } from "../logic/index-sync";
import { setLocalStatus } from "../logic/matchregie";
import { assertHub, figuresForHub, indexPosition } from "../logic/figures";
import { importTransfer } from "../logic/relocation";
import { endSignal, extendSignal, getOwnSignal, recordInforming, registerAtResidence, withdrawSignal } from "../logic/signals";
import { lookupYouth } from "../logic/support";
import { domainProblem, problem } from "../problems";

export const rpcHandlers: RpcHandlers<NodeContext> = {
  async "signaal.registreren"(ctx, { iss, actor, args }) {
    const a = await requestingActor(ctx, iss, actor);
    const checked = bsnCheck(args.input.bsn);
    if (!checked.ok) throw domainProblem(checked.error);
    const persoon = await lookupYouth(ctx, checked.value);
    return registerAtResidence(ctx, a, { ...args.input, bsn: checked.value }, persoon, iss);
  },
  async "signaal.lezen"(ctx, { iss, actor, args }) {
    return getOwnSignal(ctx, await requestingActor(ctx, iss, actor), args.signaalId);
  },
  async "signaal.verlengen"(ctx, { iss, actor, args }) {
    return extendSignal(ctx, await requestingActor(ctx, iss, actor), args.signaalId, args.einddatum);
  },
  async "signaal.beeindigen"(ctx, { iss, actor, args }) {
    return endSignal(ctx, await requestingActor(ctx, iss, actor), args.signaalId);
  },
  async "signaal.informeren"(ctx, { iss, actor, args }) {
    return recordInforming(ctx, await requestingActor(ctx, iss, actor), args.signaalId, { wie: args.wie, op: args.op });
  },
  async "signaal.intrekken"(ctx, { iss, actor, args }) {
    await withdrawSignal(ctx, await requestingActor(ctx, iss, actor), args.signaalId);
    return null;
  },
  async "clientkaart.openen"(ctx, { iss, actor, args }) {
    return openClientCard(ctx, await requestingActor(ctx, iss, actor), args.signaalId);
  },
  async "archief.openen"(ctx, { iss, actor, args }) {
    return openArchive(ctx, await requestingActor(ctx, iss, actor), args.signaalId);
  },
  async "inzage.opstellen"(ctx, { iss, actor, args }) {
    return prepareInzage(ctx, await requestingActor(ctx, iss, actor), args.signaalId, { voor: args.voor, toestemmingJeugdige: args.toestemmingJeugdige });
  },
  async "match.status.zetten"(ctx, { iss, actor, args }) {
    const regie = await setLocalStatus(ctx, await requestingActor(ctx, iss, actor), args.matchId, args.status);
    if (!regie) throw problem("MATCH_NIET_GEVONDEN", "Deze match bestaat niet (meer) in de verwijsindex van de woongemeente.");
    return regie;
  },
  async "index.opvragen"(ctx, { iss, args }) {
    if (iss !== "hub") throw problem("NIET_AANGESLOTEN", "Alleen de regionale hub kan de index opvragen.");
    // A hub of an older version asks for everything at once (which fails past the bus's maximum payload).
    if (args.limiet === undefined) return { entries: await indexDataFor(ctx.db, ctx) };
    const maxChars = ctx.fed ? pageBudget(ctx.fed.bus.maxPayload()) : 0;
    return indexPage(ctx.db, ctx, { na: args.na, limiet: args.limiet, maxChars, sleutelversies: args.sleutelversies });
  },
  async "cijfers.opvragen"(ctx, { iss, args }) {
    assertHub(iss);
    return figuresForHub(ctx, args);
  },
  async "index.stand"(ctx, { iss }) {
    assertHub(iss);
    return indexPosition(ctx);
  },
  async "jeugdige.overdragen"(ctx, { iss, args }) {
    assertFromRegionOrLinked(ctx, iss);
    return importTransfer(ctx, iss, args);
  },
};

/** Each handler runs in the caller's trace (or a new one), and leaves a processing log line with its trace id. */
function traced(ctx: NodeContext, handlers: RpcHandlers<NodeContext>): RpcHandlers<NodeContext> {
  const out: Record<string, unknown> = {};
  for (const [op, handler] of Object.entries(handlers)) {
    out[op] = (c: NodeContext, req: { iss: string; traceparent?: string }) => {
      const trace = continueTrace(req.traceparent);
      return runInTrace(trace, async () => {
        const started = performance.now();
        let outcome = "ok";
        try {
          return await (handler as (c: NodeContext, r: unknown) => Promise<unknown>)(c, req);
        } catch (e) {
          outcome = e instanceof Problem ? e.code : "INTERNE_FOUT";
          throw e;
        } finally {
          ctx.log.info({ traceId: trace.traceId, op, from: req.iss, outcome, ms: Math.round(performance.now() - started) }, "rpc request");
        }
      });
    };
  }
  return out as RpcHandlers<NodeContext>;
}

/**
 * What the calling node is told when a request failed here: a Problem as it is; the database out of reach (a lost
 * connection, PostgreSQL restarting) as 503 NODE_ONBEREIKBAAR, which the caller passes on and its client retries, as
 * it would at its own node; anything else as 500 INTERNE_FOUT.
 */
export function remoteProblemOf(e: unknown): RemoteProblem {
  if (e instanceof Problem) return { code: e.code, status: e.status, detail: e.detail };
  if (isStorageUnavailable(e))
    return {
      code: "NODE_ONBEREIKBAAR",
      status: 503,
      detail: "De verwijsindex van de woongemeente kan zijn gegevens nu niet bereiken. Probeer het over een halve minuut opnieuw.",
    };
  return { code: "INTERNE_FOUT", status: 500, detail: "Er ging iets mis bij de woongemeente. Probeer het opnieuw." };
}

export function startRpcServer(ctx: NodeContext) {
  const fed = ctx.fed!;
  const toProblem = (e: unknown, op: string): RemoteProblem => {
    if (isStorageUnavailable(e)) ctx.log.warn({ err: errorForLog(e), op }, "rpc handler: database unavailable");
    else if (!(e instanceof Problem)) ctx.log.error({ err: errorForLog(e), op }, "rpc handler failed");
    return remoteProblemOf(e);
  };
  return serveRpc({
    ctx,
    handlers: traced(ctx, rpcHandlers),
    self: ctx.gemeente.code,
    keys: fed.keys,
    trust: fed.trust,
    transport: fed.bus,
    replay: dbReplayGuard(ctx.db, ctx.t.ontvangenEvents),
    metrics: fed.metrics,
    queue: `node-${ctx.gemeente.code}`,
    toProblem,
    onRejectedRequest: (reason, err) => ctx.log.warn({ reason, err: err ? errorForLog(err) : undefined }, "rpc request rejected"),
  });
}
