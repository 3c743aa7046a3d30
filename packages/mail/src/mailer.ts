/**
 * Sending e-mail over real SMTP (nodemailer, pooled connections).
 *
 * The mailer logs nothing itself: callers log the message id and the outcome,
 * never a subject, body or anything about the youth.
 */
import { createHash } from "node:crypto";
import nodemailer from "nodemailer";
import { NINE_DIGITS } from "./templates";

export interface MailConfig {
  host: string;
  port: number;
  /** true: TLS from the start (port 465). false/absent: plain, upgraded with STARTTLS when the server offers it. */
  secure?: boolean;
  user?: string;
  pass?: string;
  /** e.g. 'Verwijsindex Regio Amsterdam <noreply@verwijsindex.example>' */
  from: string;
}

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Deterministic per (event, recipient), so a redelivered event yields the same Message-ID; see {@link mailMessageId}. */
  messageId: string;
}

export interface Mailer {
  send(m: OutgoingMail): Promise<void>;
  /** true when the SMTP server answers and accepts the configured credentials. */
  verify(): Promise<boolean>;
  close(): Promise<void>;
}

export const MESSAGE_ID_DOMAIN = "verwijsindex.example";

/**
 * A deterministic Message-ID: `<kind-id-hash@verwijsindex.example>` where hash is the first 16 hex characters of
 * SHA-256 over the lower-cased address. The same event to the same recipient always gets the same id (receivers
 * and the sink can deduplicate); the address itself is not readable from it.
 */
export function mailMessageId(kind: string, id: string, email: string): string {
  if (!/^[a-z][a-z0-9-]{0,30}$/.test(kind)) throw new Error("Invalid Message-ID kind");
  if (!/^[A-Za-z0-9-]{1,100}$/.test(id)) throw new Error("Invalid Message-ID id");
  const hash = createHash("sha256").update(email.trim().toLowerCase()).digest("hex").slice(0, 16);
  return `<${kind}-${id}-${hash}@${MESSAGE_ID_DOMAIN}>`;
}

const ADDRESS = /^[^\s@<>(),;:"[\]\\]+@[^\s@<>(),;:"[\]\\]+\.[^\s@<>(),;:"[\]\\]+$/;
const MESSAGE_ID = /^<[^\s<>@]+@[^\s<>@]+>$/;

export function createMailer(cfg: MailConfig): Mailer {
  if (!cfg.host) throw new Error("MailConfig.host is required");
  if (!Number.isInteger(cfg.port) || cfg.port < 1 || cfg.port > 65535) throw new Error("MailConfig.port must be 1..65535");
  if (!cfg.from) throw new Error("MailConfig.from is required");
  if ((cfg.user === undefined) !== (cfg.pass === undefined)) throw new Error("MailConfig.user and MailConfig.pass go together");

  const transport = nodemailer.createTransport({
    pool: true,
    maxConnections: 3,
    maxMessages: 100,
    host: cfg.host,
    port: cfg.port,
    secure: cfg.secure ?? false,
    ...(cfg.user !== undefined ? { auth: { user: cfg.user, pass: cfg.pass! } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    logger: false,
    debug: false,
  });

  return {
    async send(m) {
      // Exactly one plain address per message: a professional is told alone, never in a list with others.
      if (typeof m.to !== "string" || !ADDRESS.test(m.to)) throw new Error("Invalid recipient address");
      if (!MESSAGE_ID.test(m.messageId)) throw new Error("Invalid Message-ID (expected <local@domain>)");
      if (!m.subject || /[\r\n]/.test(m.subject)) throw new Error("Invalid subject");
      for (const part of [m.subject, m.text, m.html ?? ""]) {
        if (NINE_DIGITS.test(part)) throw new Error("E-mail refused: it contains a run of nine digits (possibly a BSN)");
      }
      await transport.sendMail({
        from: cfg.from,
        to: m.to,
        subject: m.subject,
        text: m.text,
        ...(m.html !== undefined ? { html: m.html } : {}),
        messageId: m.messageId,
        headers: { "Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All" },
      });
    },
    async verify() {
      try {
        return await transport.verify();
      } catch {
        return false;
      }
    },
    async close() {
      transport.close();
    },
  };
}
