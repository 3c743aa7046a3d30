/**
 * Signed request/reply between the services (docs/federation.md, "RPC"): one
 * client and one server for every service. A request is a signed
 * `rpc.request` to one node (`aud`), carrying the operation, the professional
 * it is for (vouched for by the sender) and the operation's arguments, each
 * checked against the schema of its operation; the reply is a signed
 * `rpc.reply` from exactly that node. Both are encrypted to their receiver
 * (./seal.ts): the request to the node asked, the reply to the asker.
 */
import { z } from "zod";
import type { EventMetrics } from "./metrics";
import type { ServiceKeys } from "./keys";
import type { ReplayGuard } from "./replay";
import { openEvent, sealEvent } from "./seal";
import { subjects } from "./subjects";
import { type TrustRegistry, TrustUnavailable } from "./trust";
import { actorSnapshot, type ActorSnapshot, type EventData } from "./types";
import { EventRejected } from "./verify";

const signaalId = z.uuid();
const date = z.string().max(32);
/** Whom a professional informed (the node's domain checks it against the age rules). */
const informTarget = z.enum(["ouders", "ouders-en-jeugdige", "jeugdige"]);

/** A relocation: the youth's signals and their client matches, from the old residence node to the new one. */
export const transferPackage = z.object({
  bsn: z.string().max(32),
  vanGemeente: z.string().min(1).max(64),
  datum: date,
  signalen: z
    .array(
      z.object({
        id: signaalId,
        professional: actorSnapshot,
        status: z.enum(["actief", "gearchiveerd"]),
        geregistreerdOp: z.iso.datetime({ offset: true }),
        startdatum: date,
        einddatum: date,
        geinformeerd: z.boolean(),
        // Absent from a node of an older version.
        geinformeerdWie: informTarget.nullable().optional(),
        geinformeerdOp: date.nullable().optional(),
        redenNietGeinformeerd: z.string().max(1000).nullable(),
        gearchiveerdOp: date.nullable(),
        archiefReden: z.string().max(100).nullable(),
        archiefMatchGebruikt: z.boolean(),
        entryNode: z.string().min(1).max(64),
        versie: z.number().int().nonnegative(),
      }),
    )
    .max(1000),
  matches: z
    .array(
      z.object({
        id: z.uuid(),
        soort: z.enum(["client", "gezin"]),
        signaalA: signaalId,
        signaalB: signaalId,
        viaArchief: z.boolean(),
        aangemaaktOp: z.iso.datetime({ offset: true }),
      }),
    )
    .max(10_000),
});
export type TransferPackage = z.infer<typeof transferPackage>;

/** A blinded or evaluated OPRF element on the wire: base64url of its 32-byte ristretto255 encoding. */
const oprfElement = z.string().regex(/^[A-Za-z0-9_-]{43}$/, "not an element");
const keyVersion = z.number().int().min(1).max(1_000_000);

/** What the pseudonym service answers to `pseudoniem.evalueren`: the elements evaluated under every key version it holds. */
export const pseudoniemResultaat = z.object({
  versies: z
    .array(z.object({ versie: keyVersion, elementen: z.array(oprfElement).max(2000) }))
    .min(1)
    .max(4),
});
export type PseudoniemResultaat = z.infer<typeof pseudoniemResultaat>;
/** What it answers to `pseudoniem.sleutel.nieuw` and `pseudoniem.sleutel.intrekken`: the key versions it now holds. */
export const pseudoniemSleutels = z.object({ versies: z.array(keyVersion).min(1).max(4) });
/** What the bridge answers to `pseudoniem.landelijk`: the elements evaluated under the national key, and its version. */
export const landelijkResultaat = z.object({ elementen: z.array(oprfElement).max(2000), sleutelversie: keyVersion });
/** What the bridge answers to `vsn.opvragen`. */
export const vsnResultaat = z.object({ vsn: z.string().regex(/^\d{9}$/) });

