/**
 * Authorisation comes from the region's register only: a node identifies only
 * professionals whose organisation the register connects to its gemeente
 * (never one it recorded because another node acted for them), and a
 * residence node acts only for a professional whose organisation the
 * register connects to the node that asks (the entry node), with the
 * register's role and designation, not the entry node's word. Two nodes and
 * the hub over real NATS and PostgreSQL. A token's professional is its
 * subject (`sub`) as the register maps it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rowsOf } from "@vi/db";
import { type ActorSnapshot, RpcRefused } from "@vi/events";
import { demoSubject } from "@vi/demo";
import { ADAM, DOCENT, IB, LIAM, NOOR, WIJKTEAM } from "../support/constants";
import { startFederation, type Federation } from "../support/federation";

let f: Federation;
beforeAll(async () => {
  f = await startFederation({ gemeenten: ["GM0363", "GM0479"] });
}, 120_000);
afterAll(async () => f?.close(), 60_000);

const informed = (bsn: string) => ({ bsn, geinformeerd: true });

/** Asks node `to` for a registration as node `from` would (signed with `from`'s keys), for this actor. */
async function routed(from: string, to: string, actor: ActorSnapshot, bsn: string) {
  return f.node(from).ctx.fed!.rpc.call(to, "signaal.registreren", actor, { input: informed(bsn) });
}

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => ({ code: "OK" }),
    (e: unknown) => {
      if (e instanceof RpcRefused) return e.problem;
      throw e;
    },
  );

const snapshot = (over: Partial<ActorSnapshot> & Pick<ActorSnapshot, "email">): ActorSnapshot => ({
  naam: "Iemand",
  functie: "Professional",
  telefoon: "020 555 0000",
  rol: "professional",
  signaleringsbevoegd: true,
  medisch: false,
  organisatie: { id: "buurtschool", naam: "De Buurtschool", domein: "onderwijs" },
  ...over,
});

describe("a professional is identified only by the node their organisation is connected to", () => {
  it("wijkteam (Zaanstad only) is refused at Amsterdam before and after Amsterdam carried out a signal for them", async () => {
    const before = await f.call("GM0363", WIJKTEAM, "GET", "/api/v1/signalen");
    expect(before.status).toBe(403);
    expect(before.body.code).toBe("NIET_AANGESLOTEN");

    // Through the Zaanstad node on Adam (Amsterdam): carried out by the Amsterdam node, which records wijkteam.
    const viaZaanstad = await f.call("GM0479", WIJKTEAM, "POST", "/api/v1/signalen", informed(ADAM));
    expect(viaZaanstad.status).toBe(201);
    const recorded = rowsOf<{ lokaal: boolean; actief: boolean }>(
      await f.database.db.execute(
        sql.raw(`select p.lokaal, o.actief from gm0363.professionals p join gm0363.organisaties o on o.id = p.organisatie_id where p.email = '${WIJKTEAM}'`),
      ),
    );
    expect(recorded).toEqual([{ lokaal: false, actief: false }]);

    const list = await f.call("GM0363", WIJKTEAM, "GET", "/api/v1/signalen");
    expect(list.status).toBe(403);
    expect(list.body.code).toBe("NIET_AANGESLOTEN");
    const register = await f.call("GM0363", WIJKTEAM, "POST", "/api/v1/signalen", informed(NOOR));
    expect(register.status).toBe(403);
    expect(register.body.code).toBe("NIET_AANGESLOTEN");
    const matches = await f.call("GM0363", WIJKTEAM, "GET", "/api/v1/matches");
    expect(matches.status).toBe(403);

    // Their own node still serves them, including the signal the Amsterdam node holds.
    const own = await f.call("GM0479", WIJKTEAM, "GET", "/api/v1/signalen");
    expect(own.status).toBe(200);
    expect(own.body.signalen.map((s: { id: string }) => s.id)).toContain(viaZaanstad.body.signaal.id);
  });
});

