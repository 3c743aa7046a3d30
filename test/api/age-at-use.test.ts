/**
 * The age rule holds where the data is used, not only when the retention job
 * runs: from the 23rd birthday on (or a death), the youth's card and inzage
 * are closed and the youth's signals make no family match, even before the
 * job has removed them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, addYears } from "@vi/domain";
import { ADAM, clockAt, IB, LEERPLICHT, LIAM } from "../support/constants";
import { startTestRegion, type TestRegion } from "../support/region";

let r: TestRegion;
beforeAll(async () => {
  r = await startTestRegion({ gemeenten: ["GM0363"] });
});
afterAll(async () => r?.close());

describe("on the 23rd birthday, before the retention job has run", () => {
  it("the card and inzage no longer open, and a sibling's new signal makes no family match", async () => {
    // Adam's date of birth, from the BRP through a signal (withdrawn at once).
    const probe = await r.call("GM0363", IB, "POST", "/api/v1/signalen", { bsn: ADAM, geinformeerd: true });
    expect(probe.status).toBe(201);
    const birthday23 = addYears(probe.body.signaal.jeugdige.geboortedatum, 23);
    expect((await r.call("GM0363", IB, "POST", `/api/v1/signalen/${probe.body.signaal.id}/intrekken`)).status).toBe(204);

    try {
      // A month before, ib signals on Adam until the last day he is 22.
      r.clock.set(clockAt(addDays(birthday23, -30)));
      const adam = await r.call("GM0363", IB, "POST", "/api/v1/signalen", { bsn: ADAM, geinformeerd: true, einddatum: addDays(birthday23, -1) });
      expect(adam.status, JSON.stringify(adam.body)).toBe(201);
      expect((await r.call("GM0363", IB, "GET", `/api/v1/signalen/${adam.body.signaal.id}/clientkaart`)).status).toBe(200);

      r.clock.set(clockAt(birthday23));
      for (const path of ["clientkaart", "inzage?voor=jeugdige"]) {
        const res = await r.call("GM0363", IB, "GET", `/api/v1/signalen/${adam.body.signaal.id}/${path}`);
        expect(res.status, path).toBe(422);
        expect(res.body.code).toBe("JEUGDIGE_TE_OUD");
      }
      // Liam (Adam's brother, same parents and address) gets a signal: no family match with a youth of 23.
      const liam = await r.call("GM0363", LEERPLICHT, "POST", "/api/v1/signalen", { bsn: LIAM, geinformeerd: true });
      expect(liam.status, JSON.stringify(liam.body)).toBe(201);
      expect(liam.body.matches).toEqual([]);
      expect((await r.call("GM0363", IB, "GET", "/api/v1/matches")).body.matches).toEqual([]);
    } finally {
      r.clock.set(clockAt(r.today));
    }
  });
});
