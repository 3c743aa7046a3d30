/**
 * publiccode.yml (repository root) against the JSON Schema of the publiccode-checker
 * (../shared/standards/publiccode/schema.json, draft-07), and what the schema cannot check: a description in
 * Dutch and in English, the licence the LICENSE file carries, and the files the Standard for Public Code asks
 * for (docs/standard-for-public-code.md).
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { standardsDir } from "../scripts/standards-dir";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const SCHEMA = join(standardsDir(), "publiccode/schema.json");
const read = (p: string) => readFileSync(join(ROOT, p), "utf8");

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA, "utf8")));
const errors = () => (validate.errors ?? []).map((e) => `${e.instancePath || "(root)"} ${e.message} ${JSON.stringify(e.params)}`);

const doc = parse(read("publiccode.yml")) as Record<string, any>;

describe("publiccode.yml", () => {
  it("validates against the publiccode schema", () => {
    const ok = validate(doc);
    expect(errors()).toEqual([]);
    expect(ok).toBe(true);
  });

  it("and the schema has teeth: a broken copy fails it", () => {
    expect(validate({ ...doc, developmentStatus: "af" })).toBe(false);
    const { legal: _, ...withoutLegal } = doc;
    expect(validate(withoutLegal)).toBe(false);
    expect(validate({ ...doc, localisation: { ...doc.localisation, availableLanguages: ["Nederlands"] } })).toBe(false);
  });

  it("describes the software in Dutch and in English", () => {
    expect(Object.keys(doc.description).sort()).toEqual(["en", "nl"]);
    for (const lang of ["nl", "en"]) {
      expect(doc.description[lang].shortDescription.length).toBeLessThanOrEqual(150);
      expect(doc.description[lang].longDescription.length).toBeGreaterThanOrEqual(150);
      expect(doc.description[lang].features.length).toBeGreaterThan(0);
    }
  });

  it("names the licence of the LICENSE file", () => {
    expect(doc.legal.license).toBe("EUPL-1.2");
    expect(read("LICENSE")).toMatch(/^EUROPEAN UNION PUBLIC LICENCE v\. 1\.2/);
  });

  it("the files the Standard for Public Code asks for are there", () => {
    for (const f of [
      "README.md",
      "LICENSE",
      "CONTRIBUTING.md",
      "CODE_OF_CONDUCT.md",
      "SECURITY.md",
      "CHANGELOG.md",
      "GOVERNANCE.md",
      "docs/standard-for-public-code.md",
      "docs/dependency-licences.md",
    ]) {
      expect(existsSync(join(ROOT, f)), f).toBe(true);
    }
  });
});
