/**
 * A local SMTP sink for development and tests: accepts every message over SMTP
 * (no TLS, authentication optional and any credentials accepted), keeps the
 * last messages in memory and shows them over HTTP.
 *
 * Not for production: it stores whatever it is sent, and its HTTP side has no
 * authentication. Logs carry only the message number and the number of
 * recipients, never a subject, address or body.
 */
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { SMTPServer } from "smtp-server";
import { serve } from "@hono/node-server";
import { parseMail } from "./parse";
import { createSinkApp } from "./app";
import { MailStore, type ReceivedMail } from "./store";

export { MailStore, type ReceivedMail };

export interface SinkLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface SmtpSinkOptions {
  /** Default 1025; 0 picks a free port. */
  smtpPort?: number;
  /** Default 8025; 0 picks a free port. */
  httpPort?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** At most this many messages are kept (oldest dropped first). Default 1000. */
  maxMessages?: number;
  /** Largest accepted message in bytes. Default 10 MiB. */
  maxMessageBytes?: number;
  log?: SinkLogger;
}

export interface SmtpSink {
  smtpPort: number;
  /** e.g. http://127.0.0.1:8025 */
  httpUrl: string;
  /** Received messages, oldest first. */
  messages(): ReceivedMail[];
  clear(): void;
  /** Resolves with the first message (already received or arriving later) matching pred; rejects after timeoutMs (default 5000). */
  waitFor(pred: (m: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}

export async function startSmtpSink(opts: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const host = opts.host ?? "127.0.0.1";
  const maxBytes = opts.maxMessageBytes ?? 10 * 1024 * 1024;
  const store = new MailStore(opts.maxMessages ?? 1000);
  const log = opts.log;

  const smtp = new SMTPServer({
    secure: false,
    authOptional: true,
    // Any credentials are accepted (over plain TCP), so a mailer configured with SMTP_USER/SMTP_PASS works too.
    allowInsecureAuth: true,
    disabledCommands: ["STARTTLS"],
    hideSTARTTLS: true,
    disableReverseLookup: true,
    banner: "Verwijsindex SMTP-sink (alleen voor ontwikkeling en tests)",
    size: maxBytes,
    logger: false,
    closeTimeout: 1000,
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username ?? "sink" });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("error", (e) => callback(e));
      stream.on("end", () => {
        if (stream.sizeExceeded) {
          const err = Object.assign(new Error("Bericht te groot"), { responseCode: 552 });
          return callback(err);
        }
        try {
          const parsed = parseMail(Buffer.concat(chunks));
          const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : "";
          const mail = store.add({
            messageId: parsed.messageId,
            from: parsed.from || envelopeFrom,
            to: session.envelope.rcptTo.map((a) => a.address),
            subject: parsed.subject,
            text: parsed.text,
            html: parsed.html,
            receivedAt: new Date().toISOString(),
          });
          log?.info({ id: mail.id, ontvangers: mail.to.length }, "e-mail ontvangen");
          callback();
        } catch (e) {
          log?.warn({ err: (e as Error).message }, "e-mail niet te lezen");
          callback(Object.assign(new Error("Bericht niet te lezen"), { responseCode: 554 }));
        }
      });
    },
  });
  smtp.on("error", (e) => log?.warn({ err: e.message }, "SMTP-fout"));

  await new Promise<void>((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    smtp.server.once("error", onError);
    smtp.listen(opts.smtpPort ?? 1025, host, () => {
      smtp.server.off("error", onError);
      resolve();
    });
  });
  const smtpPort = (smtp.server.address() as AddressInfo).port;

  const app = createSinkApp(store);
  let http: Server;
  try {
    http = serve({ fetch: app.fetch, port: opts.httpPort ?? 8025, hostname: host }) as Server;
    await Promise.race([
      once(http, "listening"),
      once(http, "error").then(([e]) => {
        throw e;
      }),
    ]);
  } catch (e) {
    await new Promise<void>((r) => smtp.close(() => r()));
    throw e;
  }
  const httpPort = (http.address() as AddressInfo).port;
  const urlHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;

  let closed = false;
  return {
    smtpPort,
    httpUrl: `http://${urlHost}:${httpPort}`,
    messages: () => store.all(),
    clear: () => store.clear(),
    waitFor: (pred, timeoutMs) => store.waitFor(pred, timeoutMs),
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([
        new Promise<void>((r) => smtp.close(() => r())),
        new Promise<void>((r) => {
          http.close(() => r());
          http.closeAllConnections();
        }),
      ]);
    },
  };
}
