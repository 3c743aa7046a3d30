/**
 * The registry of nodes: which gemeenten take part, where they are, their
 * public keys and health. The hub's trust registry is built from it: its own
 * keys plus, per node, only the keys that node publishes for itself
 * (`iss` equal to its code), so no node can publish a key in another's name.
 */
import { errorForLog } from "@vi/service";
import { asc, eq } from "drizzle-orm";
import type { JWK } from "jose";
import { BRUG, ENC_ALG, type EncryptionKey, PSEUDONYM_SERVICE, staticTrustRegistry, type TrustRegistry, type TrustedKey, TrustUnavailable } from "@vi/events";
import type { NodeEntry } from "./config";
import type { HubContext } from "./context";
import type { NodeOverview } from "./schemas";

export type { NodeOverview };

export type NodeStatus = "onbekend" | "gereed" | "onbereikbaar";

const HTTP_TIMEOUT_MS = 3000;

/** The registry follows the configuration: new nodes are added, changed ones updated, dropped ones removed. */
export async function syncNodes(ctx: Pick<HubContext, "db" | "t">, nodes: NodeEntry[]): Promise<void> {
  const t = ctx.t.nodes;
  await ctx.db.transaction(async (tx) => {
    for (const n of nodes) {
      await tx
        .insert(t)
        .values({ code: n.code, naam: n.naam, url: n.url })
        .onConflictDoUpdate({ target: t.code, set: { naam: n.naam, url: n.url } });
    }
    const keep = new Set(nodes.map((n) => n.code));
    for (const row of await tx.select({ code: t.code }).from(t)) {
      if (!keep.has(row.code)) await tx.delete(t).where(eq(t.code, row.code));
    }
  });
}

/**
 * A public key of service `iss`, reduced to its public members: an Ed25519
 * signing key or an X25519 encryption key; undefined for anything else.
 */
export function publicKeyOf(jwk: unknown, iss: string): (JWK & { iss: string }) | undefined {
  if (typeof jwk !== "object" || jwk === null || Array.isArray(jwk)) return undefined;
  const k = jwk as Record<string, unknown>;
  if (k.iss !== iss) return undefined;
  if (typeof k.kid !== "string" || k.kid.length === 0 || k.kid.length > 200) return undefined;
  if (k.kty !== "OKP" || typeof k.x !== "string" || !/^[A-Za-z0-9_-]{43}$/.test(k.x)) return undefined;
  if ("d" in k) return undefined;
  if (k.crv === "X25519") {
    if (k.alg !== undefined && k.alg !== ENC_ALG) return undefined;
    if (k.use !== undefined && k.use !== "enc") return undefined;
    return { kty: "OKP", crv: "X25519", x: k.x, kid: k.kid, alg: ENC_ALG, use: "enc", iss };
  }
  if (k.crv !== "Ed25519") return undefined;
  if (k.alg !== undefined && k.alg !== "EdDSA") return undefined;
  if (k.use !== undefined && k.use !== "sig") return undefined;
  const pub: JWK & { iss: string } = { kty: "OKP", crv: "Ed25519", x: k.x, kid: k.kid, alg: "EdDSA", use: "sig", iss };
  return pub;
}

export async function listNodes(ctx: Pick<HubContext, "db" | "t">): Promise<NodeOverview[]> {
  const t = ctx.t.nodes;
  const rows = await ctx.db.select().from(t).orderBy(asc(t.code));
  return rows.map((r) => ({ code: r.code, naam: r.naam, url: r.url, status: r.status, laatstGezien: r.laatstGezien ? r.laatstGezien.toISOString() : null }));
}

/** The region's trust registry as published: the hub's keys and every node's stored keys, each with its iss. */
export async function trustJwks(ctx: Pick<HubContext, "db" | "t" | "keys" | "serviceKeys">): Promise<{ keys: JWK[] }> {
  const rows = await ctx.db.select({ code: ctx.t.nodes.code, jwks: ctx.t.nodes.jwks }).from(ctx.t.nodes).orderBy(asc(ctx.t.nodes.code));
  const keys: JWK[] = [...ctx.keys.jwks().keys];
  for (const [iss, own] of ctx.serviceKeys) {
    for (const k of own) {
      const pub = publicKeyOf(k, iss);
      if (pub) keys.push(pub);
    }
  }
  for (const r of rows) {
    for (const k of r.jwks?.keys ?? []) {
      const pub = publicKeyOf(k, r.code); // stored keys were filtered already; filter again on the way out
      if (pub) keys.push(pub);
    }
  }
  return { keys };
}

async function getJson(ctx: Pick<HubContext, "fetch">, url: string): Promise<{ ok: boolean; body: unknown }> {
  const res = await ctx.fetch(url, { headers: { accept: "application/json" }, signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) });
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    /* not JSON */
  }
  return { ok: res.ok, body };
}

/**
 * Asks every node for its JWKS and readiness. A node that answers nothing is
 * 'onbereikbaar' and keeps the keys last seen (events it signed still verify).
 */
