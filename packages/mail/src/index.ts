/**
 * @vi/mail: e-mail notifications of the verwijsindex.
 *
 * Templates (Dutch) that carry no personal data: no BSN, no youth's name, no
 * professional's name; only "log in at <link>". And a pooled SMTP mailer.
 */
export { createMailer, mailMessageId, MESSAGE_ID_DOMAIN, type Mailer, type MailConfig, type OutgoingMail } from "./mailer";
export {
  matchMail,
  patroonMail,
  herinneringMail,
  overdrachtMail,
  verhuizingMail,
  escapeHtml,
  NINE_DIGITS,
  type MailContent,
  type MatchMailInput,
  type PatroonMailInput,
  type HerinneringMailInput,
  type OverdrachtMailInput,
  type VerhuizingMailInput,
} from "./templates";
