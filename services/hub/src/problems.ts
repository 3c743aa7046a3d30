/**
 * The error vocabulary of the hub's HTTP API, rendered as Problem Details
 * (RFC 9457, application/problem+json) by the app's onError.
 */
export const PROBLEMS = {
  NIET_GEVONDEN: { status: 404, title: "Niet gevonden" },
  METHODE_NIET_TOEGESTAAN: { status: 405, title: "Methode niet toegestaan" },
  NIET_GEREED: { status: 503, title: "Dienst nog niet gereed" },
  INTERNE_FOUT: { status: 500, title: "Interne fout" },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof PROBLEMS;

export class Problem extends Error {
  readonly status: number;
  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
  ) {
    super(detail);
    this.status = PROBLEMS[code].status;
  }

  toJSON(instance?: string) {
    return {
      type: `https://verwijsindex.example/problemen/${this.code.toLowerCase().replaceAll("_", "-")}`,
      title: PROBLEMS[this.code].title,
      status: this.status,
      detail: this.detail,
      code: this.code,
      ...(instance ? { instance } : {}),
    };
  }
}
