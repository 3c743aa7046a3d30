/**
 * The secure mail of an inzage: no personal data (no name, no BSN, no
 * organisation), only a link that expires and the instruction to use the
 * code the professional gives separately.
 */
import { randomUUID } from "node:crypto";
import { escapeHtml, type Mailer, mailMessageId } from "@vi/mail";

/** `until` is the link's expiry in words ("8 december 2026 om 10:00"). */
export function inzageMailContent(link: string, until: string, regio: string): { subject: string; text: string; html: string } {
  const paragraphs = [
    "Beste ouder, verzorger of jongere,",
    `Een professional heeft u een overzicht gestuurd van wat de verwijsindex ${regio} bevat. Om het te openen hebt u een code nodig. Die code krijgt u apart van de professional, bijvoorbeeld telefonisch; hij staat niet in deze e-mail.`,
    `Open de link en vul de code in. De link werkt tot ${until}; daarna is hij verlopen.`,
  ];
  const text = [...paragraphs, link, "", "Hebt u deze e-mail niet verwacht? Dan kunt u hem verwijderen.", `Verwijsindex ${regio}`].join("\n\n");
  const html = `<!doctype html><html lang="nl"><body>${paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join("")}<p><a href="${escapeHtml(link)}">Open het overzicht</a></p><p>Hebt u deze e-mail niet verwacht? Dan kunt u hem verwijderen.</p><p>Verwijsindex ${escapeHtml(regio)}</p></body></html>`;
  return { subject: `Een overzicht uit de verwijsindex ${regio} staat voor u klaar`, text, html };
}

export async function sendInzageMail(mailer: Mailer, to: string, link: string, until: string, regio: string): Promise<void> {
  const content = inzageMailContent(link, until, regio);
  await mailer.send({ to, ...content, messageId: mailMessageId("inzage", randomUUID(), to) });
}
