/**
 * The pseudonyms a youth keeps at the node (docs/adr/0047) belong to its BSN, parents and address as they are: the
 * row's trigger (node migration 0010) clears them when one of those changes without new pseudonyms, and a page of the
 * rebuild keeps what it asked only while the row still has the values it asked for. On the machine's PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { type Database, type KeptPseudonyms, migrate, nodeTables, openDatabase } from "@vi/db";
import { createTestDatabase } from "../support/database";
import { keepPseudonyms } from "../../services/node/src/store/index-data";

const t = nodeTables("gm0363");
let created: Awaited<ReturnType<typeof createTestDatabase>>;
let d: Database;

beforeAll(async () => {
  created = await createTestDatabase("vi_kept");
  d = await openDatabase({ url: created.url, max: 2 });
  await migrate(d.db, "gm0363");
}, 60_000);
afterAll(async () => {
  await d?.close();
  await created?.drop();
});

const kept = (tag: string): KeptPseudonyms => ({ "1": { j: `J-${tag}`, o: [`O-${tag}`], a: `A-${tag}` } });

/** A youth with parent P1 at address A1 keeping `kept("eerst")`; its id. */
async function youthKeeping(bsn: string): Promise<string> {
  const [row] = await d.db
    .insert(t.jeugdigen)
    .values({
      bsn,
      naam: "Jeugdige",
      geslacht: "V",
      geboortedatum: "2015-01-01",
      gemeenteCode: "GM0363",
      ouders: ["P1"],
      adresId: "A1",
      brpOpgehaaldOp: new Date(),
      pseudoniemen: kept("eerst"),
    })
    .returning({ id: t.jeugdigen.id });
  return row!.id;
}

const keptOf = async (id: string) => (await d.db.select({ p: t.jeugdigen.pseudoniemen }).from(t.jeugdigen).where(eq(t.jeugdigen.id, id)))[0]!.p;

/** Youths of the clearing cases, each with a BSN of its own. */
let changed = 0;

describe("the trigger on jeugdigen", () => {
  it("keeps them through a change of what they do not depend on (the name, the BRP's date)", async () => {
    const id = await youthKeeping("111222333");
    await d.db.update(t.jeugdigen).set({ naam: "Andere naam", brpOpgehaaldOp: new Date() }).where(eq(t.jeugdigen.id, id));
    expect(await keptOf(id)).toEqual(kept("eerst"));
  });

  it.each([
    ["the parents", { ouders: ["P1", "P2"] }],
    ["the address", { adresId: "A2" }],
    ["no address any more", { adresId: null }],
    ["the BSN", { bsn: "999888777" }],
  ])("clears them when %s change without new ones", async (_what, change) => {
    const id = await youthKeeping(`55566677${++changed}`);
    await d.db.update(t.jeugdigen).set(change).where(eq(t.jeugdigen.id, id));
    expect(await keptOf(id)).toBeNull();
  });

  it("takes new ones written with the change (a registration that asked them for the new family)", async () => {
    const id = await youthKeeping("222333444");
    await d.db
      .update(t.jeugdigen)
      .set({ ouders: ["P9"], pseudoniemen: kept("nieuw") })
      .where(eq(t.jeugdigen.id, id));
    expect(await keptOf(id)).toEqual(kept("nieuw"));
  });
});

describe("keepPseudonyms (what a page of the rebuild asked)", () => {
  it("keeps them for a row with the values they were asked for, and leaves a row whose values changed since", async () => {
    const same = await youthKeeping("333444555");
    const moved = await youthKeeping("444555666");
    await d.db.update(t.jeugdigen).set({ pseudoniemen: null }).where(eq(t.jeugdigen.id, same));
    // Moved after the page read it: the trigger cleared what it kept, and the page's answer is of the old address.
    await d.db.update(t.jeugdigen).set({ adresId: "A2" }).where(eq(t.jeugdigen.id, moved));
    await keepPseudonyms(d.db, t, [
      { jeugdigeId: same, bsn: "333444555", ouders: ["P1"], adresId: "A1", pseudoniemen: kept("pagina") },
      { jeugdigeId: moved, bsn: "444555666", ouders: ["P1"], adresId: "A1", pseudoniemen: kept("pagina") },
    ]);
    expect(await keptOf(same)).toEqual(kept("pagina"));
    expect(await keptOf(moved)).toBeNull();
  });
});
