/**
 * One registration followed across the region by its trace id (W3C Trace Context, docs/logging.md): the entry
 * node continues the caller's traceparent and answers with it, the trace travels in the signed RPC request to
 * the residence node and in the index event to the hub, and comes back with the hub's match notices; every
 * audit row on the way carries the same trace id. Two nodes and the hub over real NATS and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rowsOf } from "@vi/db";
import { ADAM, IB, JGZ, NOOR } from "../support/constants";
import { eventually, startFederation, type Federation } from "../support/federation";

let f: Federation;
beforeAll(async () => {
  f = await startFederation({ gemeenten: ["GM0363", "GM0479"] });
}, 120_000);
afterAll(async () => f?.close(), 60_000);

const auditOf = async (code: string) =>
  rowsOf<{ actie: string; signaal_id: string | null; details: Record<string, unknown> | null }>(
    await f.database.db.execute(sql.raw(`select actie, signaal_id, details from "${code.toLowerCase()}".audit_log order by id`)),
  );

async function register(code: string, email: string, bsn: string, traceparent?: string) {
  const res = await fetch(`${f.node(code).url}/api/v1/signalen`, {
    method: "POST",
    headers: { authorization: `Bearer ${await f.issuer.sign(email)}`, "content-type": "application/json", ...(traceparent ? { traceparent } : {}) },
    body: JSON.stringify({ bsn, geinformeerd: true }),
  });
  expect(res.status).toBe(201);
  return { traceparent: res.headers.get("traceparent")!, body: (await res.json()) as { signaal: { id: string } } };
}

describe("a trace across node, residence node and hub", () => {
  it("a registration without a traceparent starts a trace of its own, written in its audit rows", async () => {
    const { traceparent, body } = await register("GM0363", IB, ADAM);
    const traceId = traceparent.split("-")[1];
    expect(traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const row = (await auditOf("GM0363")).find((r) => r.actie === "signaal.geregistreerd" && r.signaal_id === body.signaal.id);
    expect(row?.details?.traceId).toBe(traceId);
  });

  it("a routed registration: the caller's trace id at the entry node, at the residence node, and on the hub's match notices", async () => {
    const incoming = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    const traceId = "0af7651916cd43dd8448eb211c80319c";
    // The GGD's jgz signals on Noor (Zaanstad) through the Amsterdam node: carried out by Zaanstad's node.
    const { traceparent, body } = await register("GM0363", JGZ, NOOR, incoming);
    expect(traceparent.split("-")[1]).toBe(traceId);
    expect(traceparent.split("-")[2]).not.toBe("b7ad6b7169203331");

    const entry = (await auditOf("GM0363")).find((r) => r.actie === "signaal.geregistreerd" && r.signaal_id === body.signaal.id);
    // The entry node's span is the child of the caller's; the residence node's the child of the entry node's.
    expect(entry?.details).toMatchObject({ residentie: "GM0479", traceId, spanId: traceparent.split("-")[2], parentSpanId: "b7ad6b7169203331" });
    const residence = (await auditOf("GM0479")).find((r) => r.actie === "signaal.geregistreerd" && r.signaal_id === body.signaal.id);
    expect(residence?.details).toMatchObject({ entryNode: "GM0363", traceId, parentSpanId: traceparent.split("-")[2] });

    // Noor shares a father with Adam (IB's signal in Amsterdam): the hub makes the family match from Zaanstad's
    // index event, and its notices reach the entry node with the same trace.
    const received = await eventually(async () => {
      const rows = (await auditOf("GM0363")).filter((r) => r.actie === "melding.ontvangen" && r.details?.van === "hub");
      return rows.length >= 2 ? rows : undefined;
    }, "the hub's match notices at the Amsterdam node");
    expect(received.map((r) => r.details?.traceId)).toEqual([traceId, traceId]);
  });
});
