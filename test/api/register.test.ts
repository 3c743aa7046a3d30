/**
 * The region's register at the hub is the single source of authorisation: the convenantmanager maintains it, an
 * organisation coordinator their own organisation's designations; every change is audit-logged in the hub's hash
 * chain and reaches every node, signed, within seconds. Two nodes and the hub over real NATS and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChainOf } from "@vi/db";
import { demoSubject } from "@vi/demo";
import { sealEvent, subjects } from "@vi/events";
import { ADAM, CONVENANTMANAGER, COORDINATOR, IB, JGZ, LIAM, NOOR, WIJKTEAM } from "../support/constants";
import { startFederation, type Federation } from "../support/federation";

let f: Federation;
beforeAll(async () => {
  f = await startFederation({ gemeenten: ["GM0363", "GM0479"] });
}, 120_000);
afterAll(async () => f?.close(), 60_000);

const NIEUW = "nieuw@buurtschool.example";
const nieuwSub = demoSubject(NIEUW);
const informed = (bsn: string) => ({ bsn, geinformeerd: true });

/** Polls until `check` holds (each node learns of a change through NATS), failing after a few seconds. */
async function within<T>(what: () => Promise<T>, check: (v: T) => boolean, ms = 5000): Promise<T> {
  const until = Date.now() + ms;
  let last = await what();
  while (!check(last) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    last = await what();
  }
  return last;
}

describe("the nodes hold the hub's register", () => {
  it("each node holds the hub's signed register at the hub's version after start", async () => {
    const versie = f.node("GM0363").ctx.registerSource!.versie();
    expect(versie).toBeGreaterThanOrEqual(1);
    expect(f.node("GM0479").ctx.registerSource!.versie()).toBe(versie);
  });
});

describe("who may read and change the register at the hub", () => {
  it("anonymous: 401; a professional: 403; the convenantmanager: every organisation; a coordinator: their own", async () => {
    expect((await f.hubCall(undefined, "GET", "/api/v1/register/organisaties")).status).toBe(401);
    const prof = await f.hubCall(IB, "GET", "/api/v1/register/organisaties");
    expect(prof.status).toBe(403);
    expect(prof.body.code).toBe("GEEN_TOEGANG");
    const all = await f.hubCall(CONVENANTMANAGER, "GET", "/api/v1/register/organisaties");
    expect(all.status).toBe(200);
    expect(all.body.organisaties.map((o: { id: string }) => o.id)).toEqual(expect.arrayContaining(["buurtschool", "ggd-amsterdam", "wijkteam-zaanstad"]));
    const own = await f.hubCall(COORDINATOR, "GET", "/api/v1/register/organisaties");
    expect(own.body.organisaties.map((o: { id: string }) => o.id)).toEqual(["buurtschool"]);
  });

  it("a coordinator cannot touch another organisation's people, nor organisations", async () => {
    const jgz = await f.hubCall(COORDINATOR, "DELETE", `/api/v1/register/personen/${demoSubject(JGZ)}/aanwijzing`);
    expect(jgz.status).toBe(404);
    expect(jgz.body.code).toBe("PERSOON_NIET_GEVONDEN");
    const org = await f.hubCall(COORDINATOR, "PUT", "/api/v1/register/organisaties/buurtschool", {
      naam: "X",
      domein: "onderwijs",
      aangeslotenBij: ["GM0363", "GM0479"],
    });
    expect(org.status).toBe(403);
    const other = await f.hubCall(COORDINATOR, "PUT", `/api/v1/register/personen/${nieuwSub}`, {
      email: NIEUW,
      naam: "Nieuw",
      functie: "Leerkracht",
      telefoon: "020 555 0199",
      organisatieId: "ggd-amsterdam",
      rol: "professional",
    });
    expect(other.status).toBe(403);
    // Nothing of it reached the nodes.
    expect(f.node("GM0363").ctx.register.bySubject(nieuwSub)).toBeUndefined();
    expect(f.node("GM0363").ctx.register.bySubject(demoSubject(JGZ))?.signaleringsbevoegd).toBe(true);
  });
});

