/**
 * The paged rebuild of the hub's index (docs/adr/0034) on a NATS server of
 * the test's own whose max_payload is small (128 KB), so that a node's index
 * is several times larger than one message: the old one-reply snapshot cannot
 * cross the bus, the paged rebuild does, and yields exactly the index and the
 * matches that normal operation (the nodes' index events) made.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { dbReplayGuard, rowsOf } from "@vi/db";
import { createRpcClient } from "@vi/events";
import { enqueueIndex } from "@vi/node";
import { freshNamespace } from "../support/constants";
import { eventually, startFederation, type Federation } from "../support/federation";
import { startAuthNats, type AuthNats } from "../support/nats-server";

const GEMEENTEN = ["GM0363", "GM0479"];
const MAX_PAYLOAD = 128 * 1024;
/** Families with a youth in each gemeente: each pair a cross-gemeente family match for the hub. */
const FAMILIES = 300;

let n: AuthNats;
let f: Federation;
beforeAll(async () => {
  n = await startAuthNats({ namespace: freshNamespace("rb"), gemeenten: GEMEENTEN, maxPayload: "128KB" });
  await n.provision();
  f = await startFederation({ gemeenten: GEMEENTEN, nats: { url: n.url, namespace: n.namespace, env: n.env, cleanup: () => n.stop() } });
}, 120_000);
afterAll(async () => {
  await f?.close();
  await n?.stop();
}, 60_000);

const q = async <T>(text: string) => rowsOf<T>(await f.database.db.execute(sql.raw(text)));

/** Youths and signals written straight into a node's tables (a migrated region), then announced as registrations announce them. */
async function seed(code: string, family: (i: number) => { bsn: string; ouder: string; adres: string }): Promise<string[]> {
  const s = code.toLowerCase();
  const [prof] = await q<{ id: string; organisatie_id: string }>(
    `select id, organisatie_id from "${s}".professionals where signaleringsbevoegd and lokaal order by email limit 1`,
  );
  if (!prof) throw new Error(`no professional at ${code}`);
  const ids: string[] = [];
  for (let i = 0; i < FAMILIES; i++) {
    const y = family(i);
    const [row] = await q<{ id: string }>(
      `with j as (insert into "${s}".jeugdigen (bsn, naam, geslacht, geboortedatum, gemeente_code, ouders, adres_id, brp_opgehaald_op)
                  values ('${y.bsn}', 'Jeugdige ${i}', 'O', '2015-01-01', '${code}', array['${y.ouder}'], '${y.adres}', now()) returning id)
       insert into "${s}".signalen (jeugdige_id, professional_id, organisatie_id, status, geregistreerd_op, startdatum, einddatum, geinformeerd, entry_node, versie, bijgewerkt_op)
       select j.id, '${prof.id}', '${prof.organisatie_id}', 'actief', now(), '2026-11-01', '2027-11-01', true, '${code}', 1, now() from j returning id`,
    );
    ids.push(row!.id);
  }
  const node = f.node(code);
  for (let i = 0; i < ids.length; i += 50) await enqueueIndex(node.ctx.db, node.ctx, ids.slice(i, i + 50));
  return ids;
}

it("a node's index larger than one message: the paged rebuild yields the index and the matches of normal operation", async () => {
  const bsn = (g: number, i: number) => `9${g}${String(i).padStart(7, "0")}`;
  await seed("GM0363", (i) => ({ bsn: bsn(1, i), ouder: bsn(3, i), adres: `adres-a-${i}` }));
  await seed("GM0479", (i) => ({ bsn: bsn(2, i), ouder: bsn(3, i), adres: `adres-b-${i}` }));

  // Normal operation: the index events reach the hub, which makes one family match per family.
  await eventually(async () => (await q<{ n: number }>("select count(*)::int as n from hub.hub_matches"))[0]!.n === FAMILIES, "the hub's matches", 60_000);
  const index = () =>
    q<{ signaal_id: string; node: string; versie: string; jeugdige: string; ouders: string[]; adres: string | null; status: string }>(
      "select signaal_id::text, node, entry_node, status, versie::text, jeugdige, ouders, adres, sleutelversie, professional from hub.index_signalen order by signaal_id",
    );
  const matches = async () => (await q<{ id: string }>("select id::text from hub.hub_matches order by id")).map((r) => r.id);
  const beforeIndex = await index();
  const beforeMatches = await matches();
  expect(beforeIndex).toHaveLength(2 * FAMILIES);

  // One node's index is several messages' worth.
  const [size] = await q<{ chars: number }>("select sum(length(row_to_json(i)::text))::int as chars from hub.index_signalen i where node = 'GM0363'");
  expect(size!.chars).toBeGreaterThan(MAX_PAYLOAD);
  expect(f.hub.ctx.bus.maxPayload()).toBe(MAX_PAYLOAD);

  // The old way, the whole index in one reply, cannot cross this bus: the node's reply is refused, no answer comes.
  const ctx = f.hub.ctx;
  const rpc = createRpcClient({
    self: "hub",
    keys: ctx.keys,
    trust: ctx.trust,
    transport: ctx.bus,
    replay: dbReplayGuard(ctx.db, ctx.t.ontvangenEvents),
    timeoutMs: 3000,
  });
  await expect(rpc.call("GM0363", "index.opvragen", null, {})).rejects.toMatchObject({ name: "RpcUnreachable" });

  // Lost state: the index gone. The paged rebuild brings back the same entries and no new match.
  await q("delete from hub.index_signalen");
  const report = await f.hub.rebuild();
  expect(report.nodes).toEqual({ GM0363: FAMILIES, GM0479: FAMILIES });
  for (const code of GEMEENTEN) expect(report.paginas[code]).toBeGreaterThanOrEqual(3);
  expect(report.added).toEqual([]);
  expect(report.matches).toEqual(beforeMatches);
  expect(await index()).toEqual(beforeIndex);

  // The youths were written without pseudonyms (a migrated region): the first rebuild asked them, and now they keep
  // exactly the hub's (docs/adr/0047), so the next rebuild asks the pseudonym service nothing.
  const keptVsHub = await q<{ n: number; same: number }>(
    `select count(*)::int as n, count(*) filter (where j.pseudoniemen -> '1' = jsonb_build_object('j', i.jeugdige, 'o', to_jsonb(i.ouders), 'a', i.adres))::int as same
     from gm0363.signalen s join gm0363.jeugdigen j on j.id = s.jeugdige_id join hub.index_signalen i on i.signaal_id = s.id`,
  );
  expect(keptVsHub).toEqual([{ n: FAMILIES, same: FAMILIES }]);

  // And from nothing at all: the matches come back with the same ids.
  await q("delete from hub.index_signalen");
  await q("delete from hub.hub_matches");
  const fromScratch = await f.hub.rebuild();
  expect(fromScratch.added).toEqual(beforeMatches);
  expect(await matches()).toEqual(beforeMatches);
  expect((await index()).map((r) => r.signaal_id)).toEqual(beforeIndex.map((r) => r.signaal_id));
}, 180_000);
