/**
 * Registering on a youth of another region through one's own node (issue 10 item 3, docs/adr/0042): ib@buurtschool
 * (Amsterdam) signals on Mila (Haarlem, Zuid-Kennemerland). The Amsterdam node seals the command to the Haarlem node;
 * its bridge, the national index and Zuid-Kennemerland's bridge carry it without being able to open it. The signal
 * is stored at the Haarlem node, Amsterdam keeps the pointer, and the client match with jeugdteam@haarlem.example
 * reaches both professionals: jeugdteam at Haarlem, ib at Amsterdam through the bridges (each mailed once).
 */
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "@vi/db";
import { RpcRefused } from "@vi/events";
import { createBridgeAdminApp } from "@vi/lvi-bridge";
import { ADAM, MILA, TODAY } from "../support/constants";
import { eventually } from "../support/federation";
import { exchangeFields, findLeaks, fixtureNeedles, type HttpRecorder, recordHttpExchanges } from "../support/leak-scan";
import { startNationalChain, type NationalChain } from "../support/national";
import { dlqMessages } from "../support/dlq";

const JEUGDTEAM = "jeugdteam@haarlem.example";
const REGIE_HAARLEM = "matchregie@haarlem.example";
const IB = "ib@buurtschool.example";

let c: NationalChain;
/** Every HTTP exchange of this process (the chain's picked out by origin): the relayed requests are scanned too. */
let recorder: HttpRecorder;
beforeAll(async () => {
  recorder = recordHttpExchanges();
  c = await startNationalChain({ gemeenten: ["GM0363"] });
  // Each bridge publishes its region's node keys (it does so at start and every minute; now, so the test need not wait).
  expect(await c.bridges.amsterdam.publishKeys()).toBeGreaterThan(0);
  expect(await c.bridges["zuid-kennemerland"].publishKeys()).toBeGreaterThan(0);
  // Each node finds the other through its bridge once its own registry knows the bridge (the hub learnt it last).
  const knows = async (fed: NationalChain["amsterdam"], code: string, other: string) =>
    Boolean(
      await fed
        .node(code)
        .ctx.fed!.trust.encryptionKey(other)
        .catch(() => undefined),
    );
  await eventually(
    async () => (await knows(c.amsterdam, "GM0363", "GM0392")) && (await knows(c.haarlem, "GM0392", "GM0363")),
    "the node keys across regions",
    30_000,
  );
}, 180_000);
afterAll(async () => {
  recorder?.stop();
  await c?.close();
}, 60_000);

const matchesOf = async (fed: NationalChain["amsterdam"], code: string, email: string) =>
  (await fed.call(code, email, "GET", "/api/v1/matches")).body.matches as Array<Record<string, any>>;
const haarlemSignals = async () => {
  const ctx = c.haarlem.node("GM0392").ctx;
  return ctx.db.select({ id: ctx.t.signalen.id, entryNode: ctx.t.signalen.entryNode, status: ctx.t.signalen.status }).from(ctx.t.signalen);
};

