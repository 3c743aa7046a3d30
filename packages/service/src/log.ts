/** The services' logger (pino, JSON lines). Redacts what must never reach a log line. */
import pino, { type Logger } from "pino";

export type { Logger };

/** BSNs at any depth we log, bearer tokens, signed event tokens. */
export const REDACT_PATHS = ["bsn", "*.bsn", "*.*.bsn", "req.headers.authorization", "authorization", "token"];

export function createLogger(level: string, name = "verwijsindex", destination?: pino.DestinationStream): Logger {
  const options = { name, level, redact: { paths: REDACT_PATHS, censor: "[verborgen]" } };
  return destination ? pino(options, destination) : pino(options);
}