describe("a designation and its revocation reach the nodes within seconds", () => {
  it("the coordinator designates a new colleague, who can signal at once, and is refused the moment it is revoked", async () => {
    // Not in the register: not connected.
    expect((await f.call("GM0363", NIEUW, "POST", "/api/v1/signalen", informed(ADAM))).status).toBe(403);

    const added = await f.hubCall(COORDINATOR, "PUT", `/api/v1/register/personen/${nieuwSub}`, {
      email: NIEUW,
      naam: "Nina Nieuw",
      functie: "Leerkracht",
      telefoon: "020 555 0199",
      organisatieId: "buurtschool",
      rol: "professional",
    });
    expect(added.status).toBe(200);
    const designated = await f.hubCall(COORDINATOR, "PUT", `/api/v1/register/personen/${nieuwSub}/aanwijzing`, { medisch: false });
    expect(designated.status).toBe(200);
    expect(designated.body.versie).toBe(added.body.versie + 1);

    const first = await within(
      () => f.call("GM0363", NIEUW, "POST", "/api/v1/signalen", informed(ADAM)),
      (r) => r.status === 201,
    );
    expect(first.status).toBe(201);
    expect(f.node("GM0479").ctx.registerSource!.versie()).toBeGreaterThanOrEqual(designated.body.versie);

    const revoked = await f.hubCall(COORDINATOR, "DELETE", `/api/v1/register/personen/${nieuwSub}/aanwijzing`);
    expect(revoked.status).toBe(200);
    const refused = await within(
      () => f.call("GM0363", NIEUW, "POST", "/api/v1/signalen", informed(LIAM)),
      (r) => r.status === 403,
    );
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe("NIET_SIGNALERINGSBEVOEGD");
    // Routed through Amsterdam to Zaanstad: the residence node refuses too (its copy is the hub's as well).
    const routed = await f.call("GM0363", NIEUW, "POST", "/api/v1/signalen", informed(NOOR));
    expect(routed.status).toBe(403);
    const person = await f.hubCall(CONVENANTMANAGER, "GET", `/api/v1/register/personen/${nieuwSub}`);
    expect(person.body).toMatchObject({ signaleringsbevoegd: false, ingetrokkenOp: expect.any(String), aangewezenOp: expect.any(String) });
  }, 30_000);

  it("the convenantmanager connects an organisation to another gemeente, and that node identifies its professionals", async () => {
    expect((await f.call("GM0363", WIJKTEAM, "GET", "/api/v1/signalen")).status).toBe(403);
    const changed = await f.hubCall(CONVENANTMANAGER, "PUT", "/api/v1/register/organisaties/wijkteam-zaanstad", {
      naam: "Wijkteam Zaanstad",
      domein: "jeugdhulp",
      aangeslotenBij: ["GM0479", "GM0363"],
    });
    expect(changed.status).toBe(200);
    const now = await within(
      () => f.call("GM0363", WIJKTEAM, "GET", "/api/v1/signalen"),
      (r) => r.status === 200,
    );
    expect(now.status).toBe(200);
  });

  it("a register change not signed by the hub is ignored by the nodes", async () => {
    const before = f.node("GM0363").ctx.registerSource!.versie();
    const forger = f.node("GM0479").ctx.fed!.keys;
    const { token, jti } = await sealEvent(forger, f.node("GM0479").ctx.fed!.trust, {
      type: "register.bijgewerkt",
      aud: "GM0363",
      data: {
        versie: before + 1,
        organisaties: [{ id: "wijkteam-zaanstad", naam: "Wijkteam Zaanstad", domein: "jeugdhulp", aangeslotenBij: ["GM0479"] }],
        professionals: [],
      },
    });
    await f.node("GM0479").ctx.fed!.bus.publish(subjects.register("GM0363"), token, jti);
    // The hub's next real change is applied after it; the forged one never was.
    const next = await f.hubCall(CONVENANTMANAGER, "PUT", "/api/v1/register/organisaties/leerplicht-amsterdam", {
      naam: "Leerplicht Amsterdam",
      domein: "onderwijs",
      aangeslotenBij: ["GM0363"],
    });
    await within(
      async () => f.node("GM0363").ctx.registerSource!.versie(),
      (v) => v >= next.body.versie,
    );
    expect(f.node("GM0363").ctx.register.connected("wijkteam-zaanstad", "GM0363")).toBe(true);
  });
});

describe("the hub's audit log", () => {
  it("holds every change in a hash chain that verifies", async () => {
    const finding = await verifyAuditChainOf(f.hub.ctx.db, f.hub.ctx.t.auditLog);
    expect(finding.ok).toBe(true);
    const rows = await f.hub.ctx.db.select().from(f.hub.ctx.t.auditLog);
    const actions = rows.map((r) => r.actie);
    expect(actions).toEqual(
      expect.arrayContaining(["register.geladen", "persoon.gewijzigd", "aanwijzing.gegeven", "aanwijzing.ingetrokken", "organisatie.gewijzigd"]),
    );
    expect(rows.find((r) => r.actie === "aanwijzing.ingetrokken")).toMatchObject({ actor: COORDINATOR, namens: "buurtschool" });
  });
});
