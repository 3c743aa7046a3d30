import { BrpError } from "@vi/brp";
import type { DomainError } from "@vi/domain";
import { Problem, problemOf } from "../problems";

/** A domain rule said no: the same code and Dutch message reach the user. */
export function domainProblem(error: DomainError): Problem {
  return problemOf(error.code, error.detail, error.field);
}

/** Runs a BRP call, translating its failures into the node's vocabulary. */
export async function fromBrp<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (e instanceof BrpError) {
      throw e.code === "BRP_ONBEREIKBAAR"
        ? new Problem("BRP_ONBEREIKBAAR", "De BRP is op dit moment niet bereikbaar. Probeer het over enkele minuten opnieuw.")
        : new Problem("BRP_FOUT", "De BRP gaf een onverwachte fout. Probeer het later opnieuw; blijft het misgaan, neem contact op met de beheerder.");
    }
    throw e;
  }
}

/** PostgreSQL unique violation (also raised by PGlite). */
export function isUniqueViolation(e: unknown): boolean {
  for (let cur: unknown = e; cur && typeof cur === "object"; cur = (cur as { cause?: unknown }).cause) {
    if ((cur as { code?: unknown }).code === "23505") return true;
  }
  return false;
}
