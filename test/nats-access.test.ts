/**
 * The bus closed to anyone but the region's services (issue 8, item 1): the
 * real nats-server on a free port with the project's configuration (a user
 * per service generated from the federation's subjects, TLS with a dev CA,
 * streams and consumers provisioned by `beheer`). An anonymous client is
 * refused; a node's credentials cannot read, serve or publish what is not its
 * own, nor use the stream API; and the region works with the real credentials.
 */
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { AuthorizationError, PermissionViolationError } from "@nats-io/nats-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Bus, BusMessage } from "@vi/bus";
import { subjects } from "@vi/events";
import { ADAM, IB, JGZ, NOOR, WIJKTEAM, freshNamespace } from "./support/constants";
import { eventually, startFederation, type Federation } from "./support/federation";
import { startAuthNats, type AuthNats } from "./support/nats-server";

const REGION = ["GM0363", "GM0479"];
const ns = freshNamespace("acc");
/** A second region on the same server, as npm start runs Zuid-Kennemerland: its own account and namespace. */
const SECOND = { id: "zk", account: "ZUID_KENNEMERLAND", namespace: `${ns}zk`, gemeenten: ["GM0392"] };
let nats: AuthNats;
const opened: Array<NatsConnection | Bus> = [];

beforeAll(async () => {
  nats = await startAuthNats({ namespace: ns, gemeenten: REGION, tls: true, moreRegions: [SECOND] });
  await nats.provision();
  await nats.region(SECOND.id).provision();
}, 60_000);
afterAll(async () => {
  for (const c of opened) await c.close().catch(() => undefined);
  await nats?.stop();
});

/** A raw connection as `user` (its own inbox prefix, its key, TLS with the dev CA); `region` a further region's user. */
async function rawAs(user: string, region?: string): Promise<NatsConnection> {
  const l = region ? nats.region(region).login(user) : nats.login(user);
  const nc = await connect({
    servers: nats.url,
    name: `raw-${user}`,
    maxReconnectAttempts: 0,
    inboxPrefix: l.inboxPrefix,
    tls: l.tls,
    authenticator: (await import("@nats-io/nats-core")).nkeyAuthenticator(new TextEncoder().encode(l.nkeySeed!)),
  });
  opened.push(nc);
  return nc;
}

async function busAs(user: string): Promise<Bus> {
  const b = await nats.bus(user);
  opened.push(b);
  return b;
}

/** What the server does with a subscription: "refused" (permission violation) or "allowed" (no error within the round trip). */
async function subscribeOutcome(nc: NatsConnection, subject: string, queue?: string): Promise<"refused" | "allowed"> {
  const sub = nc.subscribe(subject, queue ? { queue } : {});
  const outcome = (async () => {
    try {
      for await (const _ of sub) {
        /* nothing is published here */
      }
      return "closed" as const;
    } catch (e) {
      if (e instanceof PermissionViolationError) return "refused" as const;
      throw e;
    }
  })();
  await nc.flush();
  const r = await Promise.race([outcome, new Promise<"allowed">((res) => setTimeout(() => res("allowed"), 500))]);
  if (r === "allowed") sub.unsubscribe();
  if (r === "closed") throw new Error(`subscription to ${subject} closed without an error`);
  return r;
}

/** What the server does with a request (a publish with a reply): "refused", or the answer / "no-answer". */
async function requestOutcome(nc: NatsConnection, subject: string, data = "{}"): Promise<string> {
  try {
    const m = await nc.request(subject, data, { timeout: 1000 });
    return m.headers?.code === 503 ? "no-responders" : `answer: ${m.string().slice(0, 400)}`;
  } catch (e) {
    if (e instanceof PermissionViolationError || (e as Error).cause instanceof PermissionViolationError) return "refused";
    const msg = (e as Error).message;
    if (/no responders/i.test(msg) || (e as { isNoResponders?: () => boolean }).isNoResponders?.()) return "no-responders";
    if (/timeout/i.test(msg) || (e as Error).name === "TimeoutError") return "no-answer";
    throw e;
  }
}

