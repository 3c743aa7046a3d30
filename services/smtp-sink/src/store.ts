/** The received mails, in memory: what the SMTP side writes and the HTTP side reads. */

export interface ReceivedMail {
  id: number;
  messageId: string | null;
  /** The From header as sent (decoded), or the envelope sender when there is no From header. */
  from: string;
  /** Envelope recipients (RCPT TO), in order. */
  to: string[];
  subject: string;
  /** The text/plain body, line endings normalised to \n. */
  text: string;
  /** The text/html body, when there is one. */
  html: string | null;
  /** ISO 8601 timestamp. */
  receivedAt: string;
}

/** The in-memory store behind the sink (exported for the HTTP app and its tests). */
export class MailStore {
  private list: ReceivedMail[] = [];
  private nextId = 1;
  private readonly listeners = new Set<(m: ReceivedMail) => void>();

  constructor(private readonly max = 1000) {}

  add(m: Omit<ReceivedMail, "id">): ReceivedMail {
    const mail: ReceivedMail = { id: this.nextId++, ...m };
    this.list.push(mail);
    if (this.list.length > this.max) this.list.splice(0, this.list.length - this.max);
    for (const l of [...this.listeners]) l(mail);
    return mail;
  }

  all(): ReceivedMail[] {
    return this.list.map((m) => ({ ...m, to: [...m.to] }));
  }

  get(id: number): ReceivedMail | undefined {
    const m = this.list.find((x) => x.id === id);
    return m && { ...m, to: [...m.to] };
  }

  clear(): void {
    this.list = [];
  }

  waitFor(pred: (m: ReceivedMail) => boolean, timeoutMs = 5000): Promise<ReceivedMail> {
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const done = (fn: () => void) => {
        this.listeners.delete(listener);
        if (timer) clearTimeout(timer);
        fn();
      };
      const test = (m: ReceivedMail): boolean => {
        try {
          if (pred(m)) {
            done(() => resolve({ ...m, to: [...m.to] }));
            return true;
          }
        } catch (e) {
          done(() => reject(e));
          return true;
        }
        return false;
      };
      const listener = (m: ReceivedMail) => void test(m);
      for (const m of this.list) if (test(m)) return;
      this.listeners.add(listener);
      timer = setTimeout(
        () => done(() => reject(new Error(`Geen passende e-mail ontvangen binnen ${timeoutMs} ms (${this.list.length} in de sink).`))),
        timeoutMs,
      );
    });
  }
}
