/**
 * The e-mails the verwijsindex sends. They say only *that* something happened
 * and where to log in: never a BSN, never the youth's name, never the other
 * professional's name. Who it is about is shown only after login, where every
 * read is logged.
 */

export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

/** A run of exactly nine digits (a BSN has nine). Used to refuse any input or output that could carry one. */
export const NINE_DIGITS = /(?<!\d)\d{9}(?!\d)/;

const SIGNATURE_APP = "Verwijsindex";
const AUTOMATIC = "Dit is een automatisch bericht. U kunt niet op deze e-mail antwoorden.";
const PRIVACY = "Om de privacy van de jeugdige te beschermen staan er in deze e-mail geen namen of andere persoonsgegevens.";

export interface MatchMailInput {
  soort: "client" | "gezin";
  /** Name of the gemeente whose node sends the mail, e.g. "Amsterdam". */
  gemeenteNaam: string;
  /** Where the professional logs in, e.g. the node's application http://localhost:8363/. */
  link: string;
}

export interface VerhuizingMailInput {
  /** Name of the gemeente the youth moved to. */
  naarGemeenteNaam: string;
  /** Where the recipient logs in. */
  link: string;
  /** true: the mail goes to the new gemeente's matchregisseur; false: to a professional with a signal. */
  voorMatchregisseur: boolean;
}

/** "There is a new match; log in to see who." */
export function matchMail(input: MatchMailInput): MailContent {
  const gemeente = checkGemeenteNaam(input.gemeenteNaam, "gemeenteNaam");
  const link = checkLink(input.link);
  if (input.soort !== "client" && input.soort !== "gezin") throw new Error(`Onbekende soort match: ${String(input.soort)}`);
  const wat =
    input.soort === "client"
      ? "Een andere professional heeft een signaal afgegeven over een jeugdige over wie u ook een signaal heeft afgegeven."
      : "Een andere professional heeft een signaal afgegeven over een jeugdige uit hetzelfde gezin of van hetzelfde woonadres als een jeugdige over wie u een signaal heeft afgegeven.";
  const subject = input.soort === "client" ? "Nieuwe match in de Verwijsindex" : "Nieuwe gezinsmatch in de Verwijsindex";
  return compose({
    subject,
    paragraphs: [
      "Beste professional,",
      `Er is een nieuwe match in de Verwijsindex. ${wat}`,
      { before: "Log in op ", link, after: " om te zien om wie het gaat en wie de andere professional is, zodat u contact met elkaar kunt opnemen." },
      PRIVACY,
    ],
    sender: `${SIGNATURE_APP} gemeente ${gemeente}`,
  });
}

/** "A youth with your signal moved" (professional) or "a youth with signals moved to your gemeente" (matchregisseur). */
export function verhuizingMail(input: VerhuizingMailInput): MailContent {
  const naar = checkGemeenteNaam(input.naarGemeenteNaam, "naarGemeenteNaam");
  const link = checkLink(input.link);
  const paragraphs: Paragraph[] = input.voorMatchregisseur
    ? [
        "Beste matchregisseur,",
        `Een jeugdige over wie een of meer signalen in de Verwijsindex staan, is verhuisd naar de gemeente ${naar}. De signalen zijn overgedragen aan de verwijsindex van uw gemeente.`,
        { before: "Log in op ", link, after: " om te zien om wie het gaat en welke matches er zijn." },
        PRIVACY,
      ]
    : [
        "Beste professional,",
        `Een jeugdige over wie u een signaal heeft afgegeven, is verhuisd naar de gemeente ${naar}. Uw signaal is overgedragen aan de verwijsindex van die gemeente en blijft geldig tot de einddatum.`,
        { before: "Log in op ", link, after: " om te zien om wie het gaat." },
        PRIVACY,
      ];
  return compose({ subject: "Verhuizing van een jeugdige in de Verwijsindex", paragraphs, sender: `${SIGNATURE_APP} regio Amsterdam` });
}

