import { ProblemDetails } from "../schemas";

const problem = (description: string) => ({ description, content: { "application/problem+json": { schema: ProblemDetails } } });

/** The error answers every authenticated route can give. */
export const commonErrors = {
  400: problem("Ongeldig verzoek (JSON, velden, typen)."),
  401: problem("Niet aangemeld of token ongeldig/verlopen."),
  403: problem("Niet aangesloten of niet bevoegd."),
  413: problem("Verzoek te groot."),
  415: problem("Geen JSON."),
  503: problem("BRP of database niet bereikbaar."),
};

export const notFound = { 404: problem("Geen eigen signaal met dit kenmerk.") };
export const unprocessable = { 422: problem("Het verzoek botst met een regel (BSN, leeftijd, einddatum, inzage).") };
export const conflict = { 409: problem("Er is al een actief signaal van u op deze jeugdige.") };