describe("who may connect", () => {
  it("refuses an anonymous client", async () => {
    const err = await connect({ servers: nats.url, maxReconnectAttempts: 0, tls: { caFile: nats.setup.caFile! } }).then(
      (nc) => (opened.push(nc), undefined),
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(AuthorizationError);
  });

  it("refuses a key the configuration does not list", async () => {
    const { createUser } = await import("@nats-io/nkeys");
    const { nkeyAuthenticator } = await import("@nats-io/nats-core");
    const err = await connect({
      servers: nats.url,
      maxReconnectAttempts: 0,
      tls: { caFile: nats.setup.caFile! },
      authenticator: nkeyAuthenticator(createUser().getSeed()),
    }).then(
      (nc) => (opened.push(nc), undefined),
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(AuthorizationError);
  });

  it("refuses a client that does not trust the server's certificate (TLS is required)", async () => {
    const l = nats.login("GM0363");
    const { nkeyAuthenticator } = await import("@nats-io/nats-core");
    const err = await connect({ servers: nats.url, maxReconnectAttempts: 0, authenticator: nkeyAuthenticator(new TextEncoder().encode(l.nkeySeed!)) }).then(
      (nc) => (opened.push(nc), undefined),
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect(String(err?.message)).toMatch(/certificate|self.signed|TLS|tls/i);
  });
});

describe("what a node's credentials may not do", () => {
  let amsterdam: NatsConnection;
  beforeAll(async () => {
    amsterdam = await rawAs("GM0363");
  });

  it("subscribe to another node's notices, requests or replies, or to everything", async () => {
    expect(await subscribeOutcome(amsterdam, `${ns}.${subjects.melding("GM0479", "hub")}`)).toBe("refused");
    expect(await subscribeOutcome(amsterdam, `${ns}.evt.>`)).toBe("refused");
    expect(await subscribeOutcome(amsterdam, `${ns}.${subjects.index("GM0479")}`)).toBe("refused");
    expect(await subscribeOutcome(amsterdam, ">")).toBe("refused");
    expect(await subscribeOutcome(amsterdam, "_INBOX_GM0479.>")).toBe("refused");
    expect(await subscribeOutcome(amsterdam, "_INBOX.>")).toBe("refused");
    // its own are allowed (the check can tell the two apart)
    expect(await subscribeOutcome(amsterdam, `${ns}.${subjects.rpc("GM0363")}`)).toBe("allowed");
    expect(await subscribeOutcome(amsterdam, "_INBOX_GM0363.probe")).toBe("allowed");
  });

  it("join another node's queue group, or serve the pseudonym service's subject", async () => {
    expect(await subscribeOutcome(amsterdam, `${ns}.${subjects.rpc("GM0479")}`, "node-GM0479")).toBe("refused");
    expect(await subscribeOutcome(amsterdam, `${ns}.${subjects.pseudoniem}`, "pseudoniem")).toBe("refused");
  });

  it("publish as the hub or as another node", async () => {
    expect(await requestOutcome(amsterdam, `${ns}.${subjects.melding("GM0479", "hub")}`)).toBe("refused");
    expect(await requestOutcome(amsterdam, `${ns}.${subjects.register("GM0479")}`)).toBe("refused");
    expect(await requestOutcome(amsterdam, `${ns}.${subjects.index("GM0479")}`)).toBe("refused");
    expect(await requestOutcome(amsterdam, `${ns}.${subjects.melding("GM0479", "GM0479")}`)).toBe("refused");
    expect(await requestOutcome(amsterdam, `${ns}.dlq.node-GM0479-melding`)).toBe("refused");
    expect(await requestOutcome(amsterdam, "_INBOX_GM0479.x")).toBe("refused");
    // under its own name the stream takes it (a PubAck, no refusal)
    expect(await requestOutcome(amsterdam, `${ns}.${subjects.melding("GM0479", "GM0363")}`, "probe")).toMatch(/^answer: .*"seq"/);
  });

  it("use the stream API: create, read, delete, or another node's consumer", async () => {
    const S = `${ns.toUpperCase()}_EVENTS`;
    for (const api of [
      "$JS.API.INFO",
      `$JS.API.STREAM.INFO.${S}`,
      `$JS.API.STREAM.MSG.GET.${S}`,
      `$JS.API.STREAM.DELETE.${S}`,
      `$JS.API.STREAM.PURGE.${S}`,
      `$JS.API.STREAM.CREATE.MINE`,
      "$JS.API.STREAM.NAMES",
      `$JS.API.CONSUMER.CREATE.${S}.spy`,
      `$JS.API.CONSUMER.DURABLE.CREATE.${S}.spy`,
      `$JS.API.CONSUMER.INFO.${S}.node-GM0479-melding`,
      `$JS.API.CONSUMER.MSG.NEXT.${S}.node-GM0479-melding`,
      `$JS.API.CONSUMER.DELETE.${S}.node-GM0363-melding`,
      `$JS.API.DIRECT.GET.${S}`,
    ]) {
      expect(await requestOutcome(amsterdam, api), api).toBe("refused");
    }
    // and its own consumer's info is what it may ask
    expect(await requestOutcome(amsterdam, `$JS.API.CONSUMER.INFO.${S}.node-GM0363-melding`)).toMatch(/^answer: .*node-GM0363-melding/);
  });

  it("the hub cannot serve a node's requests or read a node's consumer, and the pseudonym service publishes nothing of its own", async () => {
    const hub = await rawAs("hub");
    expect(await subscribeOutcome(hub, `${ns}.${subjects.rpc("GM0363")}`)).toBe("refused");
    expect(await requestOutcome(hub, `$JS.API.CONSUMER.MSG.NEXT.${ns.toUpperCase()}_EVENTS.node-GM0363-melding`)).toBe("refused");
    expect(await requestOutcome(hub, `${ns}.${subjects.index("GM0363")}`)).toBe("refused");
    const pseudoniem = await rawAs("pseudoniem");
    expect(await requestOutcome(pseudoniem, `${ns}.${subjects.melding("GM0363", "pseudoniem")}`)).toBe("refused");
    expect(await requestOutcome(pseudoniem, `${ns}.${subjects.rpc("GM0363")}`)).toBe("refused");
    expect(await subscribeOutcome(pseudoniem, `${ns}.${subjects.pseudoniem}`, "pseudoniem")).toBe("allowed");
  });

  it("the bridge serves rpc.brug and sends notices in its own name only; a node may ask it, not serve it", async () => {
    const brug = await rawAs("brug");
    expect(await subscribeOutcome(brug, `${ns}.${subjects.rpc("brug")}`, "brug")).toBe("allowed");
    expect(await subscribeOutcome(brug, `${ns}.${subjects.rpc("GM0363")}`)).toBe("refused");
    expect(await requestOutcome(brug, `${ns}.${subjects.melding("GM0363", "hub")}`)).toBe("refused");
    expect(await requestOutcome(brug, `${ns}.${subjects.index("GM0363")}`)).toBe("refused");
    expect(await requestOutcome(brug, `${ns}.${subjects.brugIndex}`)).toBe("refused");
    const node = await rawAs("GM0363");
    expect(await subscribeOutcome(node, `${ns}.${subjects.rpc("brug")}`, "brug")).toBe("refused");
    expect(await requestOutcome(node, `${ns}.${subjects.brugIndex}`)).toBe("refused");
    expect(await requestOutcome(node, `${ns}.${subjects.rpc("brug")}`)).not.toBe("refused");
    const hub = await rawAs("hub");
    expect(await requestOutcome(hub, `$JS.API.CONSUMER.MSG.NEXT.${ns.toUpperCase()}_EVENTS.brug-index`)).toBe("refused");
  });
});

describe("what the services do with their own credentials", () => {
  it("a node binds to its provisioned consumer and gets what the hub sends it; a reply reaches only the asker", async () => {
    const hub = await busAs("hub");
    const node = await busAs("GM0363");
    expect(hub.manages).toBe(false);
    expect(node.manages).toBe(false);
    const got: BusMessage[] = [];
    await node.consume({ durable: "node-GM0363-melding", filterSubjects: [subjects.meldingFor("GM0363")], maxDeliver: 8 }, async (m) => void got.push(m));
    await hub.publish(subjects.melding("GM0363", "hub"), "voor Amsterdam", "acc-1");
    await eventually(async () => got.length === 1, "the notice");
    expect(got[0]).toMatchObject({ subject: "evt.melding.GM0363.hub", data: "voor Amsterdam" });
    await node.serve(subjects.rpc("GM0363"), async (d) => `antwoord op ${d}`, { queue: "node-GM0363" });
    expect(await hub.request(subjects.rpc("GM0363"), "vraag", 2000)).toBe("antwoord op vraag");
    // a consumer that was not provisioned, or provisioned otherwise, is named as such
    await expect(
      node.consume({ durable: "node-GM0363-melding", filterSubjects: [subjects.meldingFor("GM0363")], maxDeliver: 3 }, async () => {}),
    ).rejects.toThrow(/provisioned as/);
    await expect(
      node.consume({ durable: "node-GM0479-melding", filterSubjects: [subjects.meldingFor("GM0479")], maxDeliver: 8 }, async () => {}),
    ).rejects.toThrow(/may not use durable consumer node-GM0479-melding/);
  });
});

describe("the region over the authenticated server", () => {
  let f: Federation;
  beforeAll(async () => {
    // A server of its own (the other one's users are for another namespace).
    const regionNats = await startAuthNats({ namespace: freshNamespace("accr"), gemeenten: REGION, tls: true });
    await regionNats.provision();
    f = await startFederation({
      gemeenten: REGION,
      nats: { url: regionNats.url, namespace: regionNats.namespace, env: regionNats.env, cleanup: () => regionNats.stop() },
    });
  }, 120_000);
  afterAll(async () => f?.close(), 60_000);

  it("a routed registration and a family match across gemeenten work with the services' own credentials", async () => {
    // JGZ at Amsterdam on Noor, who lives in Zaanstad: routed to the residence node by request/reply.
    const routed = await f.call("GM0363", JGZ, "POST", "/api/v1/signalen", { bsn: NOOR, geinformeerd: true });
    expect(routed.status, JSON.stringify(routed.body)).toBe(201);
    // ib on Adam at Amsterdam: Noor's half-brother, so the hub makes a gezin match across the two gemeenten.
    const adam = await f.call("GM0363", IB, "POST", "/api/v1/signalen", { bsn: ADAM, geinformeerd: true });
    expect(adam.status).toBe(201);
    const wijkteam = await f.call("GM0479", WIJKTEAM, "POST", "/api/v1/signalen", { bsn: NOOR, geinformeerd: true });
    expect(wijkteam.status).toBe(201);
    const match = await eventually(
      async () => ((await f.call("GM0363", IB, "GET", "/api/v1/matches?soort=gezin")).body.matches as any[]).find((m) => m.betrokkenen[0].email === WIJKTEAM),
      "ib's gezin match with wijkteam",
    );
    expect(match.mijnSignaal.id).toBe(adam.body.signaal.id);
    // and the client match of the two professionals on Noor, told to the entry node through the bus
    await eventually(
      async () => ((await f.call("GM0363", JGZ, "GET", "/api/v1/matches?soort=client")).body.matches as any[]).find((m) => m.betrokkenen[0].email === WIJKTEAM),
      "jgz's client match with wijkteam",
    );
  });
});

describe("two regions on one server, each its own account", () => {
  const ns2 = SECOND.namespace;

  it("a node of one region cannot ask, serve, publish or read anything of the other", async () => {
    const amsterdam = await rawAs("GM0363");
    const haarlem = await rawAs("GM0392", SECOND.id);
    expect(await subscribeOutcome(amsterdam, `${ns2}.${subjects.rpc("GM0392")}`)).toBe("refused");
    expect(await requestOutcome(amsterdam, `${ns2}.${subjects.rpc("GM0392")}`)).toBe("refused");
    expect(await requestOutcome(amsterdam, `${ns2}.${subjects.index("GM0363")}`)).toBe("refused");
    expect(await requestOutcome(haarlem, `${ns}.${subjects.rpc("GM0363")}`)).toBe("refused");
    expect(await requestOutcome(haarlem, `${ns}.${subjects.pseudoniem}`)).toBe("refused");
    // within its own region Haarlem's node may ask its own pseudonym service (nobody serves it here: no responders)
    expect(await requestOutcome(haarlem, `${ns2}.${subjects.pseudoniem}`)).toBe("no-responders");
  });

  it("even the first region's beheer, who reads every subject of its account, sees nothing of the second region", async () => {
    const beheer1 = await rawAs("beheer");
    const beheer2 = await rawAs("beheer", SECOND.id);
    const seen1: string[] = [];
    const seen2: string[] = [];
    const follow = (nc: NatsConnection, into: string[]) => {
      const sub = nc.subscribe(">");
      void (async () => {
        for await (const m of sub) into.push(m.subject);
      })();
      return sub;
    };
    const s1 = follow(beheer1, seen1);
    const s2 = follow(beheer2, seen2);
    await beheer1.flush();
    await beheer2.flush();
    // Haarlem's node publishes an index event in its own region; then a marker in each region.
    const haarlem = await busAs2("GM0392");
    await haarlem.publish(subjects.index("GM0392"), "haarlem", `zk-${Date.now()}`);
    beheer2.publish(`${ns2}.marker`, "m");
    await beheer2.flush();
    beheer1.publish(`${ns}.marker`, "m");
    await beheer1.flush();
    await eventually(async () => seen2.includes(`${ns2}.marker`) && seen1.includes(`${ns}.marker`), "both markers");
    // The second region's own beheer saw the event (the check can fail); the first region's saw nothing of it.
    expect(seen2).toContain(`${ns2}.${subjects.index("GM0392")}`);
    expect(seen1.filter((x) => x.startsWith(`${ns2}.`) || x.includes("GM0392"))).toEqual([]);
    s1.unsubscribe();
    s2.unsubscribe();
    // Nor does the first region's stream API know the second region's streams.
    const names1 = await requestOutcome(beheer1, "$JS.API.STREAM.NAMES");
    expect(names1).toContain(`${ns.toUpperCase()}_EVENTS`);
    expect(names1).not.toContain(`${ns2.toUpperCase()}_EVENTS`);
    const names2 = await requestOutcome(beheer2, "$JS.API.STREAM.NAMES");
    expect(names2).toContain(`${ns2.toUpperCase()}_EVENTS`);
    expect(names2).not.toContain(`${ns.toUpperCase()}_EVENTS`);
  });

  it("a key of the first region does not log in to the second region's subjects (the same user name is another user there)", async () => {
    // The hub of each region is called `hub`; with the first region's key a client lands in the first account.
    const hub1 = await rawAs("hub");
    expect(await requestOutcome(hub1, `${ns2}.${subjects.rpc("GM0392")}`)).toBe("refused");
    const hub2 = await rawAs("hub", SECOND.id);
    expect(await requestOutcome(hub2, `${ns2}.${subjects.rpc("GM0392")}`)).toBe("no-responders");
  });
});

async function busAs2(user: string): Promise<Bus> {
  const b = await nats.region(SECOND.id).bus(user);
  opened.push(b);
  return b;
}
