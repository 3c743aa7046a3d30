/**
 * The production dependencies' licences are compatible with the EUPL-1.2 (scripts/dependency-licences.ts),
 * and docs/dependency-licences.md lists exactly them (`npm run licences` writes it).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isCompatible, licenceReport, productionDependencies, REPORT } from "../scripts/dependency-licences";

describe("the licences of the production dependencies", () => {
  const deps = productionDependencies();

  it("finds the dependencies the services run on, transitively", () => {
    const names = new Set(deps.map((d) => d.name));
    for (const direct of ["hono", "drizzle-orm", "postgres", "jose", "undici", "zod", "pino"]) expect(names).toContain(direct);
    // pino's own dependencies come along.
    expect(names).toContain("thread-stream");
    // Development tools are not among them, nor our own workspaces.
    for (const dev of ["vitest", "@biomejs/biome", "@stoplight/spectral-cli", "typescript", "@vi/node"]) expect(names).not.toContain(dev);
  });

  it("are each compatible with EUPL-1.2", () => {
    expect(deps.filter((d) => !isCompatible(d.licence)).map((d) => `${d.name}@${d.version}: ${d.licence}`)).toEqual([]);
  });

  it("an unknown, copyleft or missing licence is not accepted; SPDX OR/AND are read", () => {
    expect(isCompatible("MIT")).toBe(true);
    expect(isCompatible("(MIT OR GPL-3.0-only)")).toBe(true);
    expect(isCompatible("MIT AND GPL-3.0-only")).toBe(false);
    expect(isCompatible("GPL-3.0-only")).toBe(false);
    expect(isCompatible("SEE LICENSE IN LICENSE.txt")).toBe(false);
    expect(isCompatible("UNKNOWN")).toBe(false);
    expect(isCompatible("Apache-2.0 WITH LLVM-exception")).toBe(false);
  });

  it("docs/dependency-licences.md is up to date (npm run licences)", () => {
    expect(readFileSync(REPORT, "utf8")).toBe(licenceReport(deps));
  });
});