describe("a professional of Regio Amsterdam signals on a youth of Zuid-Kennemerland", () => {
  let ibSignal: string;

  it("stored at the Haarlem node, a client match with jeugdteam, both told and mailed once", async () => {
    const j = await c.haarlem.call("GM0392", JEUGDTEAM, "POST", "/api/v1/signalen", { bsn: MILA, geinformeerd: true });
    expect(j.status, JSON.stringify(j.body)).toBe(201);

    const r = await c.amsterdam.call("GM0363", IB, "POST", "/api/v1/signalen", { bsn: MILA, geinformeerd: true });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    ibSignal = r.body.signaal.id;
    expect(r.body.matches.map((m: { soort: string }) => m.soort)).toEqual(["client"]);

    // The signal lives at the residence node, registered through Amsterdam; Amsterdam keeps only the pointer.
    const stored = (await haarlemSignals()).find((s) => s.id === ibSignal);
    expect(stored).toMatchObject({ entryNode: "GM0363", status: "actief" });
    const ams = c.amsterdam.node("GM0363").ctx;
    expect(await ams.db.select().from(ams.t.signalen).where(eq(ams.t.signalen.id, ibSignal))).toEqual([]);
    const own = await c.amsterdam.call("GM0363", IB, "GET", "/api/v1/signalen");
    expect(own.body.signalen.map((s: { id: string }) => s.id)).toContain(ibSignal);

    // jeugdteam is told at Haarlem; ib at Amsterdam, through the bridges and the national index.
    const atHaarlem = await eventually(
      async () => (await matchesOf(c.haarlem, "GM0392", JEUGDTEAM)).find((m) => m.soort === "client"),
      "jeugdteam's client match",
      30_000,
    );
    expect(JSON.stringify(atHaarlem)).toContain(IB);
    const atAmsterdam = await eventually(
      async () => (await matchesOf(c.amsterdam, "GM0363", IB)).find((m) => m.soort === "client"),
      "ib's client match at Amsterdam",
      30_000,
    );
    expect(JSON.stringify(atAmsterdam)).toContain(JEUGDTEAM);

    const mailsTo = (fed: NationalChain["amsterdam"], to: string) => fed.sink.messages().filter((x) => x.to.includes(to));
    await eventually(async () => mailsTo(c.amsterdam, IB).length >= 1 && mailsTo(c.haarlem, JEUGDTEAM).length >= 1, "the mails", 30_000);
    await c.national.index.deliver();
    await c.bridges.amsterdam.send();
    await c.bridges["zuid-kennemerland"].send();
    expect(mailsTo(c.amsterdam, IB)).toHaveLength(1);
    expect(mailsTo(c.haarlem, JEUGDTEAM)).toHaveLength(1);
    // Each bridge's admin /metrics counts its side: Haarlem's node sent ib's notice out, Amsterdam's bridge delivered it.
    const metric = async (bridge: "amsterdam" | "zuid-kennemerland", name: string) => {
      const text = await (await createBridgeAdminApp(c.bridges[bridge].ctx, c.bridges[bridge].ctx.events).request("/metrics")).text();
      return Number(new RegExp(`^${name} (\\d+)$`, "m").exec(text)?.[1]);
    };
    expect(await metric("zuid-kennemerland", "vi_brug_extern_total")).toBeGreaterThanOrEqual(1);
    expect(await metric("amsterdam", "vi_brug_doorgestuurd_total")).toBeGreaterThanOrEqual(1);
    expect(await metric("amsterdam", "vi_brug_extern_total")).toBe(c.bridges.amsterdam.ctx.figures.extern);
  });

  it("ib opens the signal through Amsterdam: the Haarlem node answers, through the chain", async () => {
    const read = await c.amsterdam.call("GM0363", IB, "GET", `/api/v1/signalen/${ibSignal}`);
    expect(read.status, JSON.stringify(read.body)).toBe(200);
    expect(read.body.id).toBe(ibSignal);
    expect(c.national.index.ctx.figures.relayed).toBeGreaterThanOrEqual(2);
  });

  it("a second registration by ib is refused as at home (SIGNAAL_BESTAAT_AL), and nothing is written twice", async () => {
    const again = await c.amsterdam.call("GM0363", IB, "POST", "/api/v1/signalen", { bsn: MILA, geinformeerd: true });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("SIGNAAL_BESTAAT_AL");
    expect((await haarlemSignals()).filter((s) => s.entryNode === "GM0363")).toHaveLength(1);
  });

  it("withdrawing through Amsterdam removes the signal at Haarlem and jeugdteam's match", async () => {
    const w = await c.amsterdam.call("GM0363", IB, "POST", `/api/v1/signalen/${ibSignal}/intrekken`);
    expect(w.status, JSON.stringify(w.body)).toBe(204);
    expect((await haarlemSignals()).some((s) => s.id === ibSignal)).toBe(false);
    await eventually(async () => (await matchesOf(c.haarlem, "GM0392", JEUGDTEAM)).every((m) => m.soort !== "client"), "jeugdteam's match gone", 30_000);
    await eventually(async () => (await matchesOf(c.amsterdam, "GM0363", IB)).every((m) => m.soort !== "client"), "ib's match gone", 30_000);
  });

  it("the bridges and the national index carried the request and the notices, and none of it holds a BSN or a name", async () => {
    const origin = (url: string) => new URL(url).origin;
    const chainOrigins = new Set([origin(c.national.index.url), origin(c.bridges.amsterdam.nationalUrl), origin(c.bridges["zuid-kennemerland"].nationalUrl)]);
    const xs = recorder.exchanges.filter((x) => chainOrigins.has(x.origin) && x.complete);
    const paths = new Set(xs.map((x) => `${x.method} ${x.path}`));
    for (const p of [
      "POST /api/v1/doorgiften",
      "POST /api/v1/meldingen",
      "PUT /api/v1/nodesleutels",
      "GET /api/v1/nodesleutels",
      "POST /api/v1/landelijke-berichten",
    ])
      expect(paths, p).toContain(p);
    const needles = fixtureNeedles(TODAY, (bsn) => c.amsterdam.brp.store.get(bsn) ?? c.haarlem.brp.store.get(bsn));
    expect(needles.length).toBeGreaterThan(20);
    expect(xs.flatMap((x) => findLeaks(`${x.from} -> ${x.to} ${x.method} ${x.path}`, exchangeFields(x), needles))).toEqual([]);
  });

  it("a node of another region cannot act for a professional of this region, nor can a bridge vouch for another region's nodes", async () => {
    // The Amsterdam node signs a request for jeugdteam (Haarlem's own professional): the Haarlem node refuses it.
    const ams = c.amsterdam.node("GM0363").ctx.fed!;
    const jeugdteam = c.haarlem.node("GM0392").ctx.register.professional(JEUGDTEAM)!;
    const org = c.haarlem.node("GM0392").ctx.register.organisation(jeugdteam.organisatieId)!;
    const snapshot = {
      email: JEUGDTEAM,
      naam: jeugdteam.naam,
      functie: jeugdteam.functie,
      telefoon: jeugdteam.telefoon,
      rol: "professional",
      signaleringsbevoegd: true,
      medisch: false,
      organisatie: { id: org.id, naam: org.naam, domein: org.domein },
    };
    const refused = await ams.rpc.call("GM0392", "signaal.registreren", snapshot, { input: { bsn: MILA, geinformeerd: true } }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RpcRefused);
    expect((refused as RpcRefused).problem.code).toBe("NIET_AANGESLOTEN");

    // Amsterdam's bridge publishing a key in Haarlem's name is refused by the national index, and Haarlem's keys stay.
    const haarlemKey = (await c.bridges["zuid-kennemerland"].ctx.national.nodeKeys()).find((r) => r.regio === "zuid-kennemerland")!.sleutels[0]!;
    await expect(c.bridges.amsterdam.ctx.national.publishNodeKeys([{ ...haarlemKey, kid: "vervalst" }])).rejects.toThrow(/422.*SLEUTEL_BUITEN_REGIO/);
    const after = (await c.bridges.amsterdam.ctx.national.nodeKeys()).flatMap((r) => r.sleutels.map((k) => k.kid));
    expect(after).not.toContain("vervalst");
    expect(after).toContain(haarlemKey.kid);

    // A relay to a node of the asking region's own region is refused: within a region, the region's bus carries it.
    await expect(c.bridges.amsterdam.ctx.national.relay({ onderwerp: "rpc.GM0363", token: "x", tijdMs: 5000 })).rejects.toThrow(/400.*VERZOEK_ONGELDIG/);
  });

  it("Adam moves from Amsterdam to Haarlem: his signal moves to the Haarlem node, ib keeps it through Amsterdam, ib and Haarlem's matchregisseur are told", async () => {
    const r = await c.amsterdam.call("GM0363", IB, "POST", "/api/v1/signalen", { bsn: ADAM, geinformeerd: true });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const adamSignal = r.body.signaal.id as string;
    // One BRP for the country: both regions' fake BRPs record the move.
    const to = {
      gemeenteCode: "GM0392",
      adres: { straat: "Grote Markt", huisnummer: 2, postcode: "2011RD", woonplaats: "Haarlem", adresseerbaarObjectId: "0392010000099999" },
    };
    c.haarlem.brp.store.relocate(ADAM, to);
    c.amsterdam.brp.store.relocate(ADAM, to);
    await c.amsterdam.node("GM0363").pollMutations();

    expect((await haarlemSignals()).find((s) => s.id === adamSignal)).toMatchObject({ entryNode: "GM0363", status: "actief" });
    const ams = c.amsterdam.node("GM0363").ctx;
    expect(await ams.db.select().from(ams.t.signalen).where(eq(ams.t.signalen.id, adamSignal))).toEqual([]);
    expect(JSON.stringify(await ams.db.select().from(ams.t.jeugdigen))).not.toContain(ADAM);
    // ib keeps working through Amsterdam: the list and the card, now from Haarlem (through the chain).
    const list = await c.amsterdam.call("GM0363", IB, "GET", "/api/v1/signalen");
    expect(list.body.signalen.map((x: { id: string }) => x.id)).toContain(adamSignal);
    const card = await c.amsterdam.call("GM0363", IB, "GET", `/api/v1/signalen/${adamSignal}/clientkaart`);
    expect(card.status, JSON.stringify(card.body)).toBe(200);
    expect(card.body.jeugdige).toMatchObject({ gemeente: "GM0392" });
    // ib is told of the move (through the bridges), and so is Haarlem's matchregisseur.
    await eventually(
      async () =>
        (await c.amsterdam.call("GM0363", IB, "GET", "/api/v1/meldingen")).body.meldingen.find(
          (m: { soort: string; signaalId: string }) => m.soort === "verhuizing" && m.signaalId === adamSignal,
        ),
      "ib's relocation notice",
      30_000,
    );
    const regie = await c.haarlem.call("GM0392", REGIE_HAARLEM, "GET", "/api/v1/meldingen");
    expect(regie.body.meldingen.filter((m: { soort: string }) => m.soort === "verhuizing")).toHaveLength(1);
    // At the national index the moved signal (Haarlem's record now, Amsterdam's until its removal arrives) never
    // matches itself.
    await c.bridges["zuid-kennemerland"].send();
    await c.bridges.amsterdam.send();
    const nat = c.national.database.db;
    expect(rowsOf(await nat.execute(sql.raw(`select id from landelijk.matches where signaal_a = signaal_b`)))).toEqual([]);
  });

  it("nothing was dead-lettered, and no delivery is left at the national index", async () => {
    // The relocation's notices may still be on their way to the national index: it settles to nothing pending.
    const nat = c.national.database.db;
    const pending = async () => rowsOf<{ n: number }>(await nat.execute(sql.raw("select count(*)::int as n from landelijk.afleveringen")))[0]!.n;
    await eventually(
      async () => {
        await c.national.index.deliver();
        return (await pending()) === 0;
      },
      "no delivery pending at the national index",
      30_000,
    );
    expect(await dlqMessages(c.amsterdam.natsUrl, c.amsterdam.namespace)).toBe(0);
    expect(await dlqMessages(c.haarlem.natsUrl, c.haarlem.namespace)).toBe(0);
  });
});
