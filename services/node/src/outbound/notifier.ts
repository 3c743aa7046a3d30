/**
 * Meldingen: what a professional is told (a match, a relocation). Stored once
 * per professional per match at the professional's entry node; pushed to live
 * streams after commit, and e-mailed once by a loop that survives restarts
 * (a melding without `gemaildOp` is mailed on the next run).
 */
import { errorForLog } from "@vi/service";
import { createHash } from "node:crypto";
import { EventEmitter } from "node:events";
import type { Db, NodeTables } from "@vi/db";
import { herinneringMail, type Mailer, matchMail, overdrachtMail, verhuizingMail } from "@vi/mail";
import type { Logger } from "@vi/service";
import type { Notifier, StreamEvent } from "../context";
import type { NoticeView } from "../schemas";

export type { Notifier };
import { claimUnmailed, type NoticeRow, markMailed, releaseClaim, renewClaims } from "../store/notices";
import { contactsOf } from "../store/professionals";

export const toNoticeView = (m: NoticeRow): NoticeView => ({
  id: m.id,
  soort: m.soort,
  aangemaaktOp: m.aangemaaktOp.toISOString(),
  signaalId: m.signaalId,
  inhoud: m.inhoud,
});

/** Meldingen claimed with one query. */
const MAIL_BATCH = 10;
/**
 * How long a claim holds without renewal. The mailing process renews its claims every third of this, so only the
 * claims of a process that died expire: its meldingen are mailed by the next run within this time (it was 60 s,
 * which held a killed node's claimed batch back for a minute).
 */
const CLAIM_LEASE_S = 10;
/** After a failed run (e.g. the database connection was lost), the next one starts this soon. */
const RETRY_AFTER_ERROR_MS = 1000;

export function createNotifier(opts: {
  db: Db;
  t: NodeTables;
  mailer?: Mailer;
  log: Logger;
  gemeenteNaam: string;
  /** The link in mails (read when a mail is written: a node on port 0 knows its address only once it listens). */
  link: () => string;
  intervalMs?: number;
}): Notifier {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  let running: Promise<number> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  const { db, t } = opts;

  /**
   * Mails one claimed melding: send it, mark it sent (retried on a lost connection). No transaction stays open
   * while SMTP talks, and a commit lost with the connection does not resend the mail. Only a process that dies
   * between the SMTP server's acceptance and the mark resends that one mail (one at a time: never more than one
   * in flight), after its claim expires, with the same Message-ID, which receivers use to drop it.
   * True when it was sent and marked.
   */
  async function mailOne(mailer: Mailer, m: NoticeRow, person: { email: string; rol: string } | undefined): Promise<boolean> {
    if (!person) return false;
    const content =
      m.soort === "match"
        ? matchMail({ soort: m.inhoud.soort, gemeenteNaam: opts.gemeenteNaam, link: opts.link() })
        : m.soort === "herinnering"
          ? herinneringMail({ soort: m.inhoud.soort, dagen: m.inhoud.dagen, gemeenteNaam: opts.gemeenteNaam, link: opts.link() })
          : m.soort === "overdracht"
            ? overdrachtMail({ gemeenteNaam: opts.gemeenteNaam, aantal: m.inhoud.signalen, link: opts.link() })
            : verhuizingMail({
                naarGemeenteNaam: m.inhoud.naarGemeenteNaam || m.inhoud.naarGemeente,
                link: opts.link(),
                voorMatchregisseur: person.rol === "matchregisseur",
              });
    const hash = createHash("sha256").update(`${m.sleutel}:${person.email}`).digest("hex").slice(0, 24);
    try {
      await mailer.send({ to: person.email, ...content, messageId: `<${m.soort}-${hash}@verwijsindex.example>` });
    } catch (e) {
      await releaseClaim(db, t, m.id);
      opts.log.warn({ err: errorForLog(e) }, "mail failed; will retry");
      return false;
    }
    for (let attempt = 0; ; attempt++) {
      try {
        await markMailed(db, t, m.id);
        return true;
      } catch (e) {
        if (attempt >= 20) throw e;
        await new Promise((r) => setTimeout(r, 250 * (attempt + 1)));
      }
    }
  }

  /**
   * Claims a batch (one query for up to MAIL_BATCH, one for the recipients) and mails it, renewing the claims of
   * the ones not yet sent while it does; resolves with how many were claimed (0: nothing left), so one melding
   * that cannot be mailed now never holds up the ones after it.
   */
  async function mailBatch(): Promise<{ claimed: number; sent: number }> {
    const mailer = opts.mailer;
    if (!mailer) return { claimed: 0, sent: 0 };
    const claimed = await claimUnmailed(db, t, MAIL_BATCH, CLAIM_LEASE_S);
    const rows = claimed.filter((m): m is NoticeRow => m !== undefined);
    if (rows.length === 0) return { claimed: claimed.length, sent: 0 };
    const unsent = new Set(rows.map((m) => m.id));
    const renew = setInterval(() => void renewClaims(db, t, [...unsent]).catch(() => undefined), (CLAIM_LEASE_S * 1000) / 3);
    renew.unref();
    let sent = 0;
    try {
      const contacts = await contactsOf(db, t, [...new Set(rows.map((m) => m.professionalId))]);
      // One after the other: sent concurrently, a kill or a lost connection left more than one mail in flight to be resent.
      for (const m of rows) {
        if (await mailOne(mailer, m, contacts.get(m.professionalId))) sent++;
        unsent.delete(m.id);
      }
    } finally {
      clearInterval(renew);
    }
    return { claimed: claimed.length, sent };
  }

  function flushMail(): Promise<number> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let total = 0;
      try {
        do {
          again = false;
          for (;;) {
            const { claimed, sent } = await mailBatch();
            total += sent;
            if (claimed < 1) break;
          }
        } while (again);
      } catch (e) {
        opts.log.error({ err: errorForLog(e) }, "mail loop failed; retrying soon");
        // Not only at the next interval: what was claimed and not sent waits for its lease, the rest goes now.
        if (timer) setTimeout(() => void flushMail(), RETRY_AFTER_ERROR_MS).unref();
      } finally {
        running = undefined;
      }
      return total;
    })();
    return running;
  }

  return {
    delivered(rows) {
      for (const r of rows) emitter.emit(r.professionalId, { event: "melding", melding: toNoticeView(r) } satisfies StreamEvent);
      if (rows.length) void flushMail();
    },
    removed(rows) {
      for (const r of rows) emitter.emit(r.professionalId, { event: "melding-verwijderd", id: r.id } satisfies StreamEvent);
    },
    subscribe(professionalId, listener) {
      emitter.on(professionalId, listener);
      return () => emitter.off(professionalId, listener);
    },
    flushMail,
    start() {
      if (timer) return;
      void flushMail();
      timer = setInterval(() => void flushMail(), opts.intervalMs ?? 10_000);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}
