/**
 * The signed request/reply of ./rpc.ts carried across regions (ADR 0042): the entry node's client seals the request
 * to the residence node as always; a relay (the region's bridge, then the national index, then the other region's
 * bridge) carries only the subject and the sealed token, and the reply token back. Nothing a relay sees can be
 * opened by it: the request is encrypted to the residence node, the reply to the entry node.
 */
import type { RpcTransport } from "./rpc";

/** What a relay carries: the subject on the residence region's bus, the sealed token and the time left. */
export interface Doorgifte {
  subject: string;
  token: string;
  timeoutMs: number;
}

/**
 * An RpcTransport that sends requests for subjects `isLocal` accepts on the region's own bus, and every other
 * request through `relay`. It only asks: serving stays on the local transport.
 */
export function routedTransport(opts: {
  local: RpcTransport;
  isLocal: (subject: string) => boolean;
  relay: (d: Doorgifte) => Promise<string>;
  defaultTimeoutMs: number;
}): RpcTransport {
  return {
    request(subject, data, timeoutMs) {
      if (opts.isLocal(subject)) return opts.local.request(subject, data, timeoutMs);
      return opts.relay({ subject, token: data, timeoutMs: timeoutMs ?? opts.defaultTimeoutMs });
    },
    serve(subject, handler, serveOpts) {
      return opts.local.serve(subject, handler, serveOpts);
    },
  };
}
