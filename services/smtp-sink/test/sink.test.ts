/**
 * The real mailer (@vi/mail, nodemailer over SMTP) against the real sink, on free ports.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import nodemailer from "nodemailer";
import { DEMO_ACCOUNTS, demoPersons, volledigeNaam } from "@vi/demo";
import { createMailer, mailMessageId, matchMail, verhuizingMail, type Mailer } from "@vi/mail";
import { startSmtpSink, type ReceivedMail, type SmtpSink } from "@vi/smtp-sink";

const FROM = "Verwijsindex Regio Amsterdam <noreply@verwijsindex.example>";

let sink: SmtpSink;
let mailer: Mailer;

beforeAll(async () => {
  sink = await startSmtpSink({ smtpPort: 0, httpPort: 0 });
  mailer = createMailer({ host: "127.0.0.1", port: sink.smtpPort, from: FROM });
});
afterEach(() => sink.clear());
afterAll(async () => {
  await mailer?.close();
  await sink?.close();
});

async function api(path: string, init?: RequestInit): Promise<Response> {
  return fetch(`${sink.httpUrl}${path}`, init);
}

describe("SMTP sink with the real mailer", () => {
  it("picks free ports and answers verify()", async () => {
    expect(sink.smtpPort).toBeGreaterThan(0);
    expect(sink.httpUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await mailer.verify()).toBe(true);
    expect(await (await api("/health")).json()).toEqual({ status: "ok" });
  });

  it("round-trips subject, recipient, Message-ID, sender and a Dutch text (ë, ï, €)", async () => {
    const messageId = mailMessageId("test", "rt-1", "ib@buurtschool.example");
    const subject = "Overleg over de coördinatie – naïef geëvalueerd";
    const text = `Beste collega,\n\nWe hebben de coördinatie geëvalueerd; dat was niet naïef.\nKosten: € 0,00.\n${"Lange regel ".repeat(20)}einde.`;
    await mailer.send({ to: "ib@buurtschool.example", subject, text, html: "<p>coördinatie</p>", messageId });
    const m = await sink.waitFor((x) => x.messageId === messageId);
    expect(m.subject).toBe(subject);
    expect(m.to).toEqual(["ib@buurtschool.example"]);
    expect(m.from).toBe(FROM);
    expect(m.text.trimEnd()).toBe(text);
    expect(m.html).toBe("<p>coördinatie</p>");
    expect(Number.isNaN(Date.parse(m.receivedAt))).toBe(false);

    const list = (await (await api("/api/berichten")).json()) as ReceivedMail[];
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: m.id, messageId, subject, to: ["ib@buurtschool.example"] });
    const one = (await (await api(`/api/berichten/${m.id}`)).json()) as ReceivedMail;
    expect(one.text).toBe(m.text);
    expect((await api("/api/berichten/999999")).status).toBe(404);
  });

  it("decodes base64 and quoted-printable bodies as other clients send them", async () => {
    const raw = nodemailer.createTransport({ host: "127.0.0.1", port: sink.smtpPort, secure: false });
    try {
      for (const textEncoding of ["base64", "quoted-printable"] as const) {
        await raw.sendMail({
          from: FROM,
          to: "jgz@ggd.example",
          subject: `Codering ${textEncoding}: ë ï`,
          text: `Tekst in ${textEncoding}: één, ëï, ö.`,
          textEncoding,
          messageId: `<enc-${textEncoding}@verwijsindex.example>`,
        });
        const m = await sink.waitFor((x) => x.messageId === `<enc-${textEncoding}@verwijsindex.example>`);
        expect(m.subject).toBe(`Codering ${textEncoding}: ë ï`);
        expect(m.text.trimEnd()).toBe(`Tekst in ${textEncoding}: één, ëï, ö.`);
      }
    } finally {
      raw.close();
    }
  });

  it("accepts any credentials, so a mailer configured with SMTP_USER/SMTP_PASS works against it", async () => {
    const withAuth = createMailer({ host: "127.0.0.1", port: sink.smtpPort, from: FROM, user: "gebruiker", pass: "wachtwoord" });
    try {
      expect(await withAuth.verify()).toBe(true);
      await withAuth.send({ to: "a@b.example", subject: "Met inloggen", text: "x", messageId: "<auth-1@verwijsindex.example>" });
      await sink.waitFor((x) => x.messageId === "<auth-1@verwijsindex.example>");
    } finally {
      await withAuth.close();
    }
  });

  it("a match mail over SMTP carries the link and no BSN-like number and no person's name", async () => {
    const content = matchMail({ soort: "gezin", gemeenteNaam: "Zaanstad", link: "http://localhost:8479/" });
    const messageId = mailMessageId("match", "3f0e6f8a-1b2c-5d3e-8f4a-5b6c7d8e9f00", "jgz@ggd.example");
    await mailer.send({ to: "jgz@ggd.example", ...content, messageId });
    const m = await sink.waitFor((x) => x.messageId === messageId);
    expect(m.subject).toBe("Nieuwe gezinsmatch in de Verwijsindex");
    expect(m.text).toContain("Log in op http://localhost:8479/");
    const names = [...demoPersons("2026-01-01").flatMap((p) => [volledigeNaam(p), p.voornamen]), ...DEMO_ACCOUNTS.map((a) => a.naam)];
    for (const part of [m.subject, m.text, m.html ?? ""]) {
      expect(part).not.toMatch(/(?<!\d)\d{9}(?!\d)/);
      for (const n of names) expect(part).not.toMatch(new RegExp(`\\b${n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\b`));
    }
  });

  it("a verhuizing mail for the matchregisseur arrives as sent", async () => {
    const content = verhuizingMail({ naarGemeenteNaam: "Edam-Volendam", link: "http://localhost:8385/", voorMatchregisseur: true });
    await mailer.send({ to: "matchregie@edam-volendam.example", ...content, messageId: "<verhuizing-1@verwijsindex.example>" });
    const m = await sink.waitFor((x) => x.to.includes("matchregie@edam-volendam.example"));
    expect(m.subject).toBe(content.subject);
    expect(m.text.trimEnd()).toBe(content.text.trimEnd());
  });

  it("the pooled mailer delivers many messages sent at once, each once", async () => {
    const ids = Array.from({ length: 25 }, (_, i) => `<pool-${i}@verwijsindex.example>`);
    await Promise.all(ids.map((messageId, i) => mailer.send({ to: `p${i}@school.example`, subject: `Bericht ${i}`, text: `nummer ${i}`, messageId })));
    await sink.waitFor(() => sink.messages().length >= ids.length);
    const got = sink.messages().map((m) => m.messageId);
    expect(new Set(got)).toEqual(new Set(ids));
    expect(got).toHaveLength(ids.length);
  });
});

describe("waitFor", () => {
  it("resolves for a message already received and for one that arrives later", async () => {
    await mailer.send({ to: "eerst@school.example", subject: "Eerst", text: "1", messageId: "<w-1@verwijsindex.example>" });
    await sink.waitFor((m) => m.subject === "Eerst");
    expect((await sink.waitFor((m) => m.subject === "Eerst", 10)).to).toEqual(["eerst@school.example"]);

    const later = sink.waitFor((m) => m.subject === "Later", 5000);
    setTimeout(() => void mailer.send({ to: "later@school.example", subject: "Later", text: "2", messageId: "<w-2@verwijsindex.example>" }), 50);
    expect((await later).to).toEqual(["later@school.example"]);
  });

  it("rejects after the timeout when nothing matches, and when the predicate throws", async () => {
    await expect(sink.waitFor((m) => m.subject === "Nooit", 100)).rejects.toThrow(/Geen passende e-mail/);
    await mailer.send({ to: "x@school.example", subject: "Iets", text: "3", messageId: "<w-3@verwijsindex.example>" });
    await expect(
      sink.waitFor(() => {
        throw new Error("kapot predicaat");
      }, 2000),
    ).rejects.toThrow(/kapot predicaat/);
  });
});

describe("clearing and the HTML page", () => {
  it("clear() and DELETE /api/berichten forget all messages", async () => {
    await mailer.send({ to: "a@school.example", subject: "Een", text: "1", messageId: "<c-1@verwijsindex.example>" });
    await sink.waitFor((m) => m.subject === "Een");
    sink.clear();
    expect(sink.messages()).toEqual([]);

    await mailer.send({ to: "a@school.example", subject: "Twee", text: "2", messageId: "<c-2@verwijsindex.example>" });
    await sink.waitFor((m) => m.subject === "Twee");
    const del = await api("/api/berichten", { method: "DELETE" });
    expect(del.status).toBe(204);
    expect(await (await api("/api/berichten")).json()).toEqual([]);
    expect(sink.messages()).toEqual([]);
  });

  it("GET / lists the messages newest first, in Dutch, with the content escaped", async () => {
    await mailer.send({ to: "a@school.example", subject: "Oudste bericht", text: "x", messageId: "<h-1@verwijsindex.example>" });
    await sink.waitFor((m) => m.subject === "Oudste bericht");
    await mailer.send({ to: "a@school.example", subject: "Nieuwste <script>alert(1)</script>", text: "y", messageId: "<h-2@verwijsindex.example>" });
    await sink.waitFor((m) => m.subject.startsWith("Nieuwste"));
    const res = await api("/");
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toContain('<html lang="nl">');
    expect(html).toContain("ontvangen e-mails");
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).toContain("Nieuwste &lt;script&gt;");
    expect(html.indexOf("Nieuwste")).toBeLessThan(html.indexOf("Oudste bericht"));

    const wissen = await api("/wissen", { method: "POST", redirect: "manual" });
    expect(wissen.status).toBe(303);
    expect(await (await api("/")).text()).toContain("Nog geen e-mails ontvangen.");
  });
});

describe("limits", () => {
  it("keeps at most maxMessages and refuses a message over maxMessageBytes", async () => {
    const small = await startSmtpSink({ smtpPort: 0, httpPort: 0, maxMessages: 2, maxMessageBytes: 2000 });
    const m = createMailer({ host: "127.0.0.1", port: small.smtpPort, from: FROM });
    try {
      for (const i of [1, 2, 3]) await m.send({ to: "a@school.example", subject: `L${i}`, text: "kort", messageId: `<l-${i}@verwijsindex.example>` });
      expect(small.messages().map((x) => x.subject)).toEqual(["L2", "L3"]);
      expect(small.messages().map((x) => x.id)).toEqual([2, 3]);
      await expect(m.send({ to: "a@school.example", subject: "Groot", text: "x".repeat(5000), messageId: "<l-4@verwijsindex.example>" })).rejects.toThrow();
      expect(small.messages().map((x) => x.subject)).toEqual(["L2", "L3"]);
    } finally {
      await m.close();
      await small.close();
    }
  });

  it("fails to start on a port that is taken", async () => {
    await expect(startSmtpSink({ smtpPort: sink.smtpPort, httpPort: 0 })).rejects.toThrow(/EADDRINUSE/);
  });
});
