import { serve } from "@hono/node-server";
import { Hono } from "hono";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import {
  combinedTrustRegistry,
  EventMetrics,
  EventRejected,
  memoryReplayGuard,
  remoteTrustRegistry,
  signEvent,
  staticTrustRegistry,
  TrustUnavailable,
  verifyEvent,
} from "../src/index";
import { SAMPLE_DATA, service, strangerKey, signingJwks } from "./fixtures";
import type { JWK } from "jose";

/** A tiny JWKS server on port 0 that counts its requests. */
async function jwksServer(initial: { keys: JWK[] }) {
  const state = { jwks: initial, hits: 0, status: 200 };
  const app = new Hono();
  app.get("/api/v1/vertrouwen/jwks.json", (c) => {
    state.hits += 1;
    if (state.status !== 200) return c.text("down", state.status as 503);
    return c.json(state.jwks);
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((resolve) => server.once("listening", resolve));
  const port = (server.address() as AddressInfo).port;
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  closers.push(close);
  return { state, url: `http://127.0.0.1:${port}/api/v1/vertrouwen/jwks.json`, close };
}
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("remote trust registry", () => {
  it("verifies an event with a key fetched over HTTP", async () => {
    const a = await service("GM0363");
    const srv = await jwksServer(a.keys.jwks());
    const trust = remoteTrustRegistry({ url: srv.url });
    const { token } = await signEvent(a.keys, { type: "signaal.ref", aud: "GM0344", data: SAMPLE_DATA["signaal.ref"] });
    const ev = await verifyEvent(token, { trust, audience: "GM0344", replay: memoryReplayGuard() });
    expect(ev.iss).toBe("GM0363");
    expect(srv.state.hits).toBe(1);
    // Known kids are served from the cache.
    await trust.resolve(signingJwks(a.keys)[0]!.kid!);
    expect(srv.state.hits).toBe(1);
  });

  it("refetches on an unknown kid at most once per minRefetchMs, and then learns a rotated key", async () => {
    const a = await service("GM0363");
    const srv = await jwksServer(a.keys.jwks());
    const trust = remoteTrustRegistry({ url: srv.url, minRefetchMs: 300 });
    await trust.refresh();
    expect(srv.state.hits).toBe(1);

    // Within the interval: unknown kids cause no request at all.
    expect(await trust.resolve("nope-1")).toBeUndefined();
    expect(await trust.resolve("nope-2")).toBeUndefined();
    expect(srv.state.hits).toBe(1);

    await a.keys.rotate();
    srv.state.jwks = a.keys.jwks();
    const newKid = signingJwks(a.keys).at(-1)!.kid!;
    expect(await trust.resolve(newKid)).toBeUndefined();
    expect(srv.state.hits).toBe(1);

    await sleep(320);
    // A burst of lookups after the interval shares one request.
    const hits = await Promise.all([trust.resolve(newKid), trust.resolve("nope-3"), trust.resolve(newKid)]);
    expect(srv.state.hits).toBe(2);
    expect(hits[0]?.iss).toBe("GM0363");
    expect(hits[1]).toBeUndefined();
    expect(await trust.resolve("nope-4")).toBeUndefined();
    expect(srv.state.hits).toBe(2);
  });

  it("refreshes a stale JWKS after refreshMs", async () => {
    const a = await service("GM0363");
    const srv = await jwksServer(a.keys.jwks());
    const kid = signingJwks(a.keys)[0]!.kid!;
    const trust = remoteTrustRegistry({ url: srv.url, refreshMs: 150, minRefetchMs: 10 });
    expect(await trust.resolve(kid)).toBeDefined();
    expect(await trust.resolve(kid)).toBeDefined();
    expect(srv.state.hits).toBe(1);
    srv.state.jwks = { keys: [] }; // the key was withdrawn
    await sleep(170);
    expect(await trust.resolve(kid)).toBeUndefined();
    expect(srv.state.hits).toBeGreaterThanOrEqual(2);
  });

  it("when the JWKS is unreachable, undecidable kids throw TrustUnavailable (retry later) instead of a rejection", async () => {
    const a = await service("GM0363");
    const srv = await jwksServer(a.keys.jwks());
    srv.state.status = 503;
    const trust = remoteTrustRegistry({ url: srv.url, minRefetchMs: 50 });
    const metrics = new EventMetrics();
    const { token } = await signEvent(a.keys, { type: "signaal.ref", aud: "GM0344", data: SAMPLE_DATA["signaal.ref"] });
    const err = await verifyEvent(token, { trust, audience: "GM0344", replay: memoryReplayGuard(), metrics }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrustUnavailable);
    expect(err).not.toBeInstanceOf(EventRejected);
    expect(metrics.rejected["unknown-issuer"]).toBe(0);

    // Once it is back, the same event verifies; keys already known survive a later outage.
    srv.state.status = 200;
    await sleep(60);
    await expect(verifyEvent(token, { trust, audience: "GM0344", replay: memoryReplayGuard(), metrics })).resolves.toMatchObject({ iss: "GM0363" });
    srv.state.status = 503;
    await sleep(60);
    await expect(trust.resolve(signingJwks(a.keys)[0]!.kid!)).resolves.toMatchObject({ iss: "GM0363" });
    await expect(trust.resolve("unknown")).rejects.toBeInstanceOf(TrustUnavailable);
  });
});

describe("static and combined trust registries", () => {
  it("a kid claimed by two different keys is ambiguous and trusted for neither", async () => {
    const a = await service("GM0363");
    const stranger = await strangerKey();
    const kid = signingJwks(a.keys)[0]!.kid!;
    const hijack = { keys: [{ ...stranger.publicJwk, kid, alg: "EdDSA", use: "sig", iss: "GM0666" }] };
    expect(await staticTrustRegistry([a.keys.jwks()]).resolve(kid)).toMatchObject({ iss: "GM0363" });
    expect(await staticTrustRegistry([a.keys.jwks(), hijack]).resolve(kid)).toBeUndefined();
    // The same key listed twice is fine.
    expect(await staticTrustRegistry([a.keys.jwks(), a.keys.jwks()]).resolve(kid)).toMatchObject({ iss: "GM0363" });
  });

  it("refuses keys without iss, with private material, or of another type", async () => {
    const a = await service("GM0363");
    const pub = signingJwks(a.keys)[0]!;
    const { iss: _iss, ...noIss } = pub as JWK & { iss: string };
    expect(() => staticTrustRegistry([{ keys: [noIss] }])).toThrow(/no iss/);
    expect(() => staticTrustRegistry([{ keys: [{ ...pub, d: "AAAA" }] }])).toThrow(/private/);
    expect(() => staticTrustRegistry([{ keys: [{ ...pub, alg: "HS256" }] }])).toThrow(/alg/);
    expect(() => staticTrustRegistry([{ keys: [{ kty: "oct", k: "c2VjcmV0", kid: "k", iss: "GM0363" } as JWK] }])).toThrow(/Ed25519 or X25519/);
  });

  it("combines registries: the first that knows the kid wins", async () => {
    const a = await service("GM0363");
    const b = await service("GM0344");
    const trust = combinedTrustRegistry(staticTrustRegistry([a.keys.jwks()]), staticTrustRegistry([b.keys.jwks()]));
    expect(await trust.resolve(signingJwks(a.keys)[0]!.kid!)).toMatchObject({ iss: "GM0363" });
    expect(await trust.resolve(signingJwks(b.keys)[0]!.kid!)).toMatchObject({ iss: "GM0344" });
    expect(await trust.resolve("none")).toBeUndefined();
    const failing = { resolve: () => Promise.reject(new TrustUnavailable("down")), encryptionKey: () => Promise.reject(new TrustUnavailable("down")) };
    expect(await combinedTrustRegistry(failing, staticTrustRegistry([a.keys.jwks()])).resolve(signingJwks(a.keys)[0]!.kid!)).toMatchObject({ iss: "GM0363" });
    await expect(combinedTrustRegistry(failing, staticTrustRegistry([a.keys.jwks()])).resolve("none")).rejects.toBeInstanceOf(TrustUnavailable);
  });
});
