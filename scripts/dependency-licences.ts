/**
 * The licences of the production dependencies (what `npm ci --omit=dev` installs and the services run), read
 * from each installed package's package.json, and whether each is compatible with the EUPL-1.2 this codebase is
 * published under. `npm run licences` writes docs/dependency-licences.md; test/dependency-licences.test.ts fails
 * on a licence not in COMPATIBLE and when that file is out of date.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "..");

/**
 * Licences (SPDX ids) whose code an EUPL-1.2 work may use and be distributed with: the permissive ones, and the
 * weak-copyleft MPL-2.0 (file-level, and compatible by the EUPL's appendix) and EUPL-1.2 itself.
 */
export const COMPATIBLE = new Set([
  "MIT",
  "MIT-0",
  "ISC",
  "Apache-2.0",
  "BSD-2-Clause",
  "BSD-3-Clause",
  "0BSD",
  "Unlicense",
  "CC0-1.0",
  "BlueOak-1.0.0",
  // The zlib licence (pdf-lib's pako): permissive like MIT, attribution kept in altered source only.
  "Zlib",
  "MPL-2.0",
  "EUPL-1.2",
]);

export interface Dependency {
  name: string;
  version: string;
  licence: string;
  /** Path of the package inside the repository. */
  path: string;
}

interface Manifest {
  name: string;
  version?: string;
  license?: string | { type?: string };
  licenses?: { type?: string }[];
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  workspaces?: string[];
}

const manifest = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest;

/** Node's lookup: node_modules/<name> in `from` and each directory above it, up to the repository root. */
function locate(name: string, from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return candidate;
    if (dir === ROOT || dirname(dir) === dir) return undefined;
  }
}

/**
 * Packages whose manifest names no licence, with the licence their own files state, read by hand. Checked again
 * when the version changes (the key holds it).
 */
const LICENCE_READ_BY_HAND: Record<string, string> = {
  // koa's dependency; its Readme.md carries the MIT licence text (Copyright (c) 2012 TJ Holowaychuk).
  "only@0.0.2": "MIT",
};

function licenceOf(m: Manifest): string {
  const byHand = LICENCE_READ_BY_HAND[`${m.name}@${m.version}`];
  if (byHand && !m.license && !m.licenses) return byHand;
  if (typeof m.license === "string") return m.license;
  if (m.license?.type) return m.license.type;
  const list = (m.licenses ?? []).map((l) => l.type).filter(Boolean);
  return list.length ? `(${list.join(" OR ")})` : "UNKNOWN";
}

/** Every package the root's and the workspaces' `dependencies` pull in, transitively (optional ones when installed). */
export function productionDependencies(): Dependency[] {
  // The workspaces are packages/* and services/* (package.json "workspaces").
  const workspaceDirs = ["packages", "services"].flatMap((d) =>
    readdirSync(join(ROOT, d))
      .filter((w) => existsSync(join(ROOT, d, w, "package.json")))
      .map((w) => join(ROOT, d, w)),
  );
  const ownNames = new Set(workspaceDirs.map((d) => manifest(d).name));
  const found = new Map<string, Dependency>();
  const queue: { name: string; from: string; optional: boolean }[] = [];
  for (const dir of [ROOT, ...workspaceDirs]) {
    const m = manifest(dir);
    for (const name of Object.keys(m.dependencies ?? {})) queue.push({ name, from: dir, optional: false });
    for (const name of Object.keys(m.optionalDependencies ?? {})) queue.push({ name, from: dir, optional: true });
  }
  while (queue.length) {
    const { name, from, optional } = queue.shift()!;
    if (ownNames.has(name)) continue;
    const dir = locate(name, from);
    if (!dir) {
      if (optional) continue;
      throw new Error(`${name} (needed by ${from}) is not installed: run npm ci`);
    }
    if (found.has(dir)) continue;
    const m = manifest(dir);
    found.set(dir, { name: m.name, version: m.version ?? "?", licence: licenceOf(m), path: dir.slice(ROOT.length + 1) });
    for (const dep of Object.keys(m.dependencies ?? {})) queue.push({ name: dep, from: dir, optional: false });
    for (const dep of Object.keys(m.optionalDependencies ?? {})) queue.push({ name: dep, from: dir, optional: true });
  }
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
}

/**
 * Whether an SPDX expression is compatible: `A OR B` when one side is, `A AND B` when both are, `A WITH x` never
 * (an exception is judged by hand). Anything unknown is not.
 */
export function isCompatible(expression: string): boolean {
  const e = expression
    .trim()
    .replace(/^\((.*)\)$/, "$1")
    .trim();
  if (/\s+OR\s+/.test(e)) return e.split(/\s+OR\s+/).some(isCompatible);
  if (/\s+AND\s+/.test(e)) return e.split(/\s+AND\s+/).every(isCompatible);
  return COMPATIBLE.has(e);
}

export function licenceReport(deps: Dependency[]): string {
  const lines = [
    "# Licences of the production dependencies",
    "",
    "What `npm ci --omit=dev` installs and the services run, with the licence each package declares in its",
    "`package.json`. Every one is compatible with the EUPL-1.2 this codebase is published under (the accepted",
    "licences are `COMPATIBLE` in `scripts/dependency-licences.ts`). Written by `npm run licences`;",
    "`test/dependency-licences.test.ts` fails when this file is out of date or a licence is not accepted.",
    "Development tools (vitest, Biome, Spectral, TypeScript, ...) are not distributed and not listed.",
    "",
    "| package | version | licence |",
    "| --- | --- | --- |",
    ...deps.map((d) => `| ${d.name} | ${d.version} | ${d.licence} |`),
    "",
    `${deps.length} packages; by licence: ${[...countBy(deps)].map(([l, n]) => `${l} ${n}`).join(", ")}.`,
    "",
  ];
  return lines.join("\n");
}

function countBy(deps: Dependency[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const d of deps) m.set(d.licence, (m.get(d.licence) ?? 0) + 1);
  return new Map([...m].sort(([a], [b]) => a.localeCompare(b)));
}

export const REPORT = join(ROOT, "docs/dependency-licences.md");

if (import.meta.url === `file://${process.argv[1]}`) {
  const deps = productionDependencies();
  const bad = deps.filter((d) => !isCompatible(d.licence));
  writeFileSync(REPORT, licenceReport(deps));
  process.stdout.write(`${REPORT}: ${deps.length} packages\n`);
  if (bad.length) {
    process.stderr.write(`Not (known to be) compatible with EUPL-1.2:\n${bad.map((d) => `  ${d.name}@${d.version}: ${d.licence}`).join("\n")}\n`);
    process.exit(1);
  }
}
