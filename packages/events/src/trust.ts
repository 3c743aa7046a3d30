/**
 * Trust registries map a `kid` to the public key and the service id (`iss`)
 * it belongs to, and a service id to the key to encrypt to. Taken are Ed25519
 * public JWKs (`alg` EdDSA, `use` sig) and X25519 public JWKs (`alg`
 * ECDH-ES, `use` enc), each with a kid and an iss; anything else (other key
 * types, private material, another `alg` or `use`) is ignored by the remote
 * registry and refused by the static one. A kid that two different keys
 * claim is ambiguous and treated as unknown, so one service cannot take over
 * another's kid. A service publishes one encryption key; when a set holds
 * several for one service, the last one listed is used.
 *
 * Keys come only from the configured JWKS: a token's `jku`, `jwk` or `x5u`
 * header is never followed.
 */
import { decodeProtectedHeader, importJWK, type CryptoKey, type JWK, type KeyObject } from "jose";
import { ENC_ALG } from "./suite";

export interface TrustedKey {
  iss: string;
  key: CryptoKey | KeyObject;
}

/** The public X25519 key a sender encrypts to, with its kid (the receiver looks its private half up by it). */
export interface EncryptionKey {
  iss: string;
  kid: string;
  key: CryptoKey | KeyObject;
}

export interface TrustRegistry {
  resolve(kid: string): Promise<TrustedKey | undefined>;
  /** The key to encrypt to for service `iss`; undefined when the service publishes none. */
  encryptionKey(iss: string): Promise<EncryptionKey | undefined>;
}

/**
 * The trust registry could not be read (the hub's JWKS is unreachable or
 * invalid). Not a rejection of the event: a consumer should retry it later
 * rather than acknowledge and drop it.
 */
export class TrustUnavailable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "TrustUnavailable";
  }
}

interface Entry {
  iss: string;
  x: string;
}
const AMBIGUOUS = Symbol("ambiguous");
/** Signing keys by kid, and per service id the key to encrypt to. */
type Table = Map<string, Entry | typeof AMBIGUOUS> & { enc: Map<string, Entry & { kid: string }> };

function checkJwk(jwk: unknown): (Entry & { kid: string; use: "sig" | "enc" }) | string {
  if (typeof jwk !== "object" || jwk === null || Array.isArray(jwk)) return "not an object";
  const k = jwk as Record<string, unknown>;
  if (typeof k.kid !== "string" || k.kid.length === 0) return "no kid";
  if (typeof k.iss !== "string" || k.iss.length === 0) return `key ${k.kid}: no iss`;
  if (k.kty !== "OKP" || (k.crv !== "Ed25519" && k.crv !== "X25519")) return `key ${k.kid}: not an Ed25519 or X25519 key`;
  if (typeof k.x !== "string" || !/^[A-Za-z0-9_-]{43}$/.test(k.x)) return `key ${k.kid}: invalid x`;
  if ("d" in k) return `key ${k.kid}: contains private key material`;
  if (k.crv === "X25519") {
    if (k.alg !== undefined && k.alg !== ENC_ALG) return `key ${k.kid}: alg is not ${ENC_ALG}`;
    if (k.use !== undefined && k.use !== "enc") return `key ${k.kid}: an X25519 key whose use is not enc`;
    return { kid: k.kid, iss: k.iss, x: k.x, use: "enc" };
  }
  if (k.alg !== undefined && k.alg !== "EdDSA") return `key ${k.kid}: alg is not EdDSA`;
  if (k.use !== undefined && k.use !== "sig") return `key ${k.kid}: use is not sig`;
  return { kid: k.kid, iss: k.iss, x: k.x, use: "sig" };
}

