/**
 * Domain errors: stable UPPER_SNAKE codes for machines, a Dutch `detail` for
 * the professional who has to act on it, and optionally the input field that
 * caused it.
 *
 * Expected, user-facing refusals are returned as a `Result`, never thrown.
 * Programmer errors (a malformed ISO date passed in, a negative age, an
 * inconsistent record) throw a `RangeError`: the HTTP layer validates input
 * formats (see `isIsoDate`, `isValidBsn`) before calling the domain.
 */

export type DomainErrorCode =
  | "BSN_ONGELDIG"
  | "JEUGDIGE_TE_OUD"
  | "JEUGDIGE_OVERLEDEN"
  | "GEBOORTEDATUM_ONBEKEND"
  | "EINDDATUM_IN_VERLEDEN"
  | "EINDDATUM_TE_VER"
  | "EINDDATUM_NA_23"
  | "EINDDATUM_NIET_LATER"
  | "REDEN_NIET_GEINFORMEERD_ONTBREEKT"
  | "REDEN_NIET_GEINFORMEERD_ONGELDIG"
  | "GEINFORMEERD_ONVOLLEDIG"
  | "GEINFORMEERD_OP_IN_TOEKOMST"
  | "GEINFORMEERD_TEGENSTRIJDIG"
  | "SIGNAAL_NIET_ACTIEF"
  | "INZAGE_GEHEIM_ADRES"
  | "INZAGE_BUITEN_REGIO"
  | "INZAGE_TOESTEMMING_JEUGDIGE_NODIG"
  | "INZAGE_JEUGDIGE_TE_JONG"
  | "NIET_SIGNALERINGSBEVOEGD"
  | "DOMEIN_NIET_TOEGESTAAN"
  | "JEUGDIGE_ANDERE_GEMEENTE"
  | "JEUGDIGE_BUITEN_REGIO"
  | "FEITEN_ONGELDIG";

/** Every code, in declaration order (handy for exhaustive mappings and tests). */
export const DOMAIN_ERROR_CODES: readonly DomainErrorCode[] = [
  "BSN_ONGELDIG",
  "JEUGDIGE_TE_OUD",
  "JEUGDIGE_OVERLEDEN",
  "GEBOORTEDATUM_ONBEKEND",
  "EINDDATUM_IN_VERLEDEN",
  "EINDDATUM_TE_VER",
  "EINDDATUM_NA_23",
  "EINDDATUM_NIET_LATER",
  "REDEN_NIET_GEINFORMEERD_ONTBREEKT",
  "REDEN_NIET_GEINFORMEERD_ONGELDIG",
  "GEINFORMEERD_ONVOLLEDIG",
  "GEINFORMEERD_OP_IN_TOEKOMST",
  "GEINFORMEERD_TEGENSTRIJDIG",
  "SIGNAAL_NIET_ACTIEF",
  "INZAGE_GEHEIM_ADRES",
  "INZAGE_BUITEN_REGIO",
  "INZAGE_TOESTEMMING_JEUGDIGE_NODIG",
  "INZAGE_JEUGDIGE_TE_JONG",
  "NIET_SIGNALERINGSBEVOEGD",
  "DOMEIN_NIET_TOEGESTAAN",
  "JEUGDIGE_ANDERE_GEMEENTE",
  "JEUGDIGE_BUITEN_REGIO",
  "FEITEN_ONGELDIG",
];

export interface DomainError {
  code: DomainErrorCode;
  /** Dutch, written for the professional: what is wrong and what to do. */
  detail: string;
  /** The input field the error is about, when there is one. */
  field?: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: DomainError };

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function fail(code: DomainErrorCode, detail: string, field?: string): { ok: false; error: DomainError } {
  const error: DomainError = field === undefined ? { code, detail } : { code, detail, field };
  return { ok: false, error };
}
