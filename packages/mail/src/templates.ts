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

export interface HerinneringMailInput {
  soort: "client" | "gezin";
  /** The region's number of days without contact. */
  dagen: number;
  /** Name of the gemeente whose node sends the mail. */
  gemeenteNaam: string;
  /** Where the professional logs in. */
  link: string;
}

/** "A match of yours still has no contact recorded" (matchregie): sent once per match and professional. */
export function herinneringMail(input: HerinneringMailInput): MailContent {
  const gemeente = checkGemeenteNaam(input.gemeenteNaam, "gemeenteNaam");
  const link = checkLink(input.link);
  if (input.soort !== "client" && input.soort !== "gezin") throw new Error(`Onbekende soort match: ${String(input.soort)}`);
  if (!Number.isInteger(input.dagen) || input.dagen < 1 || input.dagen > 3650) throw new Error("Ongeldig aantal dagen voor een e-mail.");
  return compose({
    subject: "Herinnering: nog geen contact bij een match in de Verwijsindex",
    paragraphs: [
      "Beste professional,",
      `${input.dagen} dagen of langer geleden kreeg u een ${input.soort === "client" ? "match" : "gezinsmatch"} in de Verwijsindex. Er is nog niet vastgelegd dat u en de andere professional contact met elkaar hebben gehad. De matchregisseur van de gemeente ziet dit ook.`,
      {
        before: "Log in op ",
        link,
        after: " om te zien om wie het gaat, neem contact op met de andere professional en leg de stand van zaken vast bij de match.",
      },
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
        `Een jeugdige over wie een of meer signalen in de Verwijsindex staan, is verhuisd naar de gemeente ${naar}. De signalen zijn overgedragen aan de verwijsindex van uw gemeente; hun matches staan nu in uw matchregie.`,
        { before: "Log in op ", link, after: " en open Matchregie om de matches en de betrokken organisaties te zien en de opvolging te regelen." },
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

export interface PatroonMailInput {
  /** The professional's work address and organisation, so the convenantmanager can reach them; nothing about any youth. */
  professionalEmail: string;
  organisatieNaam: string;
  /** Name of the gemeente whose node refused, e.g. "Amsterdam". */
  gemeenteNaam: string;
  maxJeugdigen: number;
  vensterMinuten: number;
}

/**
 * To the region's convenantmanager: a professional reached the bound on registrations on different youths in a
 * short time (an unusual pattern, docs/adr/0025) and further ones are refused. It names the professional (their
 * work address and organisation: the convenantmanager must be able to act) and nothing about any youth.
 */
export function patroonMail(input: PatroonMailInput): MailContent {
  const gemeente = checkGemeenteNaam(input.gemeenteNaam, "gemeenteNaam");
  const email = input.professionalEmail.trim();
  if (!/^[^\s@<>]+@[^\s@<>]+$/.test(email) || email.length > 320) throw new Error("Ongeldig e-mailadres van de professional voor een e-mail.");
  const organisatie = input.organisatieNaam.trim();
  if (!organisatie || organisatie.length > 200 || /[<>\r\n]/.test(organisatie)) throw new Error("Ongeldige organisatienaam voor een e-mail.");
  if (!Number.isInteger(input.maxJeugdigen) || input.maxJeugdigen < 1) throw new Error("Ongeldig maximum voor een e-mail.");
  if (!Number.isFinite(input.vensterMinuten) || input.vensterMinuten <= 0) throw new Error("Ongeldig venster voor een e-mail.");
  return compose({
    subject: "Ongebruikelijk patroon in de Verwijsindex",
    paragraphs: [
      "Beste convenantmanager,",
      `De professional ${email} van ${organisatie} heeft bij de verwijsindex van de gemeente ${gemeente} binnen ${input.vensterMinuten} minuten signalen afgegeven over ${input.maxJeugdigen} verschillende jeugdigen, de grens die de regio heeft ingesteld. Verdere signalen over nog andere jeugdigen worden geweigerd tot het venster verstreken is.`,
      "Ga na of dit bij het werk van deze professional past. Zo niet, neem dan contact op met de organisatie en trek zo nodig de aanwijzing (signaleringsbevoegdheid) in via het register. De weigeringen staan in het auditlog van de node (registratie.geweigerd, patroon.gemeld).",
      "In deze e-mail staan geen gegevens van jeugdigen. U krijgt over deze professional hoogstens één bericht per venster.",
    ],
    sender: `${SIGNATURE_APP} gemeente ${gemeente}`,
  });
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
