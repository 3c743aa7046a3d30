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
import { type Mailer, matchMail, verhuizingMail } from "@vi/mail";
import type { Logger } from "@vi/service";
import type { Notifier, StreamEvent } from "../context";
import type { NoticeView } from "../schemas";

export type { Notifier };
import { claimUnmailed, type NoticeRow, markMailed, releaseClaim } from "../store/notices";
import { contactOf } from "../store/professionals";

export const toNoticeView = (m: NoticeRow): NoticeView => ({
  id: m.id,
  soort: m.soort,
  aangemaaktOp: m.aangemaaktOp.toISOString(),
  signaalId: m.signaalId,
  inhoud: m.inhoud,
});

/** Meldingen claimed with one query. */
const MAIL_BATCH = 10;

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
   * Mails one melding: claim it (committed), send it, mark it sent (retried on
   * a lost connection). No transaction stays open while SMTP talks, and a
   * commit lost with the connection does not resend the mail. Only a process
   * that dies between the SMTP server's acceptance and the mark resends that
   * one mail, after its claim expires, with the same Message-ID, which
   * receivers use to drop it.
   */
  /** Mails one claimed melding; true when it was sent and marked. */
  async function mailOne(mailer: Mailer, m: NoticeRow): Promise<boolean> {
    const person = await contactOf(db, t, m.professionalId);
    if (!person) return false;
    const content =
      m.soort === "match"
        ? matchMail({ soort: m.inhoud.soort, gemeenteNaam: opts.gemeenteNaam, link: opts.link() })
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
   * Claims a batch (one query for up to MAIL_BATCH) and mails it; resolves with how many were
   * claimed (0: nothing left), so one melding that cannot be mailed now never holds up the ones after it.
   */
  async function mailBatch(): Promise<{ claimed: number; sent: number }> {
    const mailer = opts.mailer;
    if (!mailer) return { claimed: 0, sent: 0 };
    const claimed = await claimUnmailed(db, t, MAIL_BATCH);
    // One after the other: sent concurrently, a kill or a lost connection left more than one mail in flight to be resent.
    let sent = 0;
    for (const m of claimed) if (m && (await mailOne(mailer, m))) sent++;
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
        opts.log.error({ err: errorForLog(e) }, "mail loop failed");
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
