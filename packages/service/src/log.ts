/**
 * The services' logger (pino, JSON lines). Redacts what must never reach a
 * log line: BSNs, bearer and event tokens by key, and, in every logged error,
 * the personal data a database error carries. drizzle-orm writes a failed
 * query's parameters into its error message (`params: ...`), and postgres.js
 * puts them (`parameters`, `args`) and values (`detail`, `where`, a quoted
 * value in the message) on its error object. A logged error keeps its name,
 * its message without those, the query text (placeholders only), the
 * SQLSTATE, its stack frames and its causes.
 */
import pino, { type Logger } from "pino";

export type { Logger };

/** BSNs at any depth we log, bearer tokens, signed event tokens. */
export const REDACT_PATHS = ["bsn", "*.bsn", "*.*.bsn", "req.headers.authorization", "authorization", "token"];

const HIDDEN = "[verborgen]";

/** An error as it may be logged. */
export interface LoggedError {
  name?: string;
  message: string;
  /** PostgreSQL's SQLSTATE, a Node.js error code, or a service's own code. */
  code?: string;
  stack?: string;
  cause?: LoggedError;
}

/** Removes from an error's text what may be personal data: a query's parameters, quoted values, e-mail addresses, BSN-like numbers, dates. */
export function scrubText(text: string): string {
  return text
    .replace(/\n?params: [\s\S]*$/, "")
    .replace(/: "[^"]*"/g, `: "${HIDDEN}"`)
    .replace(/\([^()]*\)=\([^()]*\)/g, HIDDEN)
    .replace(/[^\s@"'<>(),;:]+@[^\s@"'<>(),;:]+\.[A-Za-z]{2,}/g, HIDDEN)
    .replace(/\b\d{9}\b/g, HIDDEN)
    .replace(/\b\d{4}-\d{2}-\d{2}\b/g, HIDDEN)
    .slice(0, 2000);
}

/** What of an error (or anything thrown) may be logged; see the module comment. */
export function errorForLog(err: unknown, depth = 0): LoggedError {
  if (err === null || typeof err !== "object") return { message: scrubText(String(err)) };
  const e = err as Record<string, unknown>;
  const name = typeof e.name === "string" ? e.name : undefined;
  // drizzle-orm's DrizzleQueryError: "Failed query: <query>\nparams: <values>"; keep the query only.
  const raw = typeof e.query === "string" && "params" in e ? `Failed query: ${e.query}` : typeof e.message === "string" ? e.message : "";
  const message = scrubText(raw);
  const out: LoggedError = { ...(name ? { name } : {}), message };
  if (typeof e.code === "string" || typeof e.code === "number") out.code = String(e.code);
  if (typeof e.stack === "string") {
    const frames = e.stack.split("\n").filter((l) => /^\s+at /.test(l));
    if (frames.length) out.stack = [`${name ?? "Error"}: ${message}`, ...frames.map(scrubText)].join("\n");
  }
  if (e.cause !== undefined && e.cause !== null && depth < 4) out.cause = errorForLog(e.cause, depth + 1);
  return out;
}

export function createLogger(level: string, name = "verwijsindex", destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    name,
    level,
    redact: { paths: REDACT_PATHS, censor: HIDDEN },
    // Whatever a service logs as `err` or `error` (an Error, a message object, a text) goes through errorForLog.
    serializers: {
      err: (v: unknown) => errorForLog(v),
      error: (v: unknown) => (typeof v === "string" ? scrubText(v) : errorForLog(v)),
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
