/**
 * The audit log proves itself (BIO2 8.15.01, docs/logging.md): the node's audit rows form one hash chain, also
 * when written by concurrent transactions; `npm run audit:verify` names the first row that was changed,
 * inserted or removed directly in the database; and every row about one youth can be exported. One node over
 * HTTP on a real PostgreSQL.
 */
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rowsOf } from "@vi/db";
import { checkAuditChain, exportYouthAudit } from "@vi/node";
import { ADAM, IB, JGZ, LEERPLICHT, LIAM, UNKNOWN_BSN } from "../support/constants";
import { startTestRegion, type TestRegion } from "../support/region";
// The node's own hash function: the forger below knows how rows are hashed.
import { chainHash } from "../../services/node/src/store/audit";

let r: TestRegion;
beforeAll(async () => {
  r = await startTestRegion({ gemeenten: ["GM0363"] });
});
afterAll(async () => r?.close());

const informed = (bsn: string) => ({ bsn, geinformeerd: true });
const chain = () => checkAuditChain(r.database.db, r.node("GM0363").ctx.t);
const exec = async <T>(q: string) => rowsOf<T>(await r.database.db.execute(sql.raw(q)));
const ids = async () => (await exec<{ id: string }>("select id from gm0363.audit_log order by id")).map((x) => Number(x.id));

function cli(schema: string) {
  const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/audit-verify.ts", schema], {
    env: { ...process.env, DATABASE_URL: r.databaseUrl },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: run.status, out: run.stdout + run.stderr };
}

describe("the audit hash chain", () => {
  it("rows of concurrent registrations and reads form one chain", async () => {
    const calls = [
      r.call("GM0363", IB, "POST", "/api/v1/signalen", informed(ADAM)),
      r.call("GM0363", JGZ, "POST", "/api/v1/signalen", informed(ADAM)),
      r.call("GM0363", LEERPLICHT, "POST", "/api/v1/signalen", informed(LIAM)),
      r.call("GM0363", IB, "POST", "/api/v1/signalen", informed(LIAM)),
      r.call("GM0363", JGZ, "POST", "/api/v1/signalen", informed(LIAM)),
      ...Array.from({ length: 15 }, (_, i) => r.call("GM0363", [IB, JGZ, LEERPLICHT][i % 3], "GET", "/api/v1/signalen")),
    ];
    const results = await Promise.all(calls);
    expect(results.slice(0, 5).map((x) => x.status)).toEqual([201, 201, 201, 201, 201]);
    expect(results.slice(5).every((x) => x.status === 200)).toBe(true);
    const rows = await exec<{ id: string; vorige_hash: string | null; hash: string | null }>("select id, vorige_hash, hash from gm0363.audit_log order by id");
    expect(rows.length).toBeGreaterThanOrEqual(6);
    expect(rows.every((x) => x.hash && x.vorige_hash)).toBe(true);
    // One chain: each row links to the one before it.
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.vorige_hash).toBe(rows[i - 1]!.hash);
    expect(await chain()).toEqual({ ok: true, rows: rows.length, unchained: 0 });
    expect(cli("gm0363")).toEqual({ status: 0, out: expect.stringContaining(`De auditketen van gm0363 is heel: ${rows.length} regels.`) });
  });

  it("a row changed in the database is named", async () => {
    const [, , third] = await ids();
    const [before] = await exec<{ actor: string }>(`select actor from gm0363.audit_log where id = ${third}`);
    await exec(`update gm0363.audit_log set actor = 'iemand@anders.example' where id = ${third}`);
    expect(await chain()).toMatchObject({ ok: false, kind: "gewijzigd", id: third });
    const run = cli("gm0363");
    expect(run.status).toBe(1);
    expect(run.out).toContain(`auditregel ${third} is gewijzigd`);
    await exec(`update gm0363.audit_log set actor = '${before!.actor}' where id = ${third}`);
    expect((await chain()).ok).toBe(true);
  });

  it("a row removed from the database is named by the row after it and the one before", async () => {
    const all = await ids();
    const [victim, after, before] = [all[5]!, all[6]!, all[4]!];
    const saved = await exec<Record<string, unknown>>(`select * from gm0363.audit_log where id = ${victim}`);
    await exec(`delete from gm0363.audit_log where id = ${victim}`);
    expect(await chain()).toMatchObject({ ok: false, kind: "verwijderd", id: after, previousId: before });
    expect(cli("gm0363").out).toContain(`voor auditregel ${after} is een regel verwijderd: hij volgt niet op regel ${before}`);
    await r.database.db.execute(
      sql`insert into gm0363.audit_log select * from json_populate_record(null::gm0363.audit_log, ${JSON.stringify(saved[0])}::json)`,
    );
    expect((await chain()).ok).toBe(true);
  });

  it("a row inserted into the database is named, even with a hash computed the way the node does", async () => {
    // A gap in the ids (as a rolled-back transaction leaves), then more rows after it.
    const last = (await ids()).at(-1)!;
    await exec(`select setval(pg_get_serial_sequence('gm0363.audit_log', 'id'), ${last + 10})`);
    expect((await r.call("GM0363", IB, "GET", "/api/v1/signalen")).status).toBe(200);
    const [head] = await exec<{ hash: string }>(`select hash from gm0363.audit_log where id = ${last}`);
    const forged = {
      id: last + 5,
      tijdstip: new Date(),
      actie: "signaal.gelezen",
      actor: IB,
      namens: "buurtschool",
      jeugdigeId: null,
      signaalId: null,
      details: null,
    };
    await r.database.db.execute(
      sql`insert into gm0363.audit_log (id, tijdstip, actie, actor, namens, vorige_hash, hash) values (${forged.id}, ${forged.tijdstip.toISOString()}::timestamptz, ${forged.actie}, ${forged.actor}, ${forged.namens}, ${head!.hash}, ${chainHash(head!.hash, forged)})`,
    );
    expect(await chain()).toMatchObject({ ok: false, kind: "ingevoegd", id: last + 5, previousId: last });
    expect(cli("gm0363").out).toContain(`auditregel ${last + 5} is ingevoegd`);
    await exec(`delete from gm0363.audit_log where id = ${last + 5}`);
    expect((await chain()).ok).toBe(true);
  });
});

