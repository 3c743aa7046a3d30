/**
 * The Node.js version the project says it supports (package.json `engines`,
 * the README) is one every installed package supports: `npm ci` warns of no
 * package that wants a newer Node.js.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { minimumOf, satisfies } from "./support/engines";

const root = new URL("../", import.meta.url);
const pkg = JSON.parse(readFileSync(new URL("package.json", root), "utf8")) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(new URL("package-lock.json", root), "utf8")) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
};

describe("the supported Node.js versions", () => {
  const minimum = minimumOf(pkg.engines.node);

  it("the range reader reads the lock file's forms", () => {
    expect(satisfies("20.19.0", ">=20.18")).toBe(true);
    expect(satisfies("20.19.0", ">= 22.x")).toBe(false);
    expect(satisfies("20.19.0", "^20.19.0 || >=22.12.0")).toBe(true);
    expect(satisfies("20.18.0", "^20.19.0 || >=22.12.0")).toBe(false);
    expect(satisfies("20.19.0", "6.* || 8.* || >= 10.*")).toBe(true);
    expect(satisfies("14.17.0", ">=16 || 14 >=14.17")).toBe(true);
    expect(satisfies("14.16.0", ">=16 || 14 >=14.17")).toBe(false);
    expect(satisfies("20.19.0", "^10 || ^12 || >=14")).toBe(true);
  });

  it(`every package in the lock file supports Node.js ${minimum}, the oldest the project says it supports`, () => {
    const wanting = Object.entries(lock.packages)
      .filter(([path]) => path !== "")
      .flatMap(([path, p]) => {
        const range = Array.isArray(p.engines) ? undefined : p.engines?.node;
        return range && !satisfies(minimum, range) ? [`${path.replace(/^.*node_modules\//, "")}@${p.version}: ${range}`] : [];
      });
    expect(wanting).toEqual([]);
  });

  it("the README states the same oldest version", () => {
    const readme = readFileSync(new URL("README.md", root), "utf8");
    const [major, minor] = minimum.split(".");
    expect(readme).toContain(`Requires Node.js ${major}.${minor} or later`);
  });
});
