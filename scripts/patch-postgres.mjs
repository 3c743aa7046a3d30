// Patches postgres.js 3.4.x after install: a write deferred to the next tick
// after the connection closed crashed the whole process ("Cannot read
// properties of null (reading 'write')", porsager/postgres#1154, fix PRs
// #1168/#1176 not released). Our fault test (PostgreSQL connection loss)
// found it. The queries whose bytes that write held are rejected with
// CONNECTION_CLOSED (an earlier version of this patch dropped them, and a
// query that never settles held a consumer for ever). Idempotent; a no-op
// when the library no longer has the bug.
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
const MARK = "/* vi-patch: nextWrite after close, rejecting */";
for (const rel of ["src/connection.js", "cjs/src/connection.js", "cf/src/connection.js"]) {
  const file = join(root, rel);
  if (!existsSync(file)) continue;
  let text = readFileSync(file, "utf8");
  if (text.includes(MARK)) continue;
  const rejecting =
    "if (!socket) { chunk = nextWriteTimer = null; const e = Errors.connection('CONNECTION_CLOSED', options); query && queryError(query, e); while (sent.length) queryError(sent.shift(), e); query = null; return false }";
  const original = "  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)";
  // The first version of this patch (dropping the write) is upgraded in place.
  const firstVersion = "    /* vi-patch: nextWrite after close */\n    if (!socket) { chunk = nextWriteTimer = null; return false }\n";
  if (text.includes(firstVersion)) {
    text = text.replace(firstVersion, `    ${MARK}\n    ${rejecting}\n`);
  } else {
    if (!text.includes(original)) continue;
    text = text.replace(original, `  function nextWrite(fn) {\n    ${MARK}\n    ${rejecting}\n    const x = socket.write(chunk, fn)`);
    text = text.replaceAll("\n    clearImmediate(nextWriteTimer)\n", "\n    clearImmediate(nextWriteTimer)\n    nextWriteTimer = null\n");
  }
  writeFileSync(file, text);
  console.log(`patched ${rel} of postgres`);
}
