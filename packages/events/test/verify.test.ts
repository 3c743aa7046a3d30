import { SignJWT, base64url } from "jose";
import { describe, expect, it } from "vitest";
import {
  EVENT_SCHEMAS,
  EventMetrics,
  EventRejected,
  memoryReplayGuard,
  signEvent,
  staticTrustRegistry,
  verifyEvent,
  type EventType,
  type RejectReason,
  type ServiceKeys,
  type TrustRegistry,
} from "../src/index";
import { decodePart, encodePart, kidOf, rawSign, SAMPLE_DATA, service, strangerKey, signingJwks } from "./fixtures";
import { importJWK, type CryptoKey } from "jose";

const EMPTY_REJECTED: Record<RejectReason, number> = {
  forged: 0,
  expired: 0,
  "wrong-audience": 0,
  "unknown-issuer": 0,
  replayed: 0,
  malformed: 0,
  unencrypted: 0,
  undecryptable: 0,
};

async function setup() {
  const a = await service("GM0363");
  const b = await service("GM0344");
  const trust = staticTrustRegistry([a.keys.jwks(), b.keys.jwks()]);
  const metrics = new EventMetrics();
  const replay = memoryReplayGuard();
  const verifyAt = (token: string, audience = "GM0344", extra: { now?: () => Date; expect?: EventType[]; trust?: TrustRegistry } = {}) =>
    verifyEvent(token, { trust: extra.trust ?? trust, audience, replay, metrics, expect: extra.expect, now: extra.now });
  return { a, b, trust, metrics, replay, verifyAt };
}

async function expectRejected(p: Promise<unknown>, reason: RejectReason, metrics: EventMetrics) {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, `expected a rejection for ${reason}`).toBeInstanceOf(EventRejected);
  expect((err as EventRejected).reason).toBe(reason);
  expect(metrics.rejected).toEqual({ ...EMPTY_REJECTED, [reason]: 1 });
  expect(metrics.accepted).toBe(0);
}

async function privateKeyOf(store: { load(): Promise<unknown> }): Promise<CryptoKey> {
  const s = (await store.load()) as { keys: Array<{ privateJwk: Parameters<typeof importJWK>[0] }> };
  return (await importJWK(s.keys.at(-1)!.privateJwk, "EdDSA")) as CryptoKey;
}

describe("sign → verify", () => {
  for (const type of Object.keys(EVENT_SCHEMAS) as EventType[]) {
    it(`a ${type} event signed by GM0363 verifies at its receiver with the same data`, async () => {
      const { a, metrics, verifyAt } = await setup();
      const { token, jti } = await signEvent(a.keys, { type, aud: ["GM0344", "regio"], data: SAMPLE_DATA[type] });
      const ev = await verifyAt(token);
      expect(ev).toMatchObject({ type, iss: "GM0363", aud: ["GM0344", "regio"], jti, data: SAMPLE_DATA[type] });
      expect(ev.exp - ev.iat).toBe(type.startsWith("rpc.") ? 60 : 300);
      expect(decodePart(token, 0)).toEqual({ alg: "EdDSA", kid: kidOf(a.keys), typ: "vi-event+jwt" });
      expect(metrics.accepted).toBe(1);
      expect(metrics.rejected).toEqual(EMPTY_REJECTED);
    });
  }

  it("narrows the event type with expect and takes ttlSec/jti from the caller", async () => {
    const { a, trust, replay } = await setup();
    const { token } = await signEvent(a.keys, { type: "signaal.ref", aud: "GM0344", data: SAMPLE_DATA["signaal.ref"], ttlSec: 42, jti: "evt-1" });
    const ev = await verifyEvent(token, { trust, audience: "GM0344", replay, expect: ["signaal.ref"] });
    expect(ev.type).toBe("signaal.ref");
    expect(ev.jti).toBe("evt-1");
    expect(ev.exp - ev.iat).toBe(42);
    expect(ev.data.residentie).toBe("GM0344");
  });

  it("refuses to sign data that does not match the schema, and never signs a plain BSN as a pseudonym", async () => {
    const { a } = await setup();
    const bad = { ...SAMPLE_DATA["signaal.index"], jeugdige: "999990019" };
    await expect(signEvent(a.keys, { type: "signaal.index", aud: "regio", data: bad })).rejects.toThrow(/jeugdige/);
    await expect(signEvent(a.keys, { type: "rpc.reply", aud: "GM0344", data: { ok: true } as never })).resolves.toBeDefined(); // result: unknown may be absent
    await expect(signEvent(a.keys, { type: "rpc.reply", aud: "GM0344", data: { ok: false, problem: { code: "X" } } as never })).rejects.toThrow(/problem/);
  });
});

