/**
 * The operations a node carries out for other nodes (and the hub) over signed
 * request/reply. The actor comes as a snapshot vouched for by the requesting
 * node, which authenticated the professional; every rule is checked again here.
 */
import { bsnCheck } from "@vi/domain";
import type { NodeContext } from "../context";
import { Problem } from "../problems";
import { openClientkaart, prepareInzage } from "../logic/clientkaart";
import { domainProblem } from "../logic/errors";
import { endSignal, extendSignal, getOwnSignal, lookupYouth, registerHere, withdrawSignal } from "../logic/signalen";
import { indexDataFor } from "./index-events";
import { importTransfer, type TransferPackage } from "./relocation";
import { ensureRemoteActor, type ActorSnapshot, type RpcHandler } from "./rpc";

function fromNode(iss: string, ctx: NodeContext): void {
  if (!ctx.regioGemeenten.includes(iss)) throw new Problem("NIET_AANGESLOTEN", "Alleen verwijsindexen van de regio kunnen dit vragen.");
}

async function remoteActor(ctx: NodeContext, iss: string, actor: ActorSnapshot | null) {
  fromNode(iss, ctx);
  if (!actor) throw new Problem("VERZOEK_ONGELDIG", "Er is geen professional meegestuurd.");
  return ensureRemoteActor(ctx.db, ctx, actor);
}

export const rpcHandlers: Record<string, RpcHandler> = {
  async "signaal.registreer"(ctx, { iss, actor, args }) {
    const a = await remoteActor(ctx, iss, actor);
    const input = args.input as { bsn: string; einddatum?: string; geinformeerd: boolean; redenNietGeinformeerd?: string };
    const checked = bsnCheck(String(input.bsn));
    if (!checked.ok) throw domainProblem(checked.error);
    const persoon = await lookupYouth(ctx, checked.value);
    return registerHere(ctx, a, { ...input, bsn: checked.value }, persoon, iss);
  },
  async "signaal.lees"(ctx, { iss, actor, args }) {
    return getOwnSignal(ctx, await remoteActor(ctx, iss, actor), String(args.signaalId));
  },
  async "signaal.verleng"(ctx, { iss, actor, args }) {
    return extendSignal(ctx, await remoteActor(ctx, iss, actor), String(args.signaalId), String(args.einddatum));
  },
  async "signaal.beeindig"(ctx, { iss, actor, args }) {
    return endSignal(ctx, await remoteActor(ctx, iss, actor), String(args.signaalId));
  },
  async "signaal.trek-in"(ctx, { iss, actor, args }) {
    await withdrawSignal(ctx, await remoteActor(ctx, iss, actor), String(args.signaalId));
    return null;
  },
  async "clientkaart.open"(ctx, { iss, actor, args }) {
    return openClientkaart(ctx, await remoteActor(ctx, iss, actor), String(args.signaalId));
  },
  async "inzage.open"(ctx, { iss, actor, args }) {
    return prepareInzage(ctx, await remoteActor(ctx, iss, actor), String(args.signaalId), {
      voor: args.voor === "jeugdige" ? "jeugdige" : "ouders",
      toestemmingJeugdige: args.toestemmingJeugdige === true,
    });
  },
  async "index.snapshot"(ctx, { iss }) {
    if (iss !== "hub") throw new Problem("NIET_AANGESLOTEN", "Alleen de regionale hub kan de index opvragen.");
    return { entries: await indexDataFor(ctx.db, ctx) };
  },
  async "jeugdige.overdracht"(ctx, { iss, args }) {
    fromNode(iss, ctx);
    return importTransfer(ctx, iss, args as TransferPackage);
  },
};
