import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS, GEMEENTEN, demoPersons, volledigeNaam } from "@vi/demo";
import { createMailer, herinneringMail, mailMessageId, matchMail, verhuizingMail, type MailContent } from "@vi/mail";

const LINK = "http://localhost:8363/";
const FROM = "Verwijsindex Regio Amsterdam <noreply@verwijsindex.example>";

/** Every way a person could be named in a mail: demo youths and parents (full and first names), demo professionals. */
function personNames(): string[] {
  const persons = demoPersons("2026-01-01");
  return [...persons.map((p) => volledigeNaam(p)), ...persons.map((p) => p.voornamen), ...DEMO_ACCOUNTS.map((a) => a.naam)];
}

function expectNoPersonalData(m: MailContent) {
  for (const part of [m.subject, m.text, m.html]) {
    expect(part).not.toMatch(/(?<!\d)\d{9}(?!\d)/);
    for (const name of personNames()) expect(part).not.toMatch(new RegExp(`\\b${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\b`));
  }
}

describe("matchMail", () => {
  it("tells a client match in Dutch, with the login link and nothing about the youth", () => {
    const m = matchMail({ soort: "client", gemeenteNaam: "Amsterdam", link: LINK });
    expect(m.subject).toBe("Nieuwe match in de Verwijsindex");
    expect(m.text).toContain("nieuwe match");
    expect(m.text).toContain(`Log in op ${LINK}`);
    expect(m.text).toContain("gemeente Amsterdam");
    expect(m.html).toContain(`<a href="${LINK}">`);
    expect(m.html).toContain('<html lang="nl">');
    expect(m.text).not.toMatch(/gezin/);
    expectNoPersonalData(m);
  });

  it("tells a family match without saying which youth", () => {
    const m = matchMail({ soort: "gezin", gemeenteNaam: "Zaanstad", link: "http://localhost:8479/" });
    expect(m.subject).toBe("Nieuwe gezinsmatch in de Verwijsindex");
    expect(m.text).toContain("hetzelfde gezin");
    expect(m.text).toContain("http://localhost:8479/");
    expect(m.text).not.toEqual(matchMail({ soort: "client", gemeenteNaam: "Zaanstad", link: "http://localhost:8479/" }).text);
    expectNoPersonalData(m);
  });

  it("works for every gemeente of the region, including names with a hyphen", () => {
    for (const g of GEMEENTEN) {
      const m = matchMail({ soort: "client", gemeenteNaam: g.naam, link: `http://localhost:${g.port}/` });
      expect(m.text).toContain(`gemeente ${g.naam}`);
      expectNoPersonalData(m);
    }
  });

  it("refuses a link that carries a BSN-like number, credentials or a non-http scheme", () => {
    expect(() => matchMail({ soort: "client", gemeenteNaam: "Amsterdam", link: "http://localhost:8363/?bsn=999900018" })).toThrow(/negen cijfers/);
    expect(() => matchMail({ soort: "client", gemeenteNaam: "Amsterdam", link: "http://user:pw@localhost:8363/" })).toThrow(/inloggegevens/);
    expect(() => matchMail({ soort: "client", gemeenteNaam: "Amsterdam", link: "javascript:alert(1)" })).toThrow(/http/);
    expect(() => matchMail({ soort: "client", gemeenteNaam: "Amsterdam", link: "/relatief" })).toThrow(/URL/);
  });

  it("refuses a gemeente name that is not a name (nine digits, markup), tolerates a CBS code", () => {
    expect(matchMail({ soort: "client", gemeenteNaam: "GM0363", link: LINK }).text).toContain("gemeente GM0363");
    expect(() => matchMail({ soort: "client", gemeenteNaam: "999900018", link: LINK })).toThrow();
    expect(() => verhuizingMail({ naarGemeenteNaam: "Haarlem 999900018", link: LINK, voorMatchregisseur: false })).toThrow();
    expect(() => matchMail({ soort: "client", gemeenteNaam: "<script>x</script>", link: LINK })).toThrow();
    expect(() => matchMail({ soort: "client", gemeenteNaam: " ", link: LINK })).toThrow();
    expect(() => matchMail({ soort: "other" as "client", gemeenteNaam: "Amsterdam", link: LINK })).toThrow(/soort/);
  });

  it("normalises and escapes the link in HTML", () => {
    const m = matchMail({ soort: "client", gemeenteNaam: "Amsterdam", link: 'http://localhost:8363/?a="><b>&c=1' });
    expect(m.html).not.toContain('"><b>');
    expect(m.html).toContain('href="http://localhost:8363/?a=%22%3E%3Cb%3E&amp;c=1"');
    expect(m.text).toContain("http://localhost:8363/?a=%22%3E%3Cb%3E&c=1");
  });
});