describe("identity is the token's subject, mapped to the register", () => {
  const as = async (token: string) =>
    fetch(`${f.node("GM0363").url}/api/v1/signalen`, { headers: { authorization: `Bearer ${token}` } }).then(async (r) => ({
      status: r.status,
      body: (await r.json()) as { code?: string },
    }));

  it("the subject decides, not the e-mail claim: ib's subject with docent's e-mail is ib", async () => {
    const token = await f.issuer.sign(DOCENT, { subject: demoSubject(IB) });
    const res = await fetch(`${f.node("GM0363").url}/api/v1/signalen`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(informed(LIAM)),
    });
    // The docent may not signal; ib may: the signal is made, and it is ib's.
    expect(res.status).toBe(201);
    const ibs = await f.call("GM0363", IB, "GET", "/api/v1/signalen");
    expect(ibs.body.signalen.map((s: { jeugdige: { bsn: string } }) => s.jeugdige.bsn)).toContain(LIAM);
  });

  it("a subject the register does not know is refused, even with a known e-mail address in the token", async () => {
    expect(await as(await f.issuer.sign(IB, { subject: IB }))).toEqual({ status: 403, body: expect.objectContaining({ code: "NIET_AANGESLOTEN" }) });
    expect(await as(await f.issuer.sign(IB, { subject: "00000000-0000-5000-8000-000000000000" }))).toMatchObject({ status: 403 });
  });

  it("a token that lives longer than an hour is refused", async () => {
    expect(await as(await f.issuer.sign(IB, { expiresInSec: 3601 }))).toEqual({ status: 401, body: expect.objectContaining({ code: "TOKEN_ONGELDIG" }) });
    expect((await as(await f.issuer.sign(IB, { expiresInSec: 3600 }))).status).toBe(200);
  });
});

describe("a residence node checks the register, not the entry node's word", () => {
  it("refuses a routed request for a professional whose organisation is not connected to the entry node", async () => {
    // Amsterdam asks Zaanstad to register for wijkteam, whose organisation is connected to Zaanstad only.
    const p = await refusal(
      routed("GM0363", "GM0479", snapshot({ email: WIJKTEAM, organisatie: { id: "wijkteam-zaanstad", naam: "Wijkteam Zaanstad", domein: "jeugdhulp" } }), NOOR),
    );
    expect(p).toMatchObject({ code: "NIET_AANGESLOTEN", status: 403 });
  });

  it("refuses a professional the register does not know, and one sent with another organisation than the register's", async () => {
    expect(await refusal(routed("GM0363", "GM0479", snapshot({ email: "onbekend@nergens.example" }), NOOR))).toMatchObject({ code: "NIET_AANGESLOTEN" });
    // ib is of De Buurtschool (Amsterdam); the entry node claims the GGD (connected everywhere).
    const claimed = snapshot({ email: IB, organisatie: { id: "ggd-amsterdam", naam: "GGD Amsterdam", domein: "jeugdgezondheidszorg" } });
    expect(await refusal(routed("GM0363", "GM0479", claimed, NOOR))).toMatchObject({ code: "NIET_AANGESLOTEN" });
  });

  it("takes the designation from the register: a docent sent as signaleringsbevoegd is still refused", async () => {
    expect(await refusal(routed("GM0363", "GM0479", snapshot({ email: DOCENT, signaleringsbevoegd: true }), NOOR))).toMatchObject({
      code: "NIET_SIGNALERINGSBEVOEGD",
    });
  });

  it("carries out a routed request for a professional the register connects to the entry node", async () => {
    const result = (await routed("GM0363", "GM0479", snapshot({ email: IB, naam: "Verzonnen Naam" }), NOOR)) as { signaal: { id: string } };
    expect(result.signaal.id).toMatch(/^[0-9a-f-]{36}$/);
    const [row] = rowsOf<{ naam: string }>(await f.database.db.execute(sql.raw(`select naam from gm0479.professionals where email = '${IB}'`)));
    // The name is the register's, not the snapshot's.
    expect(row?.naam).toBe("Marieke de Graaf");
  });
});