/** A node's subject in another region, with the sealed request to it and the time left (docs/adr/0042). */
export const doorgifte = z.object({
  onderwerp: z.string().regex(/^rpc\.GM\d{4}$/, "not a node's subject"),
  token: z.string().min(1).max(500_000),
  tijdMs: z.number().int().min(100).max(30_000),
});
/** What the bridge answers to `doorgeven`: the sealed reply ("" when the node gave none). */
export const doorgifteResultaat = z.object({ token: z.string().max(500_000) });
/** A public node key of another region as the national directory lists it (the node keeps only Ed25519/X25519 keys with a kid and iss). */
export const nodeSleutel = z.record(z.string(), z.unknown());
/** What the bridge answers to `nodesleutels`: the node keys of every other region. */
export const nodesleutelsResultaat = z.object({ sleutels: z.array(nodeSleutel).max(2000) });

/** The most signals one page of `index.opvragen` may ask for. */
export const INDEX_PAGE_MAX = 1000;

/** Every operation a service carries out for another service (a node's, the pseudonym service's), with the schema of its arguments. */
export const RPC_OPS = {
  "signaal.registreren": z.object({
    input: z.object({
      bsn: z.string().max(32),
      einddatum: date.optional(),
      geinformeerd: z.boolean(),
      geinformeerdWie: informTarget.optional(),
      geinformeerdOp: date.optional(),
      // A string, so the residence node's domain refuses a reason outside the closed list with its own code.
      redenNietGeinformeerd: z.string().max(500).optional(),
    }),
  }),
  "signaal.lezen": z.object({ signaalId }),
  "signaal.verlengen": z.object({ signaalId, einddatum: date }),
  "signaal.beeindigen": z.object({ signaalId }),
  "signaal.informeren": z.object({ signaalId, wie: informTarget.optional(), op: date.optional() }),
  "signaal.intrekken": z.object({ signaalId }),
  "clientkaart.openen": z.object({ signaalId }),
  "archief.openen": z.object({ signaalId }),
  "inzage.opstellen": z.object({ signaalId, voor: z.enum(["ouders", "jeugdige"]), toestemmingJeugdige: z.boolean() }),
  // Matchregie: a professional of a match held by the residence node sets its follow-up status.
  "match.status.zetten": z.object({ matchId: z.uuid(), status: z.enum(["geen-contact", "contact-gelegd", "afgestemd", "regie-belegd"]) }),
  // Paged (docs/federation.md, "Rebuilding the index"): the signals after `na` in id order, at most `limiet`; without
  // `limiet` the whole index in one reply (a hub of an older version), which fails past the bus's maximum payload.
  "index.opvragen": z.object({
    na: signaalId.optional(),
    limiet: z.number().int().min(1).max(INDEX_PAGE_MAX).optional(),
    /**
     * The key versions the hub takes entries of (its active one, and the next during a rotation): a node answers from
     * the pseudonyms it keeps where it has them under every one of these (docs/adr/0047). Absent (an older hub): the
     * node asks the pseudonym service, and answers under every version the service holds.
     */
    sleutelversies: z.array(keyVersion).min(1).max(2).optional(),
  }),
  // The hub asks a node for counts only (docs/adr/0031): per month and domain, never a person.
  "cijfers.opvragen": z.object({
    van: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
    tot: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
    dagen: z.number().int().min(1).max(365),
  }),
  // The hub asks a node how far its index is (the newest version of its signals), to show the index's lag.
  "index.stand": z.object({}),
  "jeugdige.overdragen": transferPackage,
  // The pseudonym service (rpc.pseudoniem): blinded elements of the nodes; key versions at the hub's request.
  "pseudoniem.evalueren": z.object({ elementen: z.array(oprfElement).min(1).max(2000) }),
  "pseudoniem.sleutel.nieuw": z.object({}),
  "pseudoniem.sleutel.intrekken": z.object({ versie: keyVersion }),
  // The region's bridge (rpc.brug, docs/national-chain.md): blinded elements for the NATIONAL pseudonym service
  // (the bridge forwards them, learning nothing), and the verwijsindexservicenummer of a national pseudonym of facts.
  "pseudoniem.landelijk": z.object({ elementen: z.array(oprfElement).min(1).max(2000) }),
  "vsn.opvragen": z.object({ feiten: z.string().regex(/^[A-Za-z0-9_-]{43}$/, "not a pseudonym") }),
  // Across regions (docs/adr/0042): the bridge carries a sealed request to a node of another region and its sealed
  // reply back (it can open neither), and lists the other regions' node keys from the national directory.
  doorgeven: doorgifte,
  nodesleutels: z.object({}),
} as const;

