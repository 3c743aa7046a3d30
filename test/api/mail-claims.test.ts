/**
 * A melding claimed for mail is a lease: held while its claimer renews it, free again for the next run once it is
 * no longer renewed (its process died), so a killed node's claimed meldingen are mailed within the lease, not
 * after the minute the claim used to hold. One node on a real PostgreSQL (no mailer: nothing is mailed by itself).
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { ADAM, IB, JGZ } from "../support/constants";
import { startTestRegion, type TestRegion } from "../support/region";
import { claimUnmailed, markMailed, renewClaims } from "../../services/node/src/store/notices";

let r: TestRegion;
beforeAll(async () => {
  r = await startTestRegion({ gemeenten: ["GM0363"] });
});
afterAll(async () => r?.close());

const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));

it("holds a renewed claim, frees an abandoned one after its lease, and never hands out a mailed melding", async () => {
  const { db, t } = { db: r.database.db, t: r.node("GM0363").ctx.t };
  expect((await r.call("GM0363", IB, "POST", "/api/v1/signalen", { bsn: ADAM, geinformeerd: true })).status).toBe(201);
  expect((await r.call("GM0363", JGZ, "POST", "/api/v1/signalen", { bsn: ADAM, geinformeerd: true })).status).toBe(201);

  const first = (await claimUnmailed(db, t, 10, 1)).map((m) => m!.id);
  expect(first).toHaveLength(2); // one melding per side of the client match
  expect(await claimUnmailed(db, t, 10, 1)).toEqual([]); // held by the first claimer

  await sleep(700);
  await renewClaims(db, t, [first[0]!]); // the claimer is still mailing the first
  await sleep(700);
  // The second was not renewed for longer than its lease: taken as abandoned, claimed again.
  expect((await claimUnmailed(db, t, 10, 1)).map((m) => m!.id)).toEqual([first[1]]);

  await markMailed(db, t, first[0]!);
  await sleep(1200);
  // The mailed one never comes back; the other one's new claim has expired in turn.
  expect((await claimUnmailed(db, t, 10, 1)).map((m) => m!.id)).toEqual([first[1]]);
});
