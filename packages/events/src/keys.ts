/**
 * A service's own keys: an Ed25519 key pair to sign with and an X25519 key
 * pair that senders encrypt to (docs/federation.md, "Encrypted payloads"),
 * generated on first start and kept by a KeyStore (a JSON file, mode 0600,
 * outside the repository). A store written before encryption keys existed
 * gets one on load.
 *
 * Rotation makes a new current key at once; the previous one stays in the
 * service's JWKS for `keepRetiredSec` (default 600 s, longer than any event's
 * lifetime plus the receivers' 30 s clock tolerance), so events it signed
 * still verify until they have expired. After that window the key leaves the
 * JWKS and is pruned from the store at the next rotation.
 *
 * The encryption key rotates with the signing key. Only the current one is
 * published (senders need one key); a retired one still decrypts for the same
 * window (what was encrypted to it before the senders saw the new key), then
 * its private half is pruned: every copy encrypted to it, in a stream or a
 * backup of one, can no longer be read by anyone.
 */
// jose encodes and decodes base64 with the engine's own methods where they exist (docs/adr/0048).
import "./base64";
import { type KeyObject, randomUUID } from "node:crypto";
import { chmod, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from "jose";
import { z } from "zod";
import { ed25519PrivateKey, signCompact } from "./jws";
import { ENC_ALG, EVENT_ALG, EVENT_TYP } from "./suite";

export { ENC_ALG, ENC_ENC, EVENT_ALG, EVENT_TYP } from "./suite";

const DEFAULT_KEEP_RETIRED_SEC = 600;

export interface StoredServiceKey {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
  createdAt: string;
  retiredAt: string | null;
  /**
   * End of the retirement window (ISO time): until then the key stays in
   * jwks(). Written by rotate(); when absent, retiredAt + 600 s.
   */
  retainUntil?: string | null;
}

export interface StoredServiceKeys {
  iss: string;
  keys: StoredServiceKey[];
  /** X25519 key pairs to decrypt with (same lifecycle as `keys`); absent in a store of an older version. */
  encKeys?: StoredServiceKey[];
}

export interface KeyStore {
  load(): Promise<StoredServiceKeys | null>;
  save(k: StoredServiceKeys): Promise<void>;
}

/** A public signing key as published in a JWKS: an Ed25519 JWK with kid, alg, use and the service id. */
export type ServiceJwk = JWK & { kid: string; alg: "EdDSA"; use: "sig"; iss: string };
/** A public encryption key as published in a JWKS: an X25519 JWK with kid, alg `ECDH-ES`, use `enc` and the service id. */
export type ServiceEncJwk = JWK & { kid: string; alg: typeof ENC_ALG; use: "enc"; iss: string };

export interface ServiceKeys {
  readonly iss: string;
  /**
   * Public keys: the signing keys (current and retired-but-still-valid), each with kid, alg 'EdDSA',
   * use 'sig' and iss; then the current encryption key (alg 'ECDH-ES', use 'enc', iss).
   */
  jwks(): { keys: (ServiceJwk | ServiceEncJwk)[] };
  /** The private X25519 key of `kid` while it may still decrypt (current, or retired within its window); else undefined. */
  decryptionKey(kid: string): Promise<CryptoKey | undefined>;
  /** Low-level: signs `payload` plus iss/aud/iat/exp/jti; header {alg:'EdDSA', kid, typ:'vi-event+jwt'}. */
  sign(payload: Record<string, unknown>, opts: { ttlSec: number; aud: string | string[]; jti: string }): Promise<string>;
  /** Makes new current keys (signing and encryption); the old ones stay valid until keepRetiredSec after now. */
  rotate(opts?: { keepRetiredSec?: number }): Promise<void>;
}

const storedKey = (crv: "Ed25519" | "X25519") => {
  const okpPublic = z.object({ kty: z.literal("OKP"), crv: z.literal(crv), x: z.string().min(1) }).loose();
  return z.object({
    kid: z.string().min(1),
    privateJwk: okpPublic.extend({ d: z.string().min(1) }),
    publicJwk: okpPublic,
    createdAt: z.iso.datetime({ offset: true }),
    retiredAt: z.iso.datetime({ offset: true }).nullable(),
    retainUntil: z.iso.datetime({ offset: true }).nullable().optional(),
  });
};
const storedSchema = z.object({
  iss: z.string().min(1),
  keys: z.array(storedKey("Ed25519")),
  encKeys: z.array(storedKey("X25519")).optional(),
});

function parseStored(value: unknown, where: string): StoredServiceKeys {
  const r = storedSchema.safeParse(value);
  if (!r.success) throw new Error(`Invalid service key store (${where}): ${z.prettifyError(r.error)}`);
  return r.data as StoredServiceKeys;
}

/** A JSON file, written atomically with mode 0600; missing directories are created (0700). */
export function fileKeyStore(path: string): KeyStore {
  return {
    async load() {
      let raw: string;
      try {
        raw = await readFile(path, "utf8");
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw e;
      }
      return parseStored(JSON.parse(raw), path);
    },
    async save(k) {
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      const tmp = `${path}.${process.pid}.${randomUUID()}.tmp`;
      await writeFile(tmp, JSON.stringify(k, null, 2), { mode: 0o600 });
      await chmod(tmp, 0o600); // the umask may have narrowed it, never widened; be explicit anyway
      await rename(tmp, path);
    },
  };
}

export function memoryKeyStore(): KeyStore {
  let stored: StoredServiceKeys | null = null;
  return {
    async load() {
      return stored ? structuredClone(stored) : null;
    },
    async save(k) {
      stored = structuredClone(k);
    },
  };
}

async function newKey(now: Date): Promise<StoredServiceKey> {
  const { privateKey, publicKey } = await generateKeyPair(EVENT_ALG, { crv: "Ed25519", extractable: true });
  const pub = await exportJWK(publicKey);
  const priv = await exportJWK(privateKey);
  const publicJwk: JWK = { kty: "OKP", crv: "Ed25519", x: pub.x };
  const kid = await calculateJwkThumbprint(publicJwk);
  return {
    kid,
    privateJwk: { kty: "OKP", crv: "Ed25519", x: priv.x, d: priv.d, kid, alg: EVENT_ALG },
    publicJwk: { ...publicJwk, kid, alg: EVENT_ALG, use: "sig" },
    createdAt: now.toISOString(),
    retiredAt: null,
    retainUntil: null,
  };
}

async function newEncKey(now: Date): Promise<StoredServiceKey> {
  const { privateKey, publicKey } = await generateKeyPair(ENC_ALG, { crv: "X25519", extractable: true });
  const pub = await exportJWK(publicKey);
  const priv = await exportJWK(privateKey);
  const publicJwk: JWK = { kty: "OKP", crv: "X25519", x: pub.x };
  const kid = await calculateJwkThumbprint(publicJwk);
  return {
    kid,
    privateJwk: { kty: "OKP", crv: "X25519", x: priv.x, d: priv.d, kid, alg: ENC_ALG },
    publicJwk: { ...publicJwk, kid, alg: ENC_ALG, use: "enc" },
    createdAt: now.toISOString(),
    retiredAt: null,
    retainUntil: null,
  };
}

function retainUntilMs(k: StoredServiceKey): number {
  if (k.retiredAt === null) return Infinity;
  if (k.retainUntil) return Date.parse(k.retainUntil);
  return Date.parse(k.retiredAt) + DEFAULT_KEEP_RETIRED_SEC * 1000;
}

function currentOf(keys: StoredServiceKey[] | undefined): StoredServiceKey | undefined {
  const active = (keys ?? []).filter((k) => k.retiredAt === null);
  return active[active.length - 1];
}
const currentKey = (stored: StoredServiceKeys) => currentOf(stored.keys);

function validAudience(aud: unknown): aud is string | string[] {
  if (typeof aud === "string") return aud.length > 0;
  return Array.isArray(aud) && aud.length > 0 && aud.every((a) => typeof a === "string" && a.length > 0);
}

export async function loadOrCreateServiceKeys(opts: { iss: string; store: KeyStore; now?: () => Date }): Promise<ServiceKeys> {
  const now = opts.now ?? (() => new Date());
  const iss = opts.iss;
  if (!iss) throw new Error("loadOrCreateServiceKeys needs an iss");
  let stored = await opts.store.load();
  if (stored && stored.iss !== iss) {
    // Fail fast: another service's key file (a mixed-up data directory) must never be used to sign as this one.
    throw new Error(`The key store belongs to service "${stored.iss}", not "${iss}"`);
  }
  if (!stored || !currentKey(stored) || !currentOf(stored.encKeys)) {
    const keys = stored ? stored.keys : [];
    const encKeys = stored?.encKeys ?? [];
    stored = {
      iss,
      keys: currentOf(keys) ? keys : [...keys, await newKey(now())],
      encKeys: currentOf(encKeys) ? encKeys : [...encKeys, await newEncKey(now())],
    };
    await opts.store.save(stored);
  }
  let state: StoredServiceKeys = stored;

  const imported = new Map<string, KeyObject>();
  const privateKey = (k: StoredServiceKey) => {
    let key = imported.get(k.kid);
    if (!key) {
      key = ed25519PrivateKey(k.privateJwk);
      imported.set(k.kid, key);
    }
    return key;
  };

  const importedEnc = new Map<string, Promise<CryptoKey>>();
  const decryptionKey = (k: StoredServiceKey) => {
    let p = importedEnc.get(k.kid);
    if (!p) {
      p = importJWK(k.privateJwk, ENC_ALG) as Promise<CryptoKey>;
      importedEnc.set(k.kid, p);
    }
    return p;
  };

  let rotating: Promise<void> = Promise.resolve();

  return {
    iss,
    jwks() {
      const t = now().getTime();
      const enc = currentOf(state.encKeys)!;
      return {
        keys: [
          ...state.keys
            .filter((k) => retainUntilMs(k) > t)
            .map((k): ServiceJwk => ({ kty: "OKP", crv: "Ed25519", x: k.publicJwk.x, kid: k.kid, alg: EVENT_ALG, use: "sig", iss })),
          { kty: "OKP", crv: "X25519", x: enc.publicJwk.x, kid: enc.kid, alg: ENC_ALG, use: "enc", iss },
        ],
      };
    },
    async decryptionKey(kid) {
      const t = now().getTime();
      const k = state.encKeys?.find((e) => e.kid === kid && retainUntilMs(e) > t);
      return k ? decryptionKey(k) : undefined;
    },
    async sign(payload, o) {
      if (!Number.isInteger(o.ttlSec) || o.ttlSec <= 0) throw new RangeError("ttlSec must be a positive integer");
      if (!validAudience(o.aud)) throw new TypeError("aud must be a non-empty string or a non-empty array of them");
      if (typeof o.jti !== "string" || o.jti.length === 0) throw new TypeError("jti must be a non-empty string");
      await rotating;
      const key = currentKey(state)!;
      const iat = Math.floor(now().getTime() / 1000);
      return signCompact({ kid: key.kid, typ: EVENT_TYP }, { ...payload, iss, aud: o.aud, iat, exp: iat + o.ttlSec, jti: o.jti }, privateKey(key));
    },
    async rotate(o = {}) {
      const keepRetiredSec = o.keepRetiredSec ?? DEFAULT_KEEP_RETIRED_SEC;
      if (!Number.isFinite(keepRetiredSec) || keepRetiredSec < 0) throw new RangeError("keepRetiredSec must be >= 0");
      const run = rotating.then(async () => {
        const at = now();
        const retiredAt = at.toISOString();
        const retainUntil = new Date(at.getTime() + keepRetiredSec * 1000).toISOString();
        const retire = (list: StoredServiceKey[]) =>
          list
            .map((k) => (k.retiredAt === null ? { ...k, retiredAt, retainUntil } : k))
            // Prune keys whose window has passed: their private halves are of no further use.
            .filter((k) => retainUntilMs(k) > at.getTime());
        const next = {
          iss,
          keys: [...retire(state.keys), await newKey(at)],
          encKeys: [...retire(state.encKeys ?? []), await newEncKey(at)],
        };
        await opts.store.save(next);
        state = next;
        for (const kid of imported.keys()) if (!next.keys.some((k) => k.kid === kid)) imported.delete(kid);
        for (const kid of importedEnc.keys()) if (!next.encKeys.some((k) => k.kid === kid)) importedEnc.delete(kid);
      });
      rotating = run.catch(() => undefined);
      return run;
    },
  };
}