describe("verhuizingMail", () => {
  it("tells a professional that the youth moved and where to log in", () => {
    const m = verhuizingMail({ naarGemeenteNaam: "Ouder-Amstel", link: "http://localhost:8437/", voorMatchregisseur: false });
    expect(m.subject).toBe("Verhuizing van een jeugdige in de Verwijsindex");
    expect(m.text).toMatch(/^Beste professional,/);
    expect(m.text).toContain("verhuisd naar de gemeente Ouder-Amstel");
    expect(m.text).toContain("Log in op http://localhost:8437/");
    expectNoPersonalData(m);
  });

  it("tells the new gemeente's matchregisseur differently", () => {
    const m = verhuizingMail({ naarGemeenteNaam: "Diemen", link: "http://localhost:8384/", voorMatchregisseur: true });
    expect(m.text).toMatch(/^Beste matchregisseur,/);
    expect(m.text).toContain("uw gemeente");
    expect(m.text).toContain("Matchregie");
    expect(m.text).not.toEqual(verhuizingMail({ naarGemeenteNaam: "Diemen", link: "http://localhost:8384/", voorMatchregisseur: false }).text);
    expectNoPersonalData(m);
  });
});

describe("herinneringMail", () => {
  it("reminds a professional that no contact is recorded for a match, without saying who", () => {
    const m = herinneringMail({ soort: "client", dagen: 14, gemeenteNaam: "Amsterdam", link: "http://localhost:8080/matches" });
    expect(m.subject).toBe("Herinnering: nog geen contact bij een match in de Verwijsindex");
    expect(m.text).toMatch(/^Beste professional,/);
    expect(m.text).toContain("14 dagen of langer geleden kreeg u een match");
    expect(m.text).toContain("De matchregisseur van de gemeente ziet dit ook.");
    expect(m.text).toContain("Log in op http://localhost:8080/matches");
    expectNoPersonalData(m);
  });

  it("refuses a number of days that is not one", () => {
    expect(() => herinneringMail({ soort: "gezin", dagen: 0, gemeenteNaam: "Amsterdam", link: "http://localhost:8080/" })).toThrow(/dagen/);
  });
});

describe("mailMessageId", () => {
  it("is deterministic per (kind, id, address), ignores case and does not reveal the address", () => {
    const a = mailMessageId("match", "0b9f3c1e-7d1a-5c2e-9a4b-1f2e3d4c5b6a", "IB@Buurtschool.example");
    expect(a).toBe(mailMessageId("match", "0b9f3c1e-7d1a-5c2e-9a4b-1f2e3d4c5b6a", " ib@buurtschool.example "));
    expect(a).toMatch(/^<match-0b9f3c1e-7d1a-5c2e-9a4b-1f2e3d4c5b6a-[0-9a-f]{16}@verwijsindex\.example>$/);
    expect(a).not.toContain("buurtschool");
    expect(a).not.toBe(mailMessageId("match", "0b9f3c1e-7d1a-5c2e-9a4b-1f2e3d4c5b6a", "jgz@ggd.example"));
    expect(a).not.toBe(mailMessageId("verhuizing", "0b9f3c1e-7d1a-5c2e-9a4b-1f2e3d4c5b6a", "ib@buurtschool.example"));
  });

  it("rejects ids that would break the header", () => {
    expect(() => mailMessageId("match", "a>b", "x@y.example")).toThrow();
    expect(() => mailMessageId("Match!", "a", "x@y.example")).toThrow();
  });
});

describe("createMailer (without a server)", () => {
  it("rejects an incomplete configuration", () => {
    expect(() => createMailer({ host: "", port: 25, from: FROM })).toThrow(/host/);
    expect(() => createMailer({ host: "localhost", port: 0, from: FROM })).toThrow(/port/);
    expect(() => createMailer({ host: "localhost", port: 25, from: "" })).toThrow(/from/);
    expect(() => createMailer({ host: "localhost", port: 25, from: FROM, user: "u" })).toThrow(/user/);
  });

  it("refuses, before connecting, a list of recipients, a folded subject, a bad Message-ID or a nine-digit number", async () => {
    const mailer = createMailer({ host: "127.0.0.1", port: 9, from: FROM });
    const ok = { to: "ib@buurtschool.example", subject: "Onderwerp", text: "Tekst", messageId: "<a-1@verwijsindex.example>" };
    await expect(mailer.send({ ...ok, to: "a@b.example, c@d.example" })).rejects.toThrow(/recipient/);
    await expect(mailer.send({ ...ok, subject: "a\r\nBcc: x@y.example" })).rejects.toThrow(/subject/);
    await expect(mailer.send({ ...ok, messageId: "geen-id" })).rejects.toThrow(/Message-ID/);
    await expect(mailer.send({ ...ok, text: "Het gaat om 999900018." })).rejects.toThrow(/nine digits/);
    await expect(mailer.send({ ...ok, html: "<p>999900018</p>" })).rejects.toThrow(/nine digits/);
    await mailer.close();
  });

  it("verify() is false when nothing listens on the port", async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, "127.0.0.1", () => {
        const p = (s.address() as AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const mailer = createMailer({ host: "127.0.0.1", port, from: FROM });
    expect(await mailer.verify()).toBe(false);
    await mailer.close();
  });
});
