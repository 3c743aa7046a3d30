/**
 * Every transaction of the node that may audit runs through `transaction` (services/node/src/logic/support.ts), which
 * appends its audit rows at its end: the audit chain's lock is then the last lock any of them takes, and no two can
 * deadlock over it (test/api/audit-last.test.ts plays the deadlock). A transaction opened beside it, in whatever
 * order it audits, brings the deadlock back; this test finds one.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(__dirname, "..", "services", "node", "src");

/** Every TypeScript file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

/** The files of the node that open a transaction themselves, with the number of places. */
function openers(): Record<string, number> {
  const found: Record<string, number> = {};
  for (const file of sources(root)) {
    const n = readFileSync(file, "utf8").match(/\.transaction\s*\(/g)?.length ?? 0;
    if (n > 0) found[relative(root, file)] = n;
  }
  return found;
}

describe("the node's transactions", () => {
  it("are opened in one place, which appends the audit rows last; the register's load, which writes none, aside", () => {
    expect(openers()).toEqual({ "logic/support.ts": 1, "store/registry.ts": 1 });
  });

  it("the register's load writes no audit row", () => {
    const registry = readFileSync(join(root, "store", "registry.ts"), "utf8");
    expect(registry).not.toMatch(/\baudit\b|auditLog/);
  });
});
