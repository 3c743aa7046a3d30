/** The storage contract (./contract.ts) on the embedded PGlite (in memory). */
import { openDatabase } from "@vi/db";
import { storageContract } from "./contract";

storageContract({
  name: "PGlite",
  async open() {
    const db = await openDatabase({});
    return { db, cleanup: () => db.close() };
  },
});
