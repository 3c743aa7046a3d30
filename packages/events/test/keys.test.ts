import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  EventMetrics,
  EventRejected,
  fileKeyStore,
  jwksHandler,
  loadOrCreateServiceKeys,
  memoryKeyStore,
  memoryReplayGuard,
  signEvent,
  staticTrustRegistry,
  verifyEvent,
  type ServiceKeys,
} from "../src/index";
import { decodePart, SAMPLE_DATA, signingJwks } from "./fixtures";

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});
async function tempDir() {
  const d = await mkdtemp(join(tmpdir(), "vi-events-"));
  dirs.push(d);
  return d;
}

function clock(start = Date.parse("2025-01-01T12:00:00Z")) {
  let t = start;
  return { now: () => new Date(t), advance: (sec: number) => (t += sec * 1000) };
}

const kidOfToken = (token: string) => decodePart(token, 0).kid as string;

async function verifyWithCurrentJwks(keys: ServiceKeys, token: string, now: () => Date) {
  return verifyEvent(token, { trust: staticTrustRegistry([keys.jwks()]), audience: "GM0344", replay: memoryReplayGuard(), now });
}

describe("service keys", () => {
  it("generates an Ed25519 and an X25519 key on first start and publishes only their public halves with kid, alg, use and iss", async () => {
    const keys = await loadOrCreateServiceKeys({ iss: "GM0363", store: memoryKeyStore() });
    const { keys: jwks } = keys.jwks();
    expect(jwks).toHaveLength(2);
    expect(jwks[0]).toMatchObject({ kty: "OKP", crv: "Ed25519", alg: "EdDSA", use: "sig", iss: "GM0363" });
    expect(jwks[1]).toMatchObject({ kty: "OKP", crv: "X25519", alg: "ECDH-ES", use: "enc", iss: "GM0363" });
    for (const k of jwks) {
      expect(k.kid).toBeTruthy();
      expect(k).not.toHaveProperty("d");
    }
    expect(await keys.decryptionKey(jwks[1]!.kid)).toBeDefined();
    expect(await keys.decryptionKey(jwks[0]!.kid)).toBeUndefined();
  });

  it("adds an encryption key to a key store of an older version, keeping its signing key", async () => {
    const store = memoryKeyStore();
    const first = await loadOrCreateServiceKeys({ iss: "GM0363", store });
    const stored = (await store.load())!;
    await store.save({ iss: stored.iss, keys: stored.keys });
    const again = await loadOrCreateServiceKeys({ iss: "GM0363", store });
    expect(signingJwks(again)).toEqual(signingJwks(first));
    expect(again.jwks().keys.filter((k) => k.use === "enc")).toHaveLength(1);
  });

  it("rotates the encryption key with the signing key: the old one decrypts within the window only, and only the new one is published", async () => {
    let now = new Date("2026-01-01T00:00:00Z");
    const keys = await loadOrCreateServiceKeys({ iss: "GM0363", store: memoryKeyStore(), now: () => now });
    const enc = () => keys.jwks().keys.filter((k) => k.use === "enc");
    const oldKid = enc()[0]!.kid;
    await keys.rotate({ keepRetiredSec: 120 });
    expect(enc()).toHaveLength(1);
    expect(enc()[0]!.kid).not.toBe(oldKid);
    expect(await keys.decryptionKey(oldKid)).toBeDefined();
    now = new Date(now.getTime() + 121_000);
    expect(await keys.decryptionKey(oldKid)).toBeUndefined();
    expect(await keys.decryptionKey(enc()[0]!.kid)).toBeDefined();
  });

  it("keeps the same key across restarts, in a 0600 file under directories it creates", async () => {
    const path = join(await tempDir(), "nested", "deeper", "keys.json");
    const first = await loadOrCreateServiceKeys({ iss: "GM0363", store: fileKeyStore(path) });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const again = await loadOrCreateServiceKeys({ iss: "GM0363", store: fileKeyStore(path) });
    expect(again.jwks()).toEqual(first.jwks());
    const { token } = await signEvent(first, { type: "signaal.ref", aud: "GM0344", data: SAMPLE_DATA["signaal.ref"] });
    await expect(verifyWithCurrentJwks(again, token, () => new Date())).resolves.toMatchObject({ iss: "GM0363" });
  });

  it("refuses a key file that belongs to another service, or that is corrupt", async () => {
    const dir = await tempDir();
    const path = join(dir, "keys.json");
    await loadOrCreateServiceKeys({ iss: "GM0363", store: fileKeyStore(path) });
    await expect(loadOrCreateServiceKeys({ iss: "GM0344", store: fileKeyStore(path) })).rejects.toThrow(/belongs to service "GM0363"/);
    const bad = join(dir, "bad.json");
    await writeFile(bad, JSON.stringify({ iss: "GM0363", keys: [{ kid: "x" }] }));
    await expect(loadOrCreateServiceKeys({ iss: "GM0363", store: fileKeyStore(bad) })).rejects.toThrow(/Invalid service key store/);
  });

  it("after rotation the old key keeps verifying until keepRetiredSec, new events use the new kid, then the old key leaves the JWKS", async () => {
    const c = clock();
    const store = memoryKeyStore();
    const keys = await loadOrCreateServiceKeys({ iss: "GM0363", store, now: c.now });
    const oldKid = signingJwks(keys)[0]!.kid!;
    // Long ttl so that only the key window, not expiry, decides.
    const { token: old } = await signEvent(keys, { type: "signaal.ref", aud: "GM0344", data: SAMPLE_DATA["signaal.ref"], ttlSec: 3600 });
    expect(kidOfToken(old)).toBe(oldKid);

    await keys.rotate({ keepRetiredSec: 120 });
    const { token: fresh } = await signEvent(keys, { type: "signaal.ref", aud: "GM0344", data: SAMPLE_DATA["signaal.ref"] });
    const newKid = kidOfToken(fresh);
    expect(newKid).not.toBe(oldKid);
    expect(signingJwks(keys).map((k) => k.kid)).toEqual([oldKid, newKid]);
    await expect(verifyWithCurrentJwks(keys, old, c.now)).resolves.toMatchObject({ iss: "GM0363" });
    await expect(verifyWithCurrentJwks(keys, fresh, c.now)).resolves.toMatchObject({ iss: "GM0363" });

    c.advance(119);
    await expect(verifyWithCurrentJwks(keys, old, c.now)).resolves.toMatchObject({ iss: "GM0363" });

    c.advance(2);
    expect(signingJwks(keys).map((k) => k.kid)).toEqual([newKid]);
    const err = await verifyWithCurrentJwks(keys, old, c.now).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EventRejected);
    expect((err as EventRejected).reason).toBe("unknown-issuer");

    // The window survives a restart, and the next rotation prunes the dead key from the store.
    const restarted = await loadOrCreateServiceKeys({ iss: "GM0363", store, now: c.now });
    expect(signingJwks(restarted).map((k) => k.kid)).toEqual([newKid]);
    await restarted.rotate();
    const stored = await store.load();
    expect(stored!.keys.map((k) => k.kid)).not.toContain(oldKid);
    expect(stored!.keys.filter((k) => k.retiredAt === null)).toHaveLength(1);
  });

  it("the default retirement window (600 s) outlasts a default event's lifetime plus tolerance", async () => {
    const c = clock();
    const keys = await loadOrCreateServiceKeys({ iss: "GM0363", store: memoryKeyStore(), now: c.now });
    const { token } = await signEvent(keys, { type: "signaal.ref", aud: "GM0344", data: SAMPLE_DATA["signaal.ref"] });
    await keys.rotate();
    c.advance(300 + 29);
    await expect(verifyWithCurrentJwks(keys, token, c.now)).resolves.toMatchObject({ iss: "GM0363" });
    c.advance(600 - 329 - 1);
    expect(signingJwks(keys)).toHaveLength(2);
    c.advance(2);
    expect(signingJwks(keys)).toHaveLength(1);
  });

  it("a rotation persisted in a file store is seen after a restart", async () => {
    const path = join(await tempDir(), "keys.json");
    const keys = await loadOrCreateServiceKeys({ iss: "GM0363", store: fileKeyStore(path) });
    await keys.rotate();
    const again = await loadOrCreateServiceKeys({ iss: "GM0363", store: fileKeyStore(path) });
    expect(again.jwks()).toEqual(keys.jwks());
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(path, "utf8")).keys).toHaveLength(2);
  });

  it("serves the JWKS as JSON, cacheable for 60 s, without private material", async () => {
    const keys = await loadOrCreateServiceKeys({ iss: "GM0363", store: memoryKeyStore() });
    const res = jwksHandler(keys)();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.headers.get("cache-control")).toMatch(/max-age=60/);
    const body = await res.json();
    expect(body).toEqual(keys.jwks());
    expect(JSON.stringify(body)).not.toMatch(/"d"/);
  });

  it("rejects unusable signing options", async () => {
    const keys = await loadOrCreateServiceKeys({ iss: "GM0363", store: memoryKeyStore() });
    await expect(keys.sign({}, { ttlSec: 0, aud: "x", jti: "j" })).rejects.toThrow(/ttlSec/);
    await expect(keys.sign({}, { ttlSec: 10, aud: [], jti: "j" })).rejects.toThrow(/aud/);
    await expect(keys.rotate({ keepRetiredSec: -1 })).rejects.toThrow(/keepRetiredSec/);
    expect(new EventMetrics().accepted).toBe(0);
  });
});
