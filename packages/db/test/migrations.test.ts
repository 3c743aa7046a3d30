/** The migrations as files: what `npm run db:generate` checks after drizzle-kit (packages/db/scripts/check-migrations.ts). */
import { cpSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { checkMigrations } from "../scripts/check-migrations";

describe("the versioned migrations", () => {
  it("journal, SQL files and snapshots agree, and every statement names only its set's reference schema", () => {
    expect(checkMigrations()).toEqual([]);
  });

  it("the check finds a missing snapshot, a file outside the journal and a statement on another schema", () => {
    const dir = mkdtempSync(join(tmpdir(), "vi-migrations-"));
    try {
      cpSync(new URL("../migrations/", import.meta.url), dir, { recursive: true });
      unlinkSync(join(dir, "node", "meta", "0001_snapshot.json"));
      writeFileSync(join(dir, "node", "9999_stray.sql"), 'ALTER TABLE "vi_node"."signalen" ADD COLUMN "x" text;');
      writeFileSync(join(dir, "hub", "0000_init.sql"), 'CREATE TABLE "vi_node"."x" ("id" uuid);');
      const problems = checkMigrations(pathToFileURL(`${dir}/`));
      expect(problems).toEqual(
        expect.arrayContaining([
          expect.stringContaining("the snapshot of 0001_mail_claim is missing"),
          expect.stringContaining("9999_stray.sql is not in the journal"),
          expect.stringContaining('names schema "vi_node", expected "vi_hub"'),
        ]),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