function buildTable(sets: unknown[], onInvalid: (problem: string) => void): Table {
  const table = Object.assign(new Map<string, Entry | typeof AMBIGUOUS>(), { enc: new Map<string, Entry & { kid: string }>() });
  for (const set of sets) {
    const keys = typeof set === "object" && set !== null ? (set as { keys?: unknown }).keys : undefined;
    if (!Array.isArray(keys)) {
      onInvalid("a JWKS without a keys array");
      continue;
    }
    for (const jwk of keys) {
      const entry = checkJwk(jwk);
      if (typeof entry === "string") {
        onInvalid(entry);
        continue;
      }
      if (entry.use === "enc") {
        table.enc.set(entry.iss, { kid: entry.kid, iss: entry.iss, x: entry.x });
        continue;
      }
      const seen = table.get(entry.kid);
      if (seen === undefined) table.set(entry.kid, { iss: entry.iss, x: entry.x });
      else if (seen === AMBIGUOUS || seen.iss !== entry.iss || seen.x !== entry.x) table.set(entry.kid, AMBIGUOUS);
    }
  }
  return table;
}

/** Imports public keys once per (kid, x, iss). */
function keyCache() {
  const cache = new Map<string, Promise<TrustedKey>>();
  return (kid: string, e: Entry): Promise<TrustedKey> => {
    const id = `${kid}\u0000${e.iss}\u0000${e.x}`;
    let p = cache.get(id);
    if (!p) {
      const jwk: JWK = { kty: "OKP", crv: "Ed25519", x: e.x };
      p = (importJWK(jwk, "EdDSA") as Promise<CryptoKey>).then((key) => ({ iss: e.iss, key }));
      p.catch(() => cache.delete(id));
      cache.set(id, p);
    }
    return p;
  };
}

function lookup(table: Table | undefined, kid: string, imp: ReturnType<typeof keyCache>) {
  const e = table?.get(kid);
  return e === undefined || e === AMBIGUOUS ? undefined : imp(kid, e);
}

/** Imports public encryption keys once per (kid, x, iss). */
function encKeyCache() {
  const cache = new Map<string, Promise<EncryptionKey>>();
  return (e: Entry & { kid: string }): Promise<EncryptionKey> => {
    const id = `${e.kid}\u0000${e.iss}\u0000${e.x}`;
    let p = cache.get(id);
    if (!p) {
      const jwk: JWK = { kty: "OKP", crv: "X25519", x: e.x };
      p = (importJWK(jwk, ENC_ALG) as Promise<CryptoKey>).then((key) => ({ iss: e.iss, kid: e.kid, key }));
      p.catch(() => cache.delete(id));
      cache.set(id, p);
    }
    return p;
  };
}

function lookupEnc(table: Table | undefined, iss: string, imp: ReturnType<typeof encKeyCache>) {
  const e = table?.enc.get(iss);
  return e === undefined ? undefined : imp(e);
}

/** From JWKS objects whose keys each carry their iss. Invalid keys are a configuration error and throw. */
export function staticTrustRegistry(sets: Array<{ keys: JWK[] }>): TrustRegistry {
  const table = buildTable(sets, (problem) => {
    throw new Error(`staticTrustRegistry: ${problem}`);
  });
  const imp = keyCache();
  const impEnc = encKeyCache();
  return {
    async resolve(kid) {
      return lookup(table, kid, imp);
    },
    async encryptionKey(iss) {
      return lookupEnc(table, iss, impEnc);
    },
  };
}

/**
 * The hub's JWKS over HTTP. Loaded on first use, refreshed when older than
 * `refreshMs`; an unknown kid triggers a refetch, at most one per
 * `minRefetchMs` across all kids (concurrent lookups share one request).
 *
 * When the JWKS cannot be fetched, keys already known stay trusted; a kid
 * that cannot be decided (never loaded, or the refetch failed) makes
 * resolve() throw TrustUnavailable instead of calling the kid unknown.
 */
