/**
 * A database login per service (issue 8, item 6), on the real PostgreSQL: the
 * roles of packages/db/src/roles.ts, each service migrating its own schema
 * with its own login; a node cannot read another node's tables, and the hub
 * cannot read any node's.
 */
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, openDatabase, serviceRolesSql, type Database } from "@vi/db";
import { createTestDatabase, type CreatedDatabase } from "./support/database";

// Roles belong to the whole cluster: names of this run's own, so suites in parallel never meet.
const tag = `t${randomBytes(3).toString("hex")}`;
const SERVICES = [
  { schema: "gm0363", role: `${tag}_gm0363`, password: randomBytes(18).toString("base64url") },
  { schema: "gm0479", role: `${tag}_gm0479`, password: randomBytes(18).toString("base64url") },
  { schema: "hub", role: `${tag}_hub`, password: randomBytes(18).toString("base64url") },
];

let testDb: CreatedDatabase;
let admin: postgres.Sql;
const as = new Map<string, Database>();

function urlAs(role: string, password: string): string {
  const u = new URL(testDb.url);
  u.username = role;
  u.password = password;
  return u.toString();
}

beforeAll(async () => {
  testDb = await createTestDatabase("vi_roles");
  admin = postgres(testDb.url, { max: 1, onnotice: () => {} });
  await admin.unsafe(serviceRolesSql(testDb.name, SERVICES));
  // Run twice: the SQL can be applied again (an upgrade, a new password) without harm.
  await admin.unsafe(serviceRolesSql(testDb.name, SERVICES));
  for (const s of SERVICES) {
    const db = await openDatabase({ url: urlAs(s.role, s.password), max: 1 });
    as.set(s.schema, db);
    await migrate(db.db, s.schema, s.schema === "hub" ? "hub" : "node");
  }
}, 60_000);

afterAll(async () => {
  for (const db of as.values()) await db.close();
  await admin?.end();
  await testDb?.drop();
  const a = postgres(testDb.url.replace(`/${testDb.name}`, "/postgres"), { max: 1, onnotice: () => {} });
  for (const s of SERVICES) await a.unsafe(`DROP ROLE IF EXISTS "${s.role}"`);
  await a.end();
});

/** The error code of a statement run as a service's login ("ok" when it ran). */
async function attempt(schema: string, statement: string): Promise<string> {
  const db = as.get(schema)!;
  const { sql } = await import("drizzle-orm");
  try {
    await db.db.execute(sql.raw(statement));
    return "ok";
  } catch (e) {
    const err = (e as { cause?: { code?: string }; code?: string }).cause ?? e;
    return (err as { code?: string }).code === "42501" ? "permission denied" : `other: ${(e as Error).message}`;
  }
}

describe("a database login per service", () => {
  it("each service migrated and reads its own schema with its own login", async () => {
    expect(await attempt("gm0363", "select count(*) from gm0363.signalen")).toBe("ok");
    expect(await attempt("gm0479", "select count(*) from gm0479.jeugdigen")).toBe("ok");
    expect(await attempt("hub", "select count(*) from hub.index_signalen")).toBe("ok");
    const owners = await admin.unsafe<{ schema: string; owner: string }[]>(
      `select table_schema as schema, max(tableowner) as owner from information_schema.tables t join pg_tables p on p.schemaname = t.table_schema and p.tablename = t.table_name
        where table_schema in ('gm0363','gm0479','hub') group by table_schema order by table_schema`,
    );
    expect(owners).toEqual([
      { schema: "gm0363", owner: `${tag}_gm0363` },
      { schema: "gm0479", owner: `${tag}_gm0479` },
      { schema: "hub", owner: `${tag}_hub` },
    ]);
  });

  it("a node cannot read, change or list another node's tables, nor the hub's", async () => {
    for (const table of ["jeugdigen", "signalen", "professionals", "outbox", "audit_log"]) {
      expect(await attempt("gm0363", `select * from gm0479.${table}`), table).toBe("permission denied");
    }
    expect(await attempt("gm0363", "delete from gm0479.signalen")).toBe("permission denied");
    expect(await attempt("gm0363", "select * from hub.index_signalen")).toBe("permission denied");
    expect(await attempt("gm0479", "select * from gm0363.jeugdigen")).toBe("permission denied");
  });

  it("the hub cannot read any node's tables", async () => {
    for (const node of ["gm0363", "gm0479"]) {
      for (const table of ["jeugdigen", "signalen", "signaal_refs", "meldingen"]) {
        expect(await attempt("hub", `select * from ${node}.${table}`), `${node}.${table}`).toBe("permission denied");
      }
    }
  });

  it("no login creates anything outside its schema", async () => {
    expect(await attempt("gm0363", "create table public.spiegel (bsn text)")).toBe("permission denied");
    expect(await attempt("hub", "create schema hub_kopie")).toBe("permission denied");
  });
});
