/** The pseudonym service's refusals as they travel in an RPC reply (code, status, Dutch detail). */
export type PseudonymProblemCode =
  | "NIET_TOEGESTAAN"
  | "ELEMENT_ONGELDIG"
  | "SLEUTELVERSIE_ONBEKEND"
  | "LAATSTE_SLEUTELVERSIE"
  | "ROTATIE_LOOPT_AL"
  | "INTERNE_FOUT";

const STATUS: Record<PseudonymProblemCode, number> = {
  NIET_TOEGESTAAN: 403,
  ELEMENT_ONGELDIG: 400,
  SLEUTELVERSIE_ONBEKEND: 404,
  LAATSTE_SLEUTELVERSIE: 409,
  ROTATIE_LOOPT_AL: 409,
  INTERNE_FOUT: 500,
};

export class PseudonymProblem extends Error {
  override readonly name = "PseudonymProblem";
  readonly status: number;
  constructor(
    readonly code: PseudonymProblemCode,
    detail: string,
  ) {
    super(detail);
    this.status = STATUS[code];
  }
}
