/**
 * A batch of received events is written in one transaction (docs/adr/0043); its audit rows are appended at its end
 * (auditLast, services/node/src/store/audit.ts), so it takes the audit chain's lock after its row locks, as every single
 * change does. Taken in turn (audit, then the next event's row), the batch deadlocked against a registration at the
 * entry node holding that row (its pointer) and waiting for the chain: PostgreSQL aborted one with 40P01 and the
 * professional got a 500. Both orders are played here on the machine's PostgreSQL, and the node's `transaction`,
 * which every transaction of the node goes through (test/node-transactions.test.ts).
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { type Database, migrate, nodeTables, openDatabase } from "@vi/db";
import { createTestDatabase } from "../support/database";
import { audit, auditLast } from "../../services/node/src/store/audit";
import { checkAuditChain } from "../../services/node/src/logic/audit-log";
import { transaction } from "../../services/node/src/logic/support";
import type { NodeContext } from "../../services/node/src/context";

const t = nodeTables("gm0363");
const at = new Date("2026-12-06T22:00:00Z");
let created: Awaited<ReturnType<typeof createTestDatabase>>;
let d: Database;

beforeAll(async () => {
  created = await createTestDatabase("vi_auditlast");
  d = await openDatabase({ url: created.url, max: 4 });
  await migrate(d.db, "gm0363");
  await d.db.insert(t.organisaties).values({ id: "school", naam: "School", domein: "onderwijs" });
}, 60_000);
afterAll(async () => {
  await d?.close();
  await created?.drop();
});

/** Resolves once `ms` have passed. */
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The entry node's registration (row, then audit) against a batch that audits its first event and then writes the
 * same row; `batch` wraps the batch's work (auditLast, or nothing: each audit row appended when written).
 */
async function race(
  batch: <T>(tx: Database["db"], work: () => Promise<T>) => Promise<T>,
  open: (work: (tx: Database["db"]) => Promise<void>) => Promise<void> = (work) => d.db.transaction(work),
) {
  let rowHeld!: () => void;
  const rowTaken = new Promise<void>((r) => (rowHeld = r));
  let batchAudited!: () => void;
  const batchStarted = new Promise<void>((r) => (batchAudited = r));
  const entry = d.db.transaction(async (tx) => {
    await tx.update(t.organisaties).set({ naam: "School (entry)" }).where(eq(t.organisaties.id, "school"));
    rowHeld();
    await batchStarted;
    // The batch is now waiting for this row (or about to); the registration's audit row comes last, as it does.
    await pause(200);
    await audit(tx, t, { actie: "signaal.geregistreerd", actor: "systeem", at, details: { door: "entry" } });
  });
  const received = open((tx) =>
    batch(tx, async () => {
      await rowTaken;
      await audit(tx, t, { actie: "melding.ontvangen", actor: "systeem", at, details: { door: "batch", event: 1 } });
      batchAudited();
      await tx.update(t.organisaties).set({ naam: "School (batch)" }).where(eq(t.organisaties.id, "school"));
      await audit(tx, t, { actie: "melding.ontvangen", actor: "systeem", at, details: { door: "batch", event: 2 } });
    }),
  );
  return Promise.allSettled([entry, received]);
}

it("audit rows appended as they are written: the batch and the registration deadlock (one aborted with 40P01)", async () => {
  const outcomes = await race((_tx, work) => work());
  const codes = outcomes.map((o) =>
    o.status === "rejected" ? ((o.reason as { cause?: { code?: string } }).cause?.code ?? (o.reason as { code?: string }).code) : "ok",
  );
  expect(codes.sort()).toEqual(["40P01", "ok"]);
}, 30_000);

it("audit rows appended last (auditLast): both commit, the batch's rows in the order written, the chain intact", async () => {
  const before = (await d.db.select().from(t.auditLog)).length;
  const outcomes = await race((tx, work) => auditLast(tx, t, work));
  expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "fulfilled"]);
  const rows = (await d.db.select().from(t.auditLog).orderBy(t.auditLog.id)).slice(before);
  expect(rows.map((r) => r.details)).toEqual([{ door: "entry" }, { door: "batch", event: 1 }, { door: "batch", event: 2 }]);
  const [org] = await d.db.select().from(t.organisaties).where(eq(t.organisaties.id, "school"));
  expect(org!.naam).toBe("School (batch)");
  expect(await checkAuditChain(d.db, t)).toMatchObject({ ok: true });
}, 30_000);

it("a transaction of the node (logic/support.ts) appends its audit rows last: the race commits on both sides", async () => {
  const before = (await d.db.select().from(t.auditLog)).length;
  // The helper takes the database and the tables from the node's context; nothing else of it is used.
  const ctx = { db: d.db, t } as unknown as NodeContext;
  const outcomes = await race(
    (_tx, work) => work(),
    (work) => transaction(ctx, work),
  );
  expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "fulfilled"]);
  const rows = (await d.db.select().from(t.auditLog).orderBy(t.auditLog.id)).slice(before);
  expect(rows.map((r) => r.details)).toEqual([{ door: "entry" }, { door: "batch", event: 1 }, { door: "batch", event: 2 }]);
  expect(await checkAuditChain(d.db, t)).toMatchObject({ ok: true });
}, 30_000);