export interface OverdrachtMailInput {
  /** Name of the gemeente whose node sends the mail. */
  gemeenteNaam: string;
  /** How many active signals were handed over. */
  aantal: number;
  link: string;
}

/** "Your coordinator handed a leaving colleague's signals to you." */
export function overdrachtMail(input: OverdrachtMailInput): MailContent {
  const gemeente = checkGemeenteNaam(input.gemeenteNaam, "gemeenteNaam");
  const link = checkLink(input.link);
  const aantal = Number.isInteger(input.aantal) && input.aantal >= 0 ? input.aantal : 0;
  return compose({
    subject: "Signalen aan u overgedragen in de Verwijsindex",
    paragraphs: [
      "Beste professional,",
      `De coördinator van uw organisatie heeft ${aantal === 1 ? "1 actief signaal" : `${aantal} actieve signalen`} van een collega die vertrekt aan u overgedragen. U bent nu de contactpersoon voor deze jeugdigen en hun matches.`,
      { before: "Log in op ", link, after: " om te zien om wie het gaat." },
      PRIVACY,
    ],
    sender: `${SIGNATURE_APP} gemeente ${gemeente}`,
  });
}

type Paragraph = string | { before: string; link: string; after: string };

function compose(m: { subject: string; paragraphs: Paragraph[]; sender: string }): MailContent {
  const textParas = m.paragraphs.map((p) => (typeof p === "string" ? p : `${p.before}${p.link}${p.after}`));
  const text = `${[...textParas, `Met vriendelijke groet,\n${m.sender}`, AUTOMATIC].join("\n\n")}\n`;
  const htmlParas = m.paragraphs.map((p) =>
    typeof p === "string"
      ? `<p>${escapeHtml(p)}</p>`
      : `<p>${escapeHtml(p.before)}<a href="${escapeHtml(p.link)}">${escapeHtml(p.link)}</a>${escapeHtml(p.after)}</p>`,
  );
  const html = [
    "<!doctype html>",
    '<html lang="nl">',
    `<head><meta charset="utf-8"><title>${escapeHtml(m.subject)}</title></head>`,
    '<body style="font-family: sans-serif; line-height: 1.5">',
    ...htmlParas,
    `<p>Met vriendelijke groet,<br>${escapeHtml(m.sender)}</p>`,
    `<p style="color: #555; font-size: smaller">${escapeHtml(AUTOMATIC)}</p>`,
    "</body>",
    "</html>",
  ].join("\n");
  for (const part of [m.subject, text, html]) {
    // Defence in depth: the templates take no personal data, so this can only trip on a bad input.
    if (NINE_DIGITS.test(part)) throw new Error("E-mail geweigerd: de inhoud bevat een reeks van negen cijfers (mogelijk een BSN).");
  }
  return { subject: m.subject, text, html };
}

function checkGemeenteNaam(v: string, field: string): string {
  const s = typeof v === "string" ? v.trim() : "";
  // Gemeente names are letters, spaces, hyphens and apostrophes ('s-Hertogenbosch); a CBS code (GM0363) is
  // tolerated as a fallback. No markup, and never nine digits in a row.
  if (!s || s.length > 80 || !/^[\p{L}\d' .()-]+$/u.test(s) || NINE_DIGITS.test(s)) throw new Error(`Ongeldige ${field} voor een e-mail.`);
  return s;
}

function checkLink(v: string): string {
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw new Error("De link in een e-mail moet een volledige http(s)-URL zijn.");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error("De link in een e-mail moet een http(s)-URL zijn.");
  if (url.username || url.password) throw new Error("De link in een e-mail mag geen inloggegevens bevatten.");
  // A link must lead to the login page, never to a person: no BSN-like number anywhere in it.
  if (NINE_DIGITS.test(url.href)) throw new Error("De link in een e-mail mag geen reeks van negen cijfers bevatten.");
  return url.href;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}
