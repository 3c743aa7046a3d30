/**
 * Meldingen: what a professional is told (a match, a relocation). Stored once
 * per professional per match at the professional's entry node; pushed to live
 * streams after commit, and e-mailed once by a loop that survives restarts
 * (a melding without `gemaildOp` is mailed on the next run).
 */
import { EventEmitter } from "node:events";
import { and, asc, eq, inArray, isNull, lt, sql } from "drizzle-orm";
import type { Logger } from "pino";
import type { Db, NodeTables } from "@vi/db";
import { matchMail, verhuizingMail, type Mailer } from "@vi/mail";
import { createHash } from "node:crypto";

export interface MeldingRow {
  id: string;
  soort: "match" | "verhuizing";
  sleutel: string;
  professionalId: string;
  signaalId: string | null;
  inhoud: Record<string, unknown>;
  aangemaaktOp: Date;
}

export interface MeldingView {
  id: string;
  soort: "match" | "verhuizing";
  aangemaaktOp: string;
  signaalId: string | null;
  inhoud: Record<string, unknown>;
}

export const toMeldingView = (m: MeldingRow): MeldingView => ({
  id: m.id,
  soort: m.soort,
  aangemaaktOp: m.aangemaaktOp.toISOString(),
  signaalId: m.signaalId,
  inhoud: m.inhoud,
});

/** Inserts meldingen (once per sleutel and professional); returns the ones that are new. */
export async function insertMeldingen(db: Db, t: NodeTables, rows: Omit<MeldingRow, "id">[]): Promise<MeldingRow[]> {
  if (rows.length === 0) return [];
  const inserted = await db.insert(t.meldingen).values(rows).onConflictDoNothing().returning();
  return inserted as MeldingRow[];
}

export interface Notifier {
  /** Call after the transaction that inserted these meldingen committed. */
  delivered(rows: MeldingRow[]): void;
  subscribe(professionalId: string, listener: (m: MeldingView) => void): () => void;
  /** Mails every melding not yet mailed; resolves with the number sent. */
  flushMail(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
}

export function createNotifier(opts: {
  db: Db;
  t: NodeTables;
  mailer?: Mailer;
  log: Logger;
  gemeenteNaam: string;
  link: string;
  intervalMs?: number;
}): Notifier {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  let running: Promise<number> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  const { db, t } = opts;

  /**
   * Mails one melding in its own transaction: the mark commits right after the
   * SMTP server accepted the mail, so a crash can repeat at most the one mail
   * in flight (with the same Message-ID, which receivers use to drop it).
   */
  async function mailBatch(): Promise<number> {
    const mailer = opts.mailer;
    if (!mailer) return 0;
    return db.transaction(async (tx) => {
      const locked = await tx
        .select()
        .from(t.meldingen)
        .where(and(isNull(t.meldingen.gemaildOp), lt(t.meldingen.mailPogingen, 10)))
        .orderBy(asc(t.meldingen.aangemaaktOp))
        .limit(1)
        .for("update", { skipLocked: true });
      if (locked.length === 0) return 0;
      const people = await tx
        .select({ id: t.professionals.id, email: t.professionals.email, rol: t.professionals.rol })
        .from(t.professionals)
        .where(inArray(t.professionals.id, [...new Set(locked.map((m) => m.professionalId))]));
      const byId = new Map(people.map((p) => [p.id, p]));
      const due = locked.map((m) => ({ m, email: byId.get(m.professionalId)!.email, rol: byId.get(m.professionalId)!.rol }));
      let sent = 0;
      for (const { m, email, rol } of due) {
        const content =
          m.soort === "match"
            ? matchMail({ soort: (m.inhoud.soort as "client" | "gezin") ?? "client", gemeenteNaam: opts.gemeenteNaam, link: opts.link })
            : verhuizingMail({ naarGemeenteNaam: String(m.inhoud.naarGemeenteNaam ?? m.inhoud.naarGemeente ?? ""), link: opts.link, voorMatchregisseur: rol === "matchregisseur" });
        const hash = createHash("sha256").update(`${m.sleutel}:${email}`).digest("hex").slice(0, 24);
        try {
          await mailer.send({ to: email, ...content, messageId: `<${m.soort}-${hash}@verwijsindex.example>` });
          await tx.update(t.meldingen).set({ gemaildOp: sql`now()` }).where(eq(t.meldingen.id, m.id));
          sent++;
        } catch (e) {
          await tx.update(t.meldingen).set({ mailPogingen: sql`${t.meldingen.mailPogingen} + 1` }).where(eq(t.meldingen.id, m.id));
          opts.log.warn({ err: { message: (e as Error).message } }, "mail failed; will retry");
          break;
        }
      }
      return sent;
    });
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
            const n = await mailBatch();
            total += n;
            if (n < 1) break;
          }
        } while (again);
      } catch (e) {
        opts.log.error({ err: { message: (e as Error).message } }, "mail loop failed");
      } finally {
        running = undefined;
      }
      return total;
    })();
    return running;
  }

  return {
    delivered(rows) {
      for (const r of rows) emitter.emit(r.professionalId, toMeldingView(r));
      if (rows.length) void flushMail();
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