describe("the export of a youth's audit rows", () => {
  it("has every row about Adam (his registrations, matches and the reads of his signals) and none about Liam", async () => {
    const adam = await exportYouthAudit(r.database.db, r.node("GM0363").ctx.t, ADAM);
    expect(adam.bekend).toBe(true);
    const [{ id: adamId }] = (await exec<{ id: string }>(`select id from gm0363.jeugdigen where bsn = '${ADAM}'`)) as [{ id: string }];
    const expected = await exec<{ id: string }>(
      `select id from gm0363.audit_log where jeugdige_id = '${adamId}' or signaal_id in (select id from gm0363.signalen where jeugdige_id = '${adamId}') order by id`,
    );
    expect(adam.regels.map((x) => x.id)).toEqual(expected.map((x) => Number(x.id)));
    const actions = new Set(adam.regels.map((x) => x.actie));
    expect(actions).toEqual(new Set(["signaal.geregistreerd", "match.gemaakt", "signalen.gelezen"]));
    expect(
      adam.regels
        .filter((x) => x.actie === "signaal.geregistreerd")
        .map((x) => x.actor)
        .sort(),
    ).toEqual([JGZ, IB].sort());
    const liamSignals = await exec<{ id: string }>(
      `select s.id from gm0363.signalen s join gm0363.jeugdigen j on j.id = s.jeugdige_id where j.bsn = '${LIAM}'`,
    );
    const liamIds = new Set(liamSignals.map((s) => s.id));
    expect(adam.regels.some((x) => x.signaalId && liamIds.has(x.signaalId))).toBe(false);
    expect(adam.regels.every((x) => typeof x.hash === "string" && /^\d{4}-\d\d-\d\dT/.test(x.tijdstip))).toBe(true);
  });
  it("a BSN this node holds no youth for: not known, no rows", async () => {
    expect(await exportYouthAudit(r.database.db, r.node("GM0363").ctx.t, UNKNOWN_BSN)).toEqual({ bsn: UNKNOWN_BSN, bekend: false, regels: [] });
  });
});
