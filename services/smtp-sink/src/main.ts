/**
 * CLI entry: starts the SMTP sink.
 *   SMTP_PORT (default 1025), HTTP_PORT (default 8025), HOST (default 127.0.0.1), LOG_LEVEL.
 * Logs carry the message number and the number of recipients, never a subject, an address or a body.
 */
import { pino } from "pino";
import { z } from "zod";
import { startSmtpSink } from "./sink";

const Env = z.object({
  SMTP_PORT: z.coerce.number().int().min(0).max(65535).default(1025),
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(8025),
  HOST: z.string().min(1).default("127.0.0.1"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

const parsed = Env.safeParse(Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== "")));
if (!parsed.success) {
  console.error(`Ongeldige configuratie van de SMTP-sink: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  process.exit(1);
}
const env = parsed.data;
const log = pino({ name: "smtp-sink", level: env.LOG_LEVEL });

const sink = await startSmtpSink({ smtpPort: env.SMTP_PORT, httpPort: env.HTTP_PORT, host: env.HOST, log });
log.info({ smtpPort: sink.smtpPort, http: sink.httpUrl, host: env.HOST }, "SMTP-sink gestart");

let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, async () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "SMTP-sink stopt");
    setTimeout(() => process.exit(0), 5000).unref();
    await sink.close();
    process.exit(0);
  });
}
