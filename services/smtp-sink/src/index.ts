/** @vi/smtp-sink: a local SMTP sink for development and tests (SMTP in, JSON and a Dutch HTML page out). */
export { startSmtpSink, MailStore, type ReceivedMail, type SmtpSink, type SmtpSinkOptions, type SinkLogger } from "./sink";
export { createSinkApp } from "./app";
export { parseMail, decodeWords, decodeQuotedPrintable, type ParsedMail } from "./parse";