describe("rejections", () => {
  it("a token signed by a stranger's key under a registered kid is forged", async () => {
    const { a, metrics, verifyAt } = await setup();
    const stranger = await strangerKey();
    const token = await new SignJWT({ type: "signaal.ref", data: SAMPLE_DATA["signaal.ref"] })
      .setProtectedHeader({ alg: "EdDSA", kid: kidOf(a.keys), typ: "vi-event+jwt" })
      .setIssuer("GM0363")
      .setAudience("GM0344")
      .setIssuedAt()
      .setExpirationTime("5m")
      .setJti("j1")
      .sign(stranger.privateKey);
    await expectRejected(verifyAt(token), "forged", metrics);
  });

  it("a key of service A used to sign with iss B is forged", async () => {
    const { a, metrics, verifyAt } = await setup();
    const token = await new SignJWT({ type: "signaal.ref", data: SAMPLE_DATA["signaal.ref"] })
      .setProtectedHeader({ alg: "EdDSA", kid: kidOf(a.keys), typ: "vi-event+jwt" })
      .setIssuer("GM0344")
      .setAudience("GM0344")
      .setIssuedAt()
      .setExpirationTime("5m")
      .setJti("j1")
      .sign(await privateKeyOf(a.store));
    await expectRejected(verifyAt(token), "forged", metrics);
  });

  it("an expired event is rejected after the 30 s tolerance, but accepted within it", async () => {
    const { a, metrics, verifyAt } = await setup();
    const { token } = await signEvent(a.keys, { type: "signaal.ref", aud: "GM0344", data: SAMPLE_DATA["signaal.ref"], ttlSec: 60 });
    const { exp } = decodePart(token, 1) as { exp: number };
    await expectRejected(verifyAt(token, "GM0344", { now: () => new Date((exp + 31) * 1000) }), "expired", metrics);
    const m2 = new EventMetrics();
    await expect(
      verifyEvent(token, {
        trust: staticTrustRegistry([a.keys.jwks()]),
        audience: "GM0344",
        replay: memoryReplayGuard(),
        metrics: m2,
        now: () => new Date((exp + 29) * 1000),
      }),
    ).resolves.toMatchObject({ type: "signaal.ref" });
    expect(m2.accepted).toBe(1);
  });

  it("a token without exp is rejected as expired", async () => {
    const { a, metrics, verifyAt } = await setup();
    const token = await new SignJWT({ type: "signaal.ref", data: SAMPLE_DATA["signaal.ref"] })
      .setProtectedHeader({ alg: "EdDSA", kid: kidOf(a.keys), typ: "vi-event+jwt" })
      .setIssuer("GM0363")
      .setAudience("GM0344")
      .setIssuedAt()
      .setJti("j1")
      .sign(await privateKeyOf(a.store));
    await expectRejected(verifyAt(token), "expired", metrics);
  });

  it("an event for another receiver is rejected as wrong-audience", async () => {
    const { a, metrics, verifyAt } = await setup();
    const { token } = await signEvent(a.keys, { type: "signaal.ref", aud: "GM0344", data: SAMPLE_DATA["signaal.ref"] });
    await expectRejected(verifyAt(token, "GM0599"), "wrong-audience", metrics);
  });

  it("a kid not in the trust registry is unknown-issuer", async () => {
    const { metrics, verifyAt } = await setup();
    const outsider = await service("GM9999");
    const { token } = await signEvent(outsider.keys, { type: "signaal.ref", aud: "GM0344", data: SAMPLE_DATA["signaal.ref"] });
    await expectRejected(verifyAt(token), "unknown-issuer", metrics);
  });

  it("alg none is rejected as forged", async () => {
    const { a, metrics, verifyAt } = await setup();
    const now = Math.floor(Date.now() / 1000);
    const token =
      encodePart({ alg: "none", kid: kidOf(a.keys), typ: "vi-event+jwt" }) +
      "." +
      encodePart({ iss: "GM0363", aud: "GM0344", iat: now, exp: now + 300, jti: "j1", type: "signaal.ref", data: SAMPLE_DATA["signaal.ref"] }) +
      ".";
    await expectRejected(verifyAt(token), "forged", metrics);
  });

  it("HS256 with the service's public key as the HMAC secret is rejected as forged", async () => {
    const { a, metrics, verifyAt } = await setup();
    const pub = signingJwks(a.keys)[0]!;
    const payload = { type: "signaal.ref", data: SAMPLE_DATA["signaal.ref"], iss: "GM0363", aud: "GM0344", jti: "j1" };
    const now = Math.floor(Date.now() / 1000);
    for (const secret of [base64url.decode(pub.x!), new TextEncoder().encode(JSON.stringify(pub))]) {
      const token = await rawSign(secret, { alg: "HS256", kid: pub.kid!, typ: "vi-event+jwt" }, { ...payload, iat: now, exp: now + 300 });
      const err = await verifyAt(token).catch((e: unknown) => e);
      expect((err as EventRejected).reason).toBe("forged");
    }
    expect(metrics.rejected.forged).toBe(2);
    expect(metrics.accepted).toBe(0);
  });

  it("a tampered payload (signature of the original) is forged", async () => {
    const { a, metrics, verifyAt } = await setup();
    const { token } = await signEvent(a.keys, { type: "signaal.ref", aud: "GM0599", data: SAMPLE_DATA["signaal.ref"] });
    const [h, , s] = token.split(".");
    const payload = { ...decodePart(token, 1), aud: "GM0344" };
    await expectRejected(verifyAt(`${h}.${encodePart(payload)}.${s}`), "forged", metrics);
  });

  it("a replayed jti is rejected the second time, after the first was accepted", async () => {
    const { a, metrics, verifyAt } = await setup();
    const { token } = await signEvent(a.keys, { type: "signaal.ref", aud: "GM0344", data: SAMPLE_DATA["signaal.ref"] });
    await expect(verifyAt(token)).resolves.toMatchObject({ iss: "GM0363" });
    const err = await verifyAt(token).catch((e: unknown) => e);
    expect((err as EventRejected).reason).toBe("replayed");
    expect(metrics.accepted).toBe(1);
    expect(metrics.rejected).toEqual({ ...EMPTY_REJECTED, replayed: 1 });
  });

  it("data that does not match its type's schema is malformed", async () => {
    const { a, metrics, verifyAt } = await setup();
    const token = await a.keys.sign(
      { type: "signaal.index", data: { ...SAMPLE_DATA["signaal.index"], status: "onbekend" } },
      { ttlSec: 300, aud: "GM0344", jti: "j1" },
    );
    await expectRejected(verifyAt(token), "malformed", metrics);
  });

  it("an unknown or unexpected event type is malformed", async () => {
    const { a, metrics, verifyAt } = await setup();
    const t1 = await a.keys.sign({ type: "toString", data: {} }, { ttlSec: 300, aud: "GM0344", jti: "j1" });
    await expectRejected(verifyAt(t1), "malformed", metrics);
    const { token: t2 } = await signEvent(a.keys, { type: "signaal.ref", aud: "GM0344", data: SAMPLE_DATA["signaal.ref"] });
    const err = await verifyAt(t2, "GM0344", { expect: ["match.melding"] }).catch((e: unknown) => e);
    expect((err as EventRejected).reason).toBe("malformed");
    expect(metrics.rejected.malformed).toBe(2);
  });

  it("garbage, a JWE-shaped string and a missing kid are malformed", async () => {
    const { a, verifyAt } = await setup();
    for (const token of ["", "abc", "a.b.c.d.e", "!!.??.**"]) {
      const err = await verifyAt(token).catch((e: unknown) => e);
      expect((err as EventRejected).reason, token).toBe("malformed");
    }
    const { token } = await signEvent(a.keys, { type: "signaal.ref", aud: "GM0344", data: SAMPLE_DATA["signaal.ref"] });
    const [, p, s] = token.split(".");
    const noKid = `${encodePart({ alg: "EdDSA", typ: "vi-event+jwt" })}.${p}.${s}`;
    expect(((await verifyAt(noKid).catch((e: unknown) => e)) as EventRejected).reason).toBe("malformed");
  });

  it("a token of another type (typ JWT) signed with a service key is malformed, not an event", async () => {
    const { a, metrics, verifyAt } = await setup();
    const token = await new SignJWT({ type: "signaal.ref", data: SAMPLE_DATA["signaal.ref"] })
      .setProtectedHeader({ alg: "EdDSA", kid: kidOf(a.keys), typ: "JWT" })
      .setIssuer("GM0363")
      .setAudience("GM0344")
      .setIssuedAt()
      .setExpirationTime("5m")
      .setJti("j1")
      .sign(await privateKeyOf(a.store));
    await expectRejected(verifyAt(token), "malformed", metrics);
  });

  it("a rejected token never burns its jti", async () => {
    const { a, verifyAt } = await setup();
    const bad = await a.keys.sign({ type: "signaal.ref", data: { nope: 1 } }, { ttlSec: 300, aud: "GM0344", jti: "shared-jti" });
    expect(((await verifyAt(bad).catch((e: unknown) => e)) as EventRejected).reason).toBe("malformed");
    const { token } = await signEvent(a.keys, { type: "signaal.ref", aud: "GM0344", data: SAMPLE_DATA["signaal.ref"], jti: "shared-jti" });
    expect(((await verifyAt(token, "GM0599").catch((e: unknown) => e)) as EventRejected).reason).toBe("wrong-audience");
    await expect(verifyAt(token)).resolves.toMatchObject({ jti: "shared-jti" });
  });

  it("metrics are exposed in Prometheus text format", async () => {
    const m = new EventMetrics();
    m.accepted = 3;
    m.count("forged");
    m.count("forged");
    const text = m.toPrometheus('GM"0363');
    expect(text).toContain('vi_events_accepted_total{service="GM\\"0363"} 3\n');
    expect(text).toContain('vi_events_rejected_total{service="GM\\"0363",reason="forged"} 2\n');
    expect(text).toContain('vi_events_rejected_total{service="GM\\"0363",reason="replayed"} 0\n');
    expect(text).toMatch(/# TYPE vi_events_rejected_total counter/);
  });
});

export type { ServiceKeys };
