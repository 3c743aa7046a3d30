/**
 * openDatabase prepares drizzle's statements on PostgreSQL (docs/adr/0044): a statement is parsed once per
 * connection and then costs one round trip. Read from the server's own list of the session's prepared statements.
 */
import { openDatabase, PREPARE_MAX_PARAMS, rowsOf, type Database } from "@vi/db";
import { sql } from "drizzle-orm";
import { integer, pgTable, text } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CreatedDatabase, createTestDatabase } from "../../../test/support/database";

const marks = pgTable("marks", { id: integer("id").primaryKey(), label: text("label").notNull() });

let created: CreatedDatabase;
const opened: Database[] = [];

beforeAll(async () => {
  created = await createTestDatabase("vi_prepare");
  const setup = await openDatabase({ url: created.url, max: 1 });
  await setup.db.execute(sql`create table marks (id integer primary key, label text not null)`);
  await setup.close();
});
afterAll(async () => {
  for (const d of opened) await d.close();
  await created?.drop();
});

async function open(prepare?: boolean): Promise<Database> {
  // One connection, so every statement below runs in the session whose prepared statements are listed.
  const d = await openDatabase({ url: created.url, max: 1, ...(prepare === undefined ? {} : { prepare }) });
  opened.push(d);
  return d;
}

async function preparedTexts(d: Database): Promise<string[]> {
  const rows = rowsOf<{ statement: string }>(
    await d.db.execute(sql`select statement from pg_prepared_statements where not from_sql and statement like ${"%marks%"}`),
  );
  return rows.map((r) => r.statement);
}

describe("prepared statements", () => {
  it("prepares a query once per connection and runs it again from the cache, in and outside a transaction", async () => {
    const d = await open();
    await d.db.insert(marks).values({ id: 1, label: "een" });
    const byId = (id: number) => d.db.select().from(marks).where(sql`${marks.id} = ${id}`);
    expect(await byId(1)).toEqual([{ id: 1, label: "een" }]);
    await d.db.transaction(async (tx) => {
      await tx.insert(marks).values({ id: 2, label: "twee" });
      expect(await tx.select().from(marks).where(sql`${marks.id} = ${2}`)).toEqual([{ id: 2, label: "twee" }]);
      // A savepoint's statements are prepared as well.
      await tx.transaction(async (sp) => {
        await sp.execute(sql`update marks set label = ${"drie"} where id = ${2}`);
      });
    });
    expect(await byId(2)).toEqual([{ id: 2, label: "drie" }]);
    const texts = await preparedTexts(d);
    const selects = texts.filter((t) => t.startsWith('select "id", "label" from "marks" where "marks"."id" = $1'));
    expect(selects).toHaveLength(1);
    expect(texts.some((t) => t.startsWith('insert into "marks"'))).toBe(true);
    expect(texts.some((t) => t.startsWith("update marks set label = $1 where id = $2"))).toBe(true);
  });

  it("does not prepare a statement whose text varies with its number of values (more than PREPARE_MAX_PARAMS)", async () => {
    const d = await open();
    const many = Array.from({ length: PREPARE_MAX_PARAMS + 1 }, (_, i) => 1000 + i);
    await d.db.insert(marks).values(many.map((id) => ({ id, label: "bulk" })));
    expect(rowsOf(await d.db.execute(sql`select count(*)::int as n from marks where label = ${"bulk"}`))).toEqual([{ n: many.length }]);
    const texts = await preparedTexts(d);
    expect(texts.some((t) => t.startsWith('insert into "marks"'))).toBe(false);
    expect(texts.some((t) => t.startsWith("select count(*)::int as n from marks"))).toBe(true);
  });

  it("prepares nothing when asked not to", async () => {
    const d = await open(false);
    await d.db.select().from(marks).where(sql`${marks.id} = ${1}`);
    expect(await preparedTexts(d)).toEqual([]);
  });
});