export type RpcOp = keyof typeof RPC_OPS;
export type RpcArgs<Op extends RpcOp> = z.infer<(typeof RPC_OPS)[Op]>;
export const RPC_OP_NAMES = Object.keys(RPC_OPS) as RpcOp[];

export function isRpcOp(value: unknown): value is RpcOp {
  return typeof value === "string" && Object.hasOwn(RPC_OPS, value);
}

/** What the bus must offer for RPC (structurally the Bus of @vi/bus). */
export interface RpcTransport {
  request(subject: string, data: string, timeoutMs?: number): Promise<string>;
  serve(subject: string, handler: (data: string) => Promise<string>, opts?: { queue?: string }): Promise<{ stop(): Promise<void> }>;
}

export interface RpcEndpoint {
  /** This service's id: the `aud` of what it receives, the `iss` of what it signs. */
  self: string;
  keys: ServiceKeys;
  trust: TrustRegistry;
  transport: RpcTransport;
  replay: ReplayGuard;
  metrics?: EventMetrics;
  now?: () => Date;
}

/** A refusal as it travels: the Problem Details code, status and Dutch detail. */
export interface RemoteProblem {
  code: string;
  status: number;
  detail: string;
}

/** The other side did not answer, or not validly: a problem of the federation, not of the request. */
export class RpcUnreachable extends Error {
  override readonly name = "RpcUnreachable";
  constructor(
    readonly to: string,
    readonly why: "no-answer" | "invalid-reply" | "wrong-signer",
    message: string,
  ) {
    super(message);
  }
}

/** The other side carried out the request and refused it with a Problem. */
export class RpcRefused extends Error {
  override readonly name = "RpcRefused";
  constructor(readonly problem: RemoteProblem) {
    super(problem.detail);
  }
}

export interface RpcClient {
  /** Resolves with the operation's result (unknown: the caller parses it with the schema it expects). */
  call<Op extends RpcOp>(
    to: string,
    op: Op,
    actor: ActorSnapshot | null,
    args: RpcArgs<Op>,
    opts?: { timeoutMs?: number; traceparent?: string },
  ): Promise<unknown>;
}

export function createRpcClient(endpoint: RpcEndpoint & { timeoutMs: number; onRejectedReply?: (to: string, reason: string) => void }): RpcClient {
  return {
    async call(to, op, actor, args, opts) {
      const data = { op, actor, args: RPC_OPS[op].parse(args), ...(opts?.traceparent ? { traceparent: opts.traceparent } : {}) };
      let token: string;
      try {
        ({ token } = await sealEvent(endpoint.keys, endpoint.trust, { type: "rpc.request", aud: to, ttlSec: 60, data }));
      } catch (e) {
        // No encryption key of `to` known (or the trust registry unreadable): the request cannot be sent.
        if (e instanceof TrustUnavailable) throw new RpcUnreachable(to, "no-answer", `${to} cannot be asked ${op}: ${e.message}`);
        throw e;
      }
      let replyToken: string;
      try {
        replyToken = await endpoint.transport.request(subjects.rpc(to), token, opts?.timeoutMs ?? endpoint.timeoutMs);
      } catch {
        throw new RpcUnreachable(to, "no-answer", `${to} did not answer ${op}`);
      }
      let reply: { iss: string; data: EventData<"rpc.reply"> };
      try {
        reply = await openEvent(replyToken, {
          keys: endpoint.keys,
          trust: endpoint.trust,
          audience: endpoint.self,
          replay: endpoint.replay,
          metrics: endpoint.metrics,
          expect: ["rpc.reply"],
          now: endpoint.now,
        });
      } catch (e) {
        endpoint.onRejectedReply?.(to, e instanceof EventRejected ? e.reason : "error");
        throw new RpcUnreachable(to, "invalid-reply", `the reply of ${to} to ${op} was not valid`);
      }
      if (reply.iss !== to) throw new RpcUnreachable(to, "wrong-signer", `the reply on ${subjects.rpc(to)} was signed by ${reply.iss}`);
      if (!reply.data.ok) throw new RpcRefused(reply.data.problem);
      return reply.data.result ?? null;
    },
  };
}

