/**
 * An unusual pattern (issue 9 item 5, docs/adr/0025): a professional who registers on more different youths
 * than PATROON_MAX_JEUGDIGEN within PATROON_VENSTER_MINUTEN is refused (429 ONGEBRUIKELIJK_PATROON with
 * Retry-After, nothing stored), the refusal is audit-logged, and the convenantmanager is told once per window by
 * e-mail (a real SMTP sink) without any data of the youth. One node over HTTP on a real PostgreSQL, with the
 * bound at one youth per hour so the demo's two Amsterdam youths reach it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rowsOf } from "@vi/db";
import { type SmtpSink, startSmtpSink } from "@vi/smtp-sink";
import { checkAuditChain } from "@vi/node";
import { ADAM, CONVENANTMANAGER, IB, JGZ, LEERPLICHT, LIAM, UNKNOWN_BSN } from "../support/constants";
import { startTestRegion, type TestRegion } from "../support/region";

let r: TestRegion;
let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink({ smtpPort: 0, httpPort: 0 });
  r = await startTestRegion({
    gemeenten: ["GM0363"],
    env: { PATROON_MAX_JEUGDIGEN: "1", PATROON_VENSTER_MINUTEN: "60", SMTP_HOST: "127.0.0.1", SMTP_PORT: String(sink.smtpPort) },
  });
});
afterAll(async () => {
  await r?.close();
  await sink?.close();
});

const informed = (bsn: string) => ({ bsn, geinformeerd: true });
const exec = async <T>(q: string) => rowsOf<T>(await r.database.db.execute(sql.raw(q)));
const signalsOf = async (email: string) =>
  exec<{ n: string }>(`select count(*) as n from gm0363.signalen s join gm0363.professionals p on p.id = s.professional_id where p.email = '${email}'`).then(
    (x) => Number(x[0]!.n),
  );
const auditOf = async (email: string, actie: string) =>
  (await exec<{ details: Record<string, unknown> }>(`select details from gm0363.audit_log where actor = '${email}' and actie = '${actie}' order by id`)).map(
    (x) => x.details,
  );
const reports = () => sink.messages().filter((m) => m.subject === "Ongebruikelijk patroon in de Verwijsindex");

describe("the bound on different youths per professional", () => {
  it("below the bound a registration is fine; the same youth again does not count twice", async () => {
    const first = await r.call("GM0363", IB, "POST", "/api/v1/signalen", informed(ADAM));
    expect(first.status).toBe(201);
    // Already registered: refused for that reason, not as a pattern.
    const again = await r.call("GM0363", IB, "POST", "/api/v1/signalen", informed(ADAM));
    expect(again.body.code).toBe("SIGNAAL_BESTAAT_AL");
    // Withdrawn and registered once more: still the one youth of the window.
    expect((await r.call("GM0363", IB, "POST", `/api/v1/signalen/${first.body.signaal.id}/intrekken`)).status).toBe(204);
    expect((await r.call("GM0363", IB, "POST", "/api/v1/signalen", informed(ADAM))).status).toBe(201);
    expect(await signalsOf(IB)).toBe(1);
    expect(await auditOf(IB, "registratie.geweigerd")).toEqual([]);
  });

  it("the next different youth is refused with 429 ONGEBRUIKELIJK_PATROON and Retry-After, and nothing is stored", async () => {
    const youthsBefore = await exec<{ n: string }>("select count(*) as n from gm0363.jeugdigen");
    const res = await r.call("GM0363", IB, "POST", "/api/v1/signalen", informed(LIAM));
    expect(res.status).toBe(429);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.body).toMatchObject({ code: "ONGEBRUIKELIJK_PATROON", status: 429 });
    expect(res.body.detail).toContain("convenantmanager");
    // The fixed clock: the one youth counted was registered just now, so the window ends in an hour.
    expect(res.headers.get("retry-after")).toBe("3600");
    expect(res.body.detail).toContain("over 3600 seconden");
    expect(await signalsOf(IB)).toBe(1);
    expect(await exec<{ n: string }>("select count(*) as n from gm0363.jeugdigen")).toEqual(youthsBefore);
    expect(await auditOf(IB, "registratie.geweigerd")).toEqual([
      expect.objectContaining({ reden: "ongebruikelijk-patroon", maxJeugdigen: 1, vensterMinuten: 60 }),
    ]);
    expect(await auditOf(IB, "patroon.gemeld")).toEqual([expect.objectContaining({ aan: [CONVENANTMANAGER], maxJeugdigen: 1 })]);
    expect(await checkAuditChain(r.database.db, r.node("GM0363").ctx.t)).toMatchObject({ ok: true });
  });

  it("the convenantmanager got one e-mail naming the professional and nothing of the youth", () => {
    const mails = reports();
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toEqual([CONVENANTMANAGER]);
    expect(mails[0]!.text).toContain(IB);
    expect(mails[0]!.text).toContain("1 verschillende jeugdigen");
    for (const part of [mails[0]!.text, mails[0]!.html ?? "", mails[0]!.subject]) {
      expect(part).not.toMatch(/\d{9}/);
      expect(part).not.toMatch(/Liam|Adam|Haarlem/);
    }
  });

  it("a second refusal in the window is logged but not reported again", async () => {
    const res = await r.call("GM0363", IB, "POST", "/api/v1/signalen", informed(LIAM));
    expect(res.body.code).toBe("ONGEBRUIKELIJK_PATROON");
    expect(await auditOf(IB, "registratie.geweigerd")).toHaveLength(2);
    expect(await auditOf(IB, "patroon.gemeld")).toHaveLength(1);
    expect(reports()).toHaveLength(1);
  });

  it("another professional has a bound of their own", async () => {
    expect((await r.call("GM0363", JGZ, "POST", "/api/v1/signalen", informed(LIAM))).status).toBe(201);
  });

  it("a registration that fails (BSN not in the BRP) does not use up the bound", async () => {
    expect((await r.call("GM0363", LEERPLICHT, "POST", "/api/v1/signalen", informed(UNKNOWN_BSN))).body.code).toBe("BSN_ONBEKEND_IN_BRP");
    expect((await r.call("GM0363", LEERPLICHT, "POST", "/api/v1/signalen", informed(LIAM))).status).toBe(201);
    expect((await r.call("GM0363", LEERPLICHT, "POST", "/api/v1/signalen", informed(ADAM))).body.code).toBe("ONGEBRUIKELIJK_PATROON");
  });
});
