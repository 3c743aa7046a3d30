/**
 * Every read of personal data is logged, like every change (BIO2 8.15.01):
 * the list of meldingen, the live stream (the connection and each melding
 * pushed on it) and the list of matches, also when it is empty.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rowsOf } from "@vi/db";
import { ADAM, IB, JGZ, LEERPLICHT } from "../support/constants";
import { eventually } from "../support/federation";
import { startTestRegion, type TestRegion } from "../support/region";
import { openStream } from "../support/sse";

let r: TestRegion;
beforeAll(async () => {
  r = await startTestRegion({ gemeenten: ["GM0363"] });
});
afterAll(async () => r?.close());

const logged = async (actie: string, actor: string) =>
  rowsOf<{ signaal_id: string | null; details: Record<string, unknown> | null }>(
    await r.database.db.execute(sql`select signaal_id::text, details from gm0363.audit_log where actie = ${actie} and actor = ${actor} order by id`),
  );

describe("reads of meldingen and matches", () => {
  it("an empty list of matches is logged as a read too", async () => {
    expect((await r.call("GM0363", LEERPLICHT, "GET", "/api/v1/matches")).body.matches).toEqual([]);
    // Audit details also carry the request's trace (traceId, spanId).
    expect(await logged("matches.gelezen", LEERPLICHT)).toEqual([{ signaal_id: null, details: expect.objectContaining({ aantal: 0 }) }]);
  });

  it("the list of meldingen is logged, one row per melding read", async () => {
    expect((await r.call("GM0363", IB, "POST", "/api/v1/signalen", { bsn: ADAM, geinformeerd: true })).status).toBe(201);
    const jgz = await r.call("GM0363", JGZ, "POST", "/api/v1/signalen", { bsn: ADAM, geinformeerd: true });
    expect(jgz.status).toBe(201);
    const list = await r.call("GM0363", JGZ, "GET", "/api/v1/meldingen");
    expect(list.body.meldingen).toHaveLength(1);
    expect(await logged("meldingen.gelezen", JGZ)).toEqual([
      { signaal_id: jgz.body.signaal.id, details: expect.objectContaining({ meldingId: list.body.meldingen[0].id, soort: "match" }) },
    ]);
  });

  it("opening the live stream is logged, and so is each melding pushed on it", async () => {
    const stream = await openStream(`${r.node("GM0363").url}/api/v1/meldingen/stream`, await r.token(IB));
    try {
      await stream.next((e) => e.event === "verbonden");
      await eventually(async () => (await logged("meldingenstroom.geopend", IB)).length === 1, "the stream's opening to be logged", 5000);
      const leerplicht = await r.call("GM0363", LEERPLICHT, "POST", "/api/v1/signalen", { bsn: ADAM, geinformeerd: true });
      expect(leerplicht.status).toBe(201);
      const pushed = await stream.next((e) => e.event === "melding");
      await eventually(
        async () => (await logged("meldingen.gelezen", IB)).find((x) => x.details?.meldingId === pushed.data.id && x.details?.via === "stream"),
        "the pushed melding to be logged",
        5000,
      );
    } finally {
      stream.close();
    }
  });
});