/** The request as a handler sees it: who asked, for whom, and the arguments parsed by the operation's schema. */
export interface RpcRequest<Op extends RpcOp> {
  iss: string;
  actor: ActorSnapshot | null;
  args: RpcArgs<Op>;
  /** The caller's trace (W3C traceparent), when it sent one. */
  traceparent?: string;
}

export type RpcHandlers<Ctx> = { [Op in RpcOp]?: (ctx: Ctx, req: RpcRequest<Op>) => Promise<unknown> };

export interface RpcServerOptions<Ctx> extends RpcEndpoint {
  ctx: Ctx;
  handlers: RpcHandlers<Ctx>;
  /** Queue group, so replicas of one service share the requests. */
  queue: string;
  /** A handler's error as it may travel: a Problem's code/status/detail; anything else is an internal error (logged by the service). */
  toProblem: (error: unknown, op: string) => RemoteProblem;
  onRejectedRequest?: (reason: string, error?: unknown) => void;
}

/** Serves `rpc.<self>`: verifies each request, runs its operation's handler, signs the reply to the sender. */
export function serveRpc<Ctx>(opts: RpcServerOptions<Ctx>): Promise<{ stop(): Promise<void> }> {
  return opts.transport.serve(
    subjects.rpc(opts.self),
    async (token) => {
      let req: { iss: string; data: EventData<"rpc.request"> };
      try {
        req = await openEvent(token, {
          keys: opts.keys,
          trust: opts.trust,
          audience: opts.self,
          replay: opts.replay,
          metrics: opts.metrics,
          expect: ["rpc.request"],
          now: opts.now,
        });
      } catch (e) {
        opts.onRejectedRequest?.(e instanceof EventRejected ? e.reason : "error", e instanceof EventRejected ? undefined : e);
        return "";
      }
      // The reply is encrypted to the asker: without its key, the operation is not carried out (no answer, never one in clear).
      const askerKey = await opts.trust.encryptionKey(req.iss).catch((e: unknown) => e);
      if (!askerKey || askerKey instanceof Error) {
        opts.onRejectedRequest?.("no-encryption-key", askerKey instanceof Error ? askerKey : undefined);
        return "";
      }
      const { op, actor } = req.data;
      let body: EventData<"rpc.reply">;
      try {
        if (!isRpcOp(op) || !opts.handlers[op]) {
          body = { ok: false, problem: { code: "VERZOEK_ONGELDIG", status: 400, detail: `Onbekende opdracht ${op}.` } };
        } else {
          const parsed = RPC_OPS[op].safeParse(req.data.args ?? {});
          if (!parsed.success) {
            body = { ok: false, problem: { code: "VERZOEK_ONGELDIG", status: 400, detail: `De gegevens bij ${op} kloppen niet.` } };
          } else {
            const handler = opts.handlers[op] as (ctx: Ctx, r: RpcRequest<RpcOp>) => Promise<unknown>;
            const traceparent = req.data.traceparent;
            body = { ok: true, result: (await handler(opts.ctx, { iss: req.iss, actor, args: parsed.data, ...(traceparent ? { traceparent } : {}) })) ?? null };
          }
        }
      } catch (e) {
        body = { ok: false, problem: opts.toProblem(e, op) };
      }
      try {
        const { token: reply } = await sealEvent(opts.keys, opts.trust, { type: "rpc.reply", aud: req.iss, ttlSec: 60, data: body });
        return reply;
      } catch (e) {
        // The asker's encryption key is not known: no reply (it sees no answer), never one in clear.
        opts.onRejectedRequest?.("no-encryption-key", e);
        return "";
      }
    },
    { queue: opts.queue },
  );
}
