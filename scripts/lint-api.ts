/**
 * `npm run lint:api`: the OpenAPI document of every API we serve (scripts/openapi-documents.ts), linted with the
 * official NL GOV API Design Rules ruleset (Spectral). Fails on any error, and on any warning that no decision
 * record accepts: ACCEPTED below names each accepted warning and its ADR.
 *
 * The ruleset is read from ../shared/standards (beside the repository, as in CI), or from API_RULESET.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { exportDocuments } from "./openapi-export";
import { standardsDir } from "./standards-dir";

const ROOT = resolve(import.meta.dirname, "..");
const RULESET = process.env.API_RULESET ? resolve(ROOT, process.env.API_RULESET) : join(standardsDir(), "api-design-rules/ruleset.yaml");

interface Finding {
  code: string;
  message: string;
  path: string[];
  severity: number;
  range: { start: { line: number } };
}

/** Warnings a decision record accepts: the rule, which findings (by the value it complains of), and where it is argued. */
const ACCEPTED: { code: string; matches: (f: Finding) => boolean; why: string }[] = [
  {
    code: "nlgov:servers-use-https",
    // Only the local server of `npm start` (plain http on the developer's own machine).
    matches: (f) => /^Server URL http:\/\/localhost:\d+(\/[a-z0-9./-]*)? /.test(f.message),
    why: "docs/adr/0008-api-design-rules-linted.md (the local server is http)",
  },
];

const SEVERITY = ["error", "warning", "info", "hint"];

if (!existsSync(RULESET)) {
  process.stderr.write(`lint:api: the ruleset is missing at ${RULESET} (set STANDARDS_DIR to the folder of the official standards files, or API_RULESET)\n`);
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), "vi-openapi-"));
let failed = false;
try {
  for (const file of await exportDocuments(dir)) {
    const out = join(dir, `${basename(file)}.lint.json`);
    try {
      execFileSync(join(ROOT, "node_modules/.bin/spectral"), ["lint", "-q", "-r", RULESET, "-f", "json", "-o", out, "--fail-severity", "error", file], {
        stdio: ["ignore", "inherit", "inherit"],
      });
    } catch {
      // Spectral exits 1 on errors; they are counted from its report below.
    }
    if (!existsSync(out)) throw new Error(`spectral wrote no report for ${file}`);
    const findings = JSON.parse(readFileSync(out, "utf8")) as Finding[];
    const errors = findings.filter((f) => f.severity === 0);
    const warnings = findings.filter((f) => f.severity === 1);
    const unaccepted = warnings.filter((w) => !ACCEPTED.some((a) => a.code === w.code && a.matches(w)));
    for (const f of findings) {
      const accepted = f.severity === 1 && !unaccepted.includes(f) ? "  (accepted)" : "";
      process.stdout.write(`  ${SEVERITY[f.severity]} ${f.code} ${f.path.join(".")} (line ${f.range.start.line + 1}): ${f.message}${accepted}\n`);
    }
    process.stdout.write(
      `${basename(file)}: ${errors.length} errors, ${warnings.length} warnings (${warnings.length - unaccepted.length} accepted by a decision record)\n`,
    );
    if (errors.length || unaccepted.length) failed = true;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (failed) {
  process.stderr.write("lint:api: errors, or warnings no decision record accepts (see ACCEPTED in scripts/lint-api.ts)\n");
  process.exit(1);
}
