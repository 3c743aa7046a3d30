import { CompactEncrypt, generateKeyPair } from "jose";
import { describe, expect, it } from "vitest";
import {
  EventMetrics,
  EventRejected,
  memoryReplayGuard,
  openEvent,
  openSealed,
  sealEvent,
  sealToken,
  signEvent,
  staticTrustRegistry,
  TrustUnavailable,
} from "../src/index";
import { decodePart, encKidOf, encodePart, SAMPLE_DATA, service } from "./fixtures";

async function setup() {
  const a = await service("GM0363");
  const b = await service("GM0344");
  const trust = staticTrustRegistry([a.keys.jwks(), b.keys.jwks()]);
  const metrics = new EventMetrics();
  const open = (token: string, audience = "GM0344") => openEvent(token, { keys: b.keys, trust, audience, replay: memoryReplayGuard(), metrics });
  return { a, b, trust, metrics, open };
}

async function reason(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(EventRejected);
  return (e as EventRejected).reason;
}

describe("encrypted payloads", () => {
  it("an event sealed to its receiver is a compact JWE to the receiver's key that only the receiver opens, then verifies", async () => {
    const s = await setup();
    const { token, jti } = await sealEvent(s.a.keys, s.trust, { type: "match.melding", aud: "GM0344", data: SAMPLE_DATA["match.melding"] });
    expect(token.split(".")).toHaveLength(5);
    expect(decodePart(token, 0)).toMatchObject({ alg: "ECDH-ES", enc: "A256GCM", cty: "vi-event+jwt", kid: encKidOf(s.b.keys) });
    expect(decodePart(token, 0)).toHaveProperty("epk");
    for (const clear of ["a.jansen@jeugdzorg.example.nl", "A. Jansen", "020-1234567", "b.de.vries"]) expect(token).not.toContain(clear);
    const ev = await s.open(token);
    expect(ev).toMatchObject({ type: "match.melding", iss: "GM0363", jti, data: SAMPLE_DATA["match.melding"] });
    expect(s.metrics.accepted).toBe(1);
    // Another service of the region cannot read it, not even the sender.
    expect(await reason(openSealed(token, { keys: s.a.keys }))).toBe("undecryptable");
  });

  it("each message has its own ephemeral key: the same event sealed twice differs", async () => {
    const s = await setup();
    const ev = { type: "match.verwijderd" as const, aud: "GM0344", data: SAMPLE_DATA["match.verwijderd"], jti: "same" };
    const one = await sealEvent(s.a.keys, s.trust, ev);
    const two = await sealEvent(s.a.keys, s.trust, ev);
    expect(decodePart(one.token, 0).epk).not.toEqual(decodePart(two.token, 0).epk);
  });

  it("decrypts first, then verifies: every refusal is counted by its reason and changes nothing", async () => {
    const s = await setup();
    const signed = (aud: string) => signEvent(s.a.keys, { type: "signaal.ref", aud, data: SAMPLE_DATA["signaal.ref"] }).then((r) => r.token);

    // A signed event in clear.
    expect(await reason(s.open(await signed("GM0344")))).toBe("unencrypted");
    // Not a JWE at all.
    expect(await reason(s.open("a.b.c.d"))).toBe("malformed");
    // Another key agreement than ECDH-ES (A256KW over X25519).
    const b = s.b.keys.jwks().keys.find((k) => k.use === "enc")!;
    const recv = (await s.trust.encryptionKey("GM0344"))!;
    const kw = await new CompactEncrypt(new TextEncoder().encode(await signed("GM0344")))
      .setProtectedHeader({ alg: "ECDH-ES+A256KW", enc: "A256GCM", kid: b.kid, cty: "vi-event+jwt" })
      .encrypt(recv.key);
    expect(await reason(s.open(kw))).toBe("undecryptable");
    // Encrypted to a key the receiver does not hold.
    const stranger = await generateKeyPair("ECDH-ES", { crv: "X25519" });
    const toStranger = await new CompactEncrypt(new TextEncoder().encode(await signed("GM0344")))
      .setProtectedHeader({ alg: "ECDH-ES", enc: "A256GCM", kid: "iemand-anders", cty: "vi-event+jwt" })
      .encrypt(stranger.publicKey);
    expect(await reason(s.open(toStranger))).toBe("undecryptable");
    // The receiver's kid on a message encrypted to another key: the GCM tag fails.
    const parts = toStranger.split(".");
    const header = { ...decodePart(toStranger, 0), kid: b.kid };
    expect(await reason(s.open([encodePart(header), ...parts.slice(1)].join(".")))).toBe("undecryptable");
    // Ciphertext changed in transit.
    const good = await sealToken(await signed("GM0344"), "GM0344", s.trust);
    const g = good.split(".");
    const flipped = g[3]!.startsWith("A") ? `B${g[3]!.slice(1)}` : `A${g[3]!.slice(1)}`;
    expect(await reason(s.open([g[0], g[1], g[2], flipped, g[4]].join(".")))).toBe("undecryptable");
    // Decrypts, but the signed event inside is addressed to another service (re-encrypted by a receiver).
    expect(await reason(s.open(await sealToken(await signed("GM0479"), "GM0344", s.trust)))).toBe("wrong-audience");

    expect(s.metrics.rejected).toMatchObject({ unencrypted: 1, malformed: 1, undecryptable: 4, "wrong-audience": 1 });
    expect(s.metrics.accepted).toBe(0);
  });

  it("cannot seal to a service that publishes no encryption key", async () => {
    const s = await setup();
    const signOnly = staticTrustRegistry([{ keys: s.b.keys.jwks().keys.filter((k) => k.use === "sig") }]);
    await expect(sealEvent(s.a.keys, signOnly, { type: "match.verwijderd", aud: "GM0344", data: SAMPLE_DATA["match.verwijderd"] })).rejects.toBeInstanceOf(
      TrustUnavailable,
    );
  });

  it("after the receiver rotates, what was sealed to its old key still opens within the window", async () => {
    const s = await setup();
    const { token } = await sealEvent(s.a.keys, s.trust, { type: "match.verwijderd", aud: "GM0344", data: SAMPLE_DATA["match.verwijderd"] });
    await s.b.keys.rotate();
    expect(encKidOf(s.b.keys)).not.toBe(decodePart(token, 0).kid);
    await expect(s.open(token)).resolves.toMatchObject({ type: "match.verwijderd" });
  });
});
