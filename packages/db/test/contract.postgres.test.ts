/** The storage contract (./contract.ts) on PostgreSQL: a database of its own on the server of the integration tests. */
import { openDatabase } from "@vi/db";
import { createTestDatabase } from "../../../test/support/database";
import { storageContract } from "./contract";

storageContract({
  name: "PostgreSQL",
  async open() {
    const t = await createTestDatabase("vi_contract");
    const db = await openDatabase({ url: t.url, max: 4 });
    return { db, cleanup: async () => (await db.close(), await t.drop()) };
  },
});