export function remoteTrustRegistry(opts: {
  url: string;
  refreshMs?: number;
  minRefetchMs?: number;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Reads the JWKS another way than over HTTP (the national directory through the bridge, docs/adr/0042); `url` then only names it. */
  load?: () => Promise<unknown>;
}): TrustRegistry & { refresh(): Promise<void> } {
  const refreshMs = opts.refreshMs ?? 60_000;
  const minRefetchMs = opts.minRefetchMs ?? 2_000;
  const timeoutMs = opts.timeoutMs ?? 5_000;
  const doFetch = opts.fetch ?? fetch;
  const imp = keyCache();
  const impEnc = encKeyCache();
  let table: Table | undefined;
  let lastSuccess = -Infinity;
  let lastAttempt = -Infinity;
  let lastFailed = false;
  let inflight: Promise<void> | undefined;

  async function load(): Promise<void> {
    lastAttempt = Date.now();
    try {
      let body: unknown;
      if (opts.load) body = await opts.load();
      else {
        const res = await doFetch(opts.url, { headers: { accept: "application/json" }, signal: AbortSignal.timeout(timeoutMs) });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        body = await res.json();
      }
      if (typeof body !== "object" || body === null || !Array.isArray((body as { keys?: unknown }).keys)) {
        throw new Error("response is not a JWKS");
      }
      table = buildTable([body], () => {});
      lastSuccess = Date.now();
      lastFailed = false;
    } catch (e) {
      lastFailed = true;
      throw new TrustUnavailable(`Trust registry ${opts.url} could not be read: ${(e as Error).message}`, { cause: e });
    }
  }

  function refresh(): Promise<void> {
    if (!inflight) inflight = load().finally(() => (inflight = undefined));
    return inflight;
  }

  const mayRefetch = () => Date.now() - lastAttempt >= minRefetchMs;

  return {
    refresh,
    async resolve(kid) {
      if (inflight) await inflight.catch(() => {});
      if (table === undefined || Date.now() - lastSuccess >= refreshMs) {
        if (inflight || mayRefetch()) {
          try {
            await refresh();
          } catch (e) {
            if (table === undefined) throw e; // nothing known yet: cannot decide
          }
        } else if (table === undefined) {
          throw new TrustUnavailable(`Trust registry ${opts.url} has not been read yet`);
        }
      }
      const hit = lookup(table, kid, imp);
      if (hit) return hit;
      if (mayRefetch()) {
        await refresh(); // throws TrustUnavailable if it fails
        return lookup(table, kid, imp);
      }
      if (lastFailed) throw new TrustUnavailable(`Trust registry ${opts.url} is unavailable; kid ${kid} cannot be decided`);
      return undefined;
    },
    /**
     * On the sending path, often inside a database transaction: a known key is
     * returned at once, also when the table is due for a refresh (which then
     * runs in the background); only an unknown service waits for a fetch.
     */
    async encryptionKey(iss) {
      const known = lookupEnc(table, iss, impEnc);
      if (known) {
        if (!inflight && Date.now() - lastSuccess >= refreshMs && mayRefetch()) refresh().catch(() => {});
        return known;
      }
      if (inflight) await inflight.catch(() => {});
      else if (table === undefined || mayRefetch()) await refresh(); // throws TrustUnavailable if it fails
      const hit = lookupEnc(table, iss, impEnc);
      if (!hit && lastFailed) throw new TrustUnavailable(`Trust registry ${opts.url} is unavailable; no encryption key of ${iss} known`);
      return hit;
    },
  };
}

/** Asks each registry in turn; the first that knows the kid wins. Errors surface only if none knows it. */
export function combinedTrustRegistry(...registries: TrustRegistry[]): TrustRegistry {
  return {
    async resolve(kid) {
      let failure: unknown;
      for (const r of registries) {
        try {
          const hit = await r.resolve(kid);
          if (hit) return hit;
        } catch (e) {
          failure ??= e;
        }
      }
      if (failure !== undefined) throw failure;
      return undefined;
    },
    async encryptionKey(iss) {
      let failure: unknown;
      for (const r of registries) {
        try {
          const hit = await r.encryptionKey(iss);
          if (hit) return hit;
        } catch (e) {
          failure ??= e;
        }
      }
      if (failure !== undefined) throw failure;
      return undefined;
    },
  };
}

/**
 * Resolves the key of a token before the caller opens a database transaction,
 * so a registry refetch (HTTP) never runs while a transaction holds the
 * connection (with an embedded single-connection database it would wait on
 * itself). Errors are ignored: the verification that follows reports them.
 */
export async function prefetchKey(token: string, trust: TrustRegistry): Promise<void> {
  try {
    const kid = decodeProtectedHeader(token).kid;
    if (typeof kid === "string") await trust.resolve(kid);
  } catch {
    /* verification will reject or retry */
  }
}
