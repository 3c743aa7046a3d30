/**
 * Youths without a BSN (issue 10 item 6; FIXTURES.md "Demir": surname Demir, born 7 years before the data is
 * loaded, male, living in Amsterdam): a professional registers on surname, date of birth and sex; the node asks the
 * national link (here a deterministic HMAC test implementation of the port) for the verwijsindexservicenummer and
 * stores the signal on it, marked, without any BRP data. The same facts in another spelling give a client match;
 * other facts do not; while the national link is down nothing is stored and the answer is a 503 with a stable code.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "@vi/db";
import { addYears } from "@vi/domain";
import { IB, JGZ, LEERPLICHT } from "../support/constants";
import { hmacNationalLink, type TestNationalLink } from "../support/national-link";
import { startTestRegion, type TestRegion } from "../support/region";

let r: TestRegion;
let link: TestNationalLink;
beforeAll(async () => {
  link = hmacNationalLink();
  r = await startTestRegion({ gemeenten: ["GM0363"], nationalLink: link });
});
afterAll(async () => r?.close());

const demirBorn = () => addYears(r.today, -7);
const register = (who: string, jeugdigeZonderBsn: Record<string, string>, extra: object = {}) =>
  r.call("GM0363", who, "POST", "/api/v1/signalen", { jeugdigeZonderBsn, geinformeerd: true, ...extra });

async function youthRows(): Promise<{ bsn: string; naam: string; zonder_bsn: boolean; adres_id: string | null; ouders: string[] }[]> {
  return rowsOf(await r.database.db.execute(sql.raw(`select bsn, naam, zonder_bsn, adres_id, ouders from gm0363.jeugdigen where zonder_bsn`)));
}

describe("registering on a youth without a BSN", () => {
  it("two professionals who enter Demir's facts in different spelling, case and spacing get a client match on one verwijsindexservicenummer", async () => {
    const first = await register(IB, { geslachtsnaam: "Demir", geboortedatum: demirBorn(), geslacht: "M" });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body.signaal.jeugdige).toMatchObject({ naam: "Demir", zonderBsn: true });
    expect(first.body.signaal.jeugdige.bsn).toBeUndefined();
    const vsn = first.body.signaal.jeugdige.verwijsindexservicenummer as string;
    expect(vsn).toMatch(/^\d{9}$/);
    expect(first.body.matches).toEqual([]);

    const second = await register(JGZ, { geslachtsnaam: "  DEMİR  ", geboortedatum: ` ${demirBorn()} `, geslacht: "m" });
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    expect(second.body.signaal.jeugdige.verwijsindexservicenummer).toBe(vsn);
    expect(second.body.matches).toEqual([expect.objectContaining({ soort: "client", viaArchief: false })]);

    // Both are told: ib's match list has jgz, and the client card says there is no BRP data.
    const ibMatches = await r.call("GM0363", IB, "GET", "/api/v1/matches");
    expect(ibMatches.status).toBe(200);
    expect((ibMatches.body.matches as any[]).some((m) => m.betrokkenen.some((b: { email: string }) => b.email === JGZ))).toBe(true);
    const card = await r.call("GM0363", IB, "GET", `/api/v1/signalen/${first.body.signaal.id}/clientkaart`);
    expect(card.status, JSON.stringify(card.body)).toBe(200);
    expect(card.body.jeugdige).toMatchObject({ zonderBsn: true, verwijsindexservicenummer: vsn, adres: null, geslacht: "M", leeftijd: 7 });
    expect(card.body.jeugdige.bsn).toBeUndefined();

    // One youth, kept under the number with no BRP facts; the national link saw only the normalised facts' kind.
    const rows = await youthRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ bsn: vsn, zonder_bsn: true, adres_id: null, ouders: [] });
    expect(link.calls.pseudonyms.at(-1)).toEqual([{ kind: "vsn-feiten", value: `demir|${demirBorn()}|M` }]);
  });

  it("different facts give another number and no match", async () => {
    const other = await register(LEERPLICHT, { geslachtsnaam: "Demir", geboortedatum: addYears(r.today, -8), geslacht: "M" });
    expect(other.status, JSON.stringify(other.body)).toBe(201);
    expect(other.body.matches).toEqual([]);
    const otherSex = await register(LEERPLICHT, { geslachtsnaam: "Demir", geboortedatum: demirBorn(), geslacht: "V" });
    expect(otherSex.status).toBe(201);
    expect(otherSex.body.matches).toEqual([]);
    expect(new Set((await youthRows()).map((y) => y.bsn)).size).toBe(3);
  });

  it("refuses both a BSN and the facts, neither, unusable facts and a youth of 23, with stable codes", async () => {
    const both = await r.call("GM0363", IB, "POST", "/api/v1/signalen", {
      bsn: "999900018",
      jeugdigeZonderBsn: { geslachtsnaam: "Demir", geboortedatum: demirBorn(), geslacht: "M" },
      geinformeerd: true,
    });
    expect([both.status, both.body.code]).toEqual([422, "JEUGDIGE_ONBEPAALD"]);
    expect(both.headers.get("content-type")).toContain("application/problem+json");
    const neither = await r.call("GM0363", IB, "POST", "/api/v1/signalen", { geinformeerd: true });
    expect([neither.status, neither.body.code]).toEqual([422, "JEUGDIGE_ONBEPAALD"]);
    for (const [facts, field] of [
      [{ geslachtsnaam: "  ", geboortedatum: demirBorn(), geslacht: "M" }, "geslachtsnaam"],
      [{ geslachtsnaam: "Demir", geboortedatum: "05-12-2019", geslacht: "M" }, "geboortedatum"],
      [{ geslachtsnaam: "Demir", geboortedatum: addYears(r.today, 1), geslacht: "M" }, "geboortedatum"],
      [{ geslachtsnaam: "Demir", geboortedatum: demirBorn(), geslacht: "X" }, "geslacht"],
    ] as const) {
      const res = await register(IB, facts);
      expect([res.status, res.body.code, res.body.invalidParams?.[0]?.name]).toEqual([422, "FEITEN_ONGELDIG", field]);
    }
    const old = await register(IB, { geslachtsnaam: "Ouder", geboortedatum: addYears(r.today, -23), geslacht: "V" });
    expect([old.status, old.body.code]).toEqual([422, "JEUGDIGE_TE_OUD"]);
  });

  it("while the national link is down: 503 with a Dutch message and a stable code, and nothing stored", async () => {
    const before = (await youthRows()).length;
    link.down = true;
    try {
      const res = await register(IB, { geslachtsnaam: "Nieuw", geboortedatum: demirBorn(), geslacht: "O" });
      expect([res.status, res.body.code]).toEqual([503, "LANDELIJKE_VERWIJSINDEX_ONBEREIKBAAR"]);
      expect(res.body.detail).toContain("niets vastgelegd");
    } finally {
      link.down = false;
    }
    expect((await youthRows()).length).toBe(before);
  });
});