export async function refreshNodes(ctx: Pick<HubContext, "db" | "t" | "fetch" | "clock" | "log">): Promise<void> {
  const t = ctx.t.nodes;
  const rows = await ctx.db.select().from(t);
  await Promise.all(
    rows.map(async (n) => {
      let seen = false;
      let jwks: { keys: Record<string, unknown>[] } | undefined;
      let ready = false;
      try {
        const r = await getJson(ctx, `${n.url}/.well-known/jwks.json`);
        seen = true;
        const keys = (r.body as { keys?: unknown } | null)?.keys;
        if (r.ok && Array.isArray(keys)) {
          const own = keys.map((k) => publicKeyOf(k, n.code)).filter((k) => k !== undefined);
          if (own.length < keys.length) ctx.log.warn({ node: n.code, ignored: keys.length - own.length }, "node JWKS holds keys not of its own; ignored");
          jwks = { keys: own as Record<string, unknown>[] };
        }
      } catch (e) {
        ctx.log.debug({ node: n.code, err: errorForLog(e) }, "node JWKS not reachable");
      }
      try {
        const r = await getJson(ctx, `${n.url}/ready`);
        seen = true;
        ready = r.ok;
      } catch (e) {
        ctx.log.debug({ node: n.code, err: errorForLog(e) }, "node readiness not reachable");
      }
      const status: NodeStatus = ready ? "gereed" : "onbereikbaar";
      if (status !== n.status) ctx.log.info({ node: n.code, status }, "node status changed");
      await ctx.db
        .update(t)
        .set({
          status,
          ...(seen ? { laatstGezien: ctx.clock.now() } : {}),
          ...(jwks ? { jwks } : {}),
        })
        .where(eq(t.code, n.code));
    }),
  );
}

/**
 * Fetches the signing keys of the pseudonym service (PSEUDONIEM_URL), only those it publishes for itself
 * (`iss` pseudoniem). Unreachable: the keys last seen stay.
 */
export async function refreshServices(ctx: Pick<HubContext, "config" | "fetch" | "log" | "serviceKeys">): Promise<void> {
  const services: Array<[string, string | undefined]> = [
    [PSEUDONYM_SERVICE, ctx.config.PSEUDONIEM_URL],
    // The region's bridge to the national index (docs/national-chain.md): the nodes verify its notices, the hub seals to it.
    [BRUG, ctx.config.BRUG_URL],
  ];
  for (const [iss, url] of services) {
    if (!url) continue;
    try {
      const r = await getJson(ctx, `${url.replace(/\/+$/, "")}/.well-known/jwks.json`);
      const keys = (r.body as { keys?: unknown } | null)?.keys;
      if (r.ok && Array.isArray(keys)) {
        const own = keys.map((k) => publicKeyOf(k, iss)).filter((k) => k !== undefined);
        ctx.serviceKeys.set(iss, own);
      }
    } catch (e) {
      ctx.log.warn({ err: errorForLog(e), service: iss }, "service JWKS not reachable");
    }
  }
}

/**
 * A trust registry over the hub's own keys and the nodes' stored keys,
 * reloaded from the database by reload() (after each refresh). published()
 * is the registry as last reloaded, which the hub serves from memory: a
 * service that checks a signature while a node holds a transaction on the
 * one embedded database (npm start) gets its answer without waiting on it.
 *
 * A key id it does not hold makes it ask the nodes again (refetchUnknown). When that fails (the hub's database is
 * gone), the key id cannot be decided: resolve() and encryptionKey() throw TrustUnavailable, as the nodes' registry
 * does, so a consumer retries the event and a route answers 503, instead of calling a node's new key unknown (a
 * rejected index event is acknowledged and lost to the index until a rebuild). The next reload clears that.
 */
export function registryTrust(
  ctx: Pick<HubContext, "db" | "t" | "keys" | "log" | "serviceKeys">,
  opts: { refetchUnknown?: () => Promise<void>; minRefetchMs?: number } = {},
): TrustRegistry & { reload(): Promise<void>; published(): { keys: JWK[] } } {
  let current: TrustRegistry = staticTrustRegistry([ctx.keys.jwks()]);
  let published: { keys: JWK[] } = { keys: [...ctx.keys.jwks().keys] };
  let lastRefetch = 0;
  let inflight: Promise<void> | undefined;
  /** Why the last refetch failed; undefined once one succeeded or the registry was reloaded. */
  let failed: unknown;
  // An unknown key id may be a node that just started or rotated: ask the nodes again (rate-limited).
  const refetch = async () => {
    if (!inflight && opts.refetchUnknown && Date.now() - lastRefetch >= (opts.minRefetchMs ?? 2000)) {
      lastRefetch = Date.now();
      inflight = opts
        .refetchUnknown()
        .then(
          () => {
            failed = undefined;
          },
          (err: Error) => {
            failed = err;
            ctx.log.warn({ err: errorForLog(err) }, "node key refetch failed");
          },
        )
        .finally(() => (inflight = undefined));
    }
    if (inflight) await inflight;
  };
  const undecided = (what: string) => new TrustUnavailable(`The node keys could not be read again; ${what} cannot be decided`, { cause: failed });
  return {
    async resolve(kid: string): Promise<TrustedKey | undefined> {
      const hit = await current.resolve(kid);
      if (hit || !opts.refetchUnknown) return hit;
      await refetch();
      const after = await current.resolve(kid);
      if (!after && failed !== undefined) throw undecided(`kid ${kid}`);
      return after;
    },
    async encryptionKey(iss: string): Promise<EncryptionKey | undefined> {
      const hit = await current.encryptionKey(iss);
      if (hit || !opts.refetchUnknown) return hit;
      await refetch();
      const after = await current.encryptionKey(iss);
      if (!after && failed !== undefined) throw undecided(`the encryption key of ${iss}`);
      return after;
    },
    published: () => published,
    async reload() {
      const jwks = await trustJwks(ctx);
      try {
        current = staticTrustRegistry([jwks]);
        published = jwks;
        failed = undefined;
      } catch (e) {
        ctx.log.error({ err: errorForLog(e) }, "trust registry not rebuilt");
      }
    },
  };
}
