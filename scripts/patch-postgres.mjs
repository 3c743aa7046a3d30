// Patches postgres.js 3.4.x after install: a write deferred to the next tick
// after the connection closed crashed the whole process ("Cannot read
// properties of null (reading 'write')", porsager/postgres#1154, fix PRs
// #1168/#1176 not released). Our fault test (PostgreSQL connection loss)
// found it. Idempotent; a no-op when the library no longer has the bug.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
let root;
try {
  // The package's exports do not expose package.json: go up from its CommonJS entry (cjs/src/index.js).
  root = dirname(dirname(dirname(require.resolve("postgres"))));
} catch {
  process.exit(0);
}
const MARK = "/* vi-patch: nextWrite after close */";
for (const rel of ["src/connection.js", "cjs/src/connection.js", "cf/src/connection.js"]) {
  const file = join(root, rel);
  if (!existsSync(file)) continue;
  let text = readFileSync(file, "utf8");
  if (text.includes(MARK)) continue;
  const before = "  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)";
  if (!text.includes(before)) continue;
  text = text.replace(
    before,
    `  function nextWrite(fn) {\n    ${MARK}\n    if (!socket) { chunk = nextWriteTimer = null; return false }\n    const x = socket.write(chunk, fn)`,
  );
  text = text.replaceAll("\n    clearImmediate(nextWriteTimer)\n", "\n    clearImmediate(nextWriteTimer)\n    nextWriteTimer = null\n");
  writeFileSync(file, text);
  console.log(`patched ${rel} of postgres`);
}
