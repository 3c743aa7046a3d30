/**
 * The README's quickstart does what it says when typed in as it stands:
 * where it reads something the region makes a moment later (the hub's family
 * match across gemeenten arrives some tens of milliseconds after the
 * registration), it waits first.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

/** The shell lines of the README's code blocks, in order. */
function shellLines(): string[] {
  const lines: string[] = [];
  for (const block of readme.matchAll(/```sh\n([\s\S]*?)```/g)) lines.push(...block[1]!.split("\n"));
  return lines;
}

describe("the README's quickstart", () => {
  it("waits for the hub's family match before reading it", () => {
    const lines = shellLines();
    const read = lines.findIndex((l) => l.includes("now also a gezin match"));
    expect(read, "the example that reads the gezin match").toBeGreaterThan(0);
    const before = lines.slice(0, read).reverse();
    const lastRegistration = before.findIndex((l) => l.includes('-d \'{"bsn":"999900055"'));
    const wait = before.findIndex((l) => /^\s*sleep \d/.test(l));
    expect(wait, "a sleep before the read").toBeGreaterThanOrEqual(0);
    expect(wait, "the sleep comes after Noor's registration").toBeLessThan(lastRegistration);
  });
});

describe("the repository's text", () => {
  it("holds no merge conflict marker (a README once shipped one from a merge)", () => {
    // git grep exits 1 when nothing matches; any line found is printed with its file and line number.
    let found = "";
    try {
      found = execFileSync("git", ["grep", "-n", "-E", "^(<{7}|>{7}) ", "--", ".", ":!node_modules"], {
        cwd: new URL("..", import.meta.url),
        encoding: "utf8",
      });
    } catch (e) {
      if ((e as { status?: number }).status !== 1) throw e;
    }
    expect(found).toBe("");
  });
});
