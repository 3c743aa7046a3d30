// Patches postgres.js 3.4.x after install: a write deferred to the next tick
// after the connection closed crashed the whole process ("Cannot read
// properties of null (reading 'write')", porsager/postgres#1154, fix PRs
// #1168/#1176 not released). Our fault test (PostgreSQL connection loss)
// found it. The queries whose bytes that write held are rejected with
// CONNECTION_CLOSED (an earlier version of this patch dropped them, and a
// query that never settles held a consumer for ever). Idempotent; a no-op
// when the library no longer has the bug.
//
// Second patch (src/index.js, begin()): when a transaction's connection
// closes, begin() rejects at once, but the transaction's callback runs on and
// its next statements were executed on the same connection object, which the
// pool had meanwhile reconnected and handed to the next transaction. Those
// stale statements took the new transaction's answers: its statements never
// settled, its connection stayed reserved, and after a few such losses the
// whole pool hung (our PostgreSQL connection-loss fault test, and a
// reproduction with 4 connections and 6 rounds of pg_terminate_backend). Now a
// statement of a transaction whose connection closed is rejected with
// CONNECTION_CLOSED and never sent, and those it had queued are rejected.
//
// Third patch (src/connection.js, closed()): after a socket 'error' (for
// example ECONNRESET) the in-flight statements are rejected, but a statement
// written between that error and the 'close' (typically the failed
// transaction's rollback) stayed in the connection's sent queue, and its bytes
// in the write buffer, across the reconnect: the reconnected connection then
// took the next transaction's first answer for that stale rollback, and that
// transaction waited for ever. A closing connection now rejects whatever it
// still holds and drops its unwritten bytes.
//
// Fourth patch (src/connection.js, ReadyForQuery): a new connection first
// reads the array types (fetch_types) in an async function whose promise
// nobody held. When the connection was cut during that query, its rejection
// went unhandled, and Node stops a process on an unhandled rejection: a
// reproduction with connections terminated every 30-330 ms hit it in 3 of 6
// runs of one to two minutes. The connection's own handling settles the query
// it was opened for (rejected, or sent again after the reconnect), so that
// rejection is now caught and dropped.
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
const CONNECTION = ["src/connection.js", "cjs/src/connection.js", "cf/src/connection.js"];
const INDEX = ["src/index.js", "cjs/src/index.js", "cf/src/index.js"];

/**
 * Applies one patch to each of the library's builds that exists: skipped where `mark` is already in the file, and
 * where `apply` returns undefined (the code it expects is not there: the library changed).
 */
function patch(files, mark, label, apply) {
  for (const rel of files) {
    const file = join(root, rel);
    if (!existsSync(file)) continue;
    const text = readFileSync(file, "utf8");
    if (text.includes(mark)) continue;
    const patched = apply(text);
    if (patched === undefined) continue;
    writeFileSync(file, patched);
    console.log(`patched ${rel} of postgres${label}`);
  }
}

const MARK = "/* vi-patch: nextWrite after close, rejecting */";
patch(CONNECTION, MARK, "", (text) => {
  const rejecting =
    "if (!socket) { chunk = nextWriteTimer = null; const e = Errors.connection('CONNECTION_CLOSED', options); query && queryError(query, e); while (sent.length) queryError(sent.shift(), e); query = null; return false }";
  const original = "  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)";
  // The first version of this patch (dropping the write) is upgraded in place.
  const firstVersion = "    /* vi-patch: nextWrite after close */\n    if (!socket) { chunk = nextWriteTimer = null; return false }\n";
  if (text.includes(firstVersion)) return text.replace(firstVersion, `    ${MARK}\n    ${rejecting}\n`);
  if (!text.includes(original)) return undefined;
  return text
    .replace(original, `  function nextWrite(fn) {\n    ${MARK}\n    ${rejecting}\n    const x = socket.write(chunk, fn)`)
    .replaceAll("\n    clearImmediate(nextWriteTimer)\n", "\n    clearImmediate(nextWriteTimer)\n    nextWriteTimer = null\n");
});

const TX_MARK = "/* vi-patch: no statement after the transaction's connection closed */";
patch(INDEX, TX_MARK, " (transactions)", (text) => {
  const race = "new Promise((_, reject) => connection.onclose = reject)";
  const handler = "        q.catch(e => uncaughtError || (uncaughtError = e))\n";
  const declaration = "    let savepoints = 0\n";
  if (!text.includes(race) || !text.includes(handler) || !text.includes(declaration)) return undefined;
  return text
    .replace(declaration, `    let savepoints = 0\n    ${TX_MARK}\n    let connectionClosed = null\n`)
    .replace(
      race,
      "new Promise((_, reject) => connection.onclose = e => { connectionClosed = e || Errors.connection('CONNECTION_CLOSED', options); while (queries.length) queries.shift().reject(connectionClosed); reject(e) })",
    )
    .replace(handler, `${handler}        if (connectionClosed) return q.reject(connectionClosed)\n`);
});

const CLOSE_MARK = "/* vi-patch: a closed connection keeps no statement */";
patch(CONNECTION, CLOSE_MARK, " (close)", (text) => {
  const original = "    socket.removeAllListeners()\n    socket = null\n\n    if (initial)\n      return reconnect()\n";
  if (!text.includes(original)) return undefined;
  return text.replace(
    original,
    [
      "    socket.removeAllListeners()",
      "    socket = null",
      `    ${CLOSE_MARK}`,
      "    chunk = null",
      "    if (query || sent.length) {",
      "      const e = Errors.connection('CONNECTION_CLOSED', options)",
      "      query && queryError(query, e)",
      "      while (sent.length)",
      "        queryError(sent.shift(), e)",
      "      query = null",
      "    }",
      "",
      "    if (initial)",
      "      return reconnect()",
      "",
    ].join("\n"),
  );
});

const TYPES_MARK = "/* vi-patch: a cut array-types query is not an unhandled rejection */";
patch(CONNECTION, TYPES_MARK, " (array types)", (text) => {
  const original = "        return fetchArrayTypes()\n";
  if (!text.includes(original)) return undefined;
  return text.replace(original, `        ${TYPES_MARK}\n        return fetchArrayTypes().catch(() => {})\n`);
});
