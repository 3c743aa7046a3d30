/**
 * `tsx scripts/openapi-export.ts [dir]`: writes the OpenAPI document of every API we serve (node, hub) to `dir`
 * (default: a new temporary directory) as `<name>.openapi.json`, and prints each file's path.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { servedApis } from "./openapi-documents";

export async function exportDocuments(dir: string): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const api of servedApis()) {
    const file = join(dir, `${api.name}.openapi.json`);
    writeFileSync(file, `${JSON.stringify(await api.document(), null, 2)}\n`);
    files.push(file);
  }
  return files;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2] ? resolve(process.argv[2]) : mkdtempSync(join(tmpdir(), "vi-openapi-"));
  for (const f of await exportDocuments(dir)) process.stdout.write(`${f}\n`);
}
