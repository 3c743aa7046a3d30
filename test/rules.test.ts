/**
 * docs/rules.md is checked against the code: every function it names is
 * exported by @vi/domain, and every test it names exists in its file under
 * that exact name, so the table cannot drift from what decides and holds a rule.
 */
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as domain from "@vi/domain";

const root = new URL("../", import.meta.url);
const table = readFileSync(new URL("docs/rules.md", root), "utf8")
  .split("\n")
  .filter((l) => /^\| \d+ \|/.test(l))
  .map((l) => {
    const cells = l.split(" | ");
    return { n: Number(cells[0]!.replace("|", "").trim()), rule: cells[1] ?? "", domain: cells[3] ?? "", tests: cells[4] ?? "" };
  });

describe("docs/rules.md", () => {
  it("has a row for each of the seventeen rules of the domain", () => {
    expect(table.map((r) => r.n)).toEqual(Array.from({ length: 17 }, (_, i) => i + 1));
  });

  it("names only functions and constants @vi/domain exports", () => {
    const missing = table.flatMap((r) => [...r.domain.matchAll(/`([A-Za-z_][A-Za-z0-9_]*)`/g)].map((m) => m[1]!).filter((name) => !(name in domain)));
    expect(missing).toEqual([]);
  });

  it("names only tests that exist, in their files, under those exact names", () => {
    const refs = table.flatMap((r) => [...r.tests.matchAll(/`([^`]+\.ts)` › "([^"]+)"/g)].map((m) => ({ rule: r.n, file: m[1]!, title: m[2]! })));
    expect(refs.length).toBeGreaterThan(40);
    const missing = refs.filter(({ file, title }) => {
      const path = new URL(file, root);
      if (!existsSync(path)) return true;
      const text = readFileSync(path, "utf8");
      const escaped = title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      return !new RegExp(`\\bit(\\.each\\([^)]*\\))?\\(\\s*"${escaped}"`).test(text);
    });
    expect(missing).toEqual([]);
  });

  it("every rule the software carries out has a domain function or says why not, and tests", () => {
    for (const r of table) {
      if (/not implemented \(a later issue\)/.test(r.domain)) continue;
      expect(r.domain.trim(), `rule ${r.n}`).not.toBe("");
      expect(r.tests, `rule ${r.n}`).toMatch(/› "/);
    }
  });
});
