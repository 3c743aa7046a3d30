/**
 * Problem Details (RFC 9457, `application/problem+json`): the one error
 * vocabulary of every service. A service declares its closed list of codes
 * with `problemCatalog`, on top of the codes every service shares; a code
 * that is not in the list is a type error.
 */
import type { z } from "zod";

export interface ProblemSpec {
  status: number;
  /** Dutch, short. */
  title: string;
}

export interface InvalidParam {
  name: string;
  code: string;
  reason: string;
}

/** The codes every service can answer, whatever its own list. */
export const BASE_PROBLEMS = {
  JSON_ONGELDIG: { status: 400, title: "Ongeldige JSON" },
  VERZOEK_ONGELDIG: { status: 400, title: "Ongeldig verzoek" },
  NIET_GEVONDEN: { status: 404, title: "Niet gevonden" },
  ORIGIN_NIET_TOEGESTAAN: { status: 403, title: "Herkomst niet toegestaan" },
  TE_VEEL_VERZOEKEN: { status: 429, title: "Te veel verzoeken" },
  METHODE_NIET_TOEGESTAAN: { status: 405, title: "Methode niet toegestaan" },
  VERZOEK_TE_GROOT: { status: 413, title: "Verzoek te groot" },
  MEDIATYPE_NIET_ONDERSTEUND: { status: 415, title: "Mediatype niet ondersteund" },
  KOPTEKST_TE_GROOT: { status: 431, title: "Kopteksten te groot" },
  INTERNE_FOUT: { status: 500, title: "Interne fout" },
  NIET_GEREED: { status: 503, title: "Dienst nog niet gereed" },
  DIENST_ONBEREIKBAAR: { status: 503, title: "Dienst tijdelijk niet bereikbaar" },
} as const satisfies Record<string, ProblemSpec>;

export type BaseProblemCode = keyof typeof BASE_PROBLEMS;

export const PROBLEM_TYPE_BASE = "https://verwijsindex.example/problemen/";

export function problemType(code: string): string {
  return `${PROBLEM_TYPE_BASE}${code.toLowerCase().replaceAll("_", "-")}`;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  invalidParams?: InvalidParam[];
}

/** An answer of Problem Details; thrown anywhere in a request, rendered by the service's error handler. */
export class Problem<C extends string = string> extends Error {
  override readonly name = "Problem";
  /** Sent as `Retry-After` (a 429; a 503 without it gets the kit's default). */
  retryAfterSec?: number;
  constructor(
    readonly code: C,
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly invalidParams?: InvalidParam[],
  ) {
    super(detail);
  }

  toJSON(instance?: string): ProblemBody {
    return {
      type: problemType(this.code),
      title: this.title,
      status: this.status,
      detail: this.detail,
      code: this.code,
      ...(instance ? { instance } : {}),
      ...(this.invalidParams?.length ? { invalidParams: this.invalidParams } : {}),
    };
  }
}

export interface ProblemCatalog<C extends string> {
  readonly specs: Readonly<Record<C, ProblemSpec>>;
  readonly codes: readonly C[];
  /** A Problem of this service; `code` must be one of its codes. */
  problem(code: C, detail: string, invalidParams?: InvalidParam[]): Problem<C>;
  /** True when `code` is one of this service's codes (for codes that arrive as data). */
  has(code: string): code is C;
}

/** The closed list of a service's codes: the shared ones plus its own. */
export function problemCatalog<const T extends Record<string, ProblemSpec>>(own: T): ProblemCatalog<BaseProblemCode | (keyof T & string)> {
  type C = BaseProblemCode | (keyof T & string);
  const specs = { ...BASE_PROBLEMS, ...own } as Record<C, ProblemSpec>;
  return {
    specs,
    codes: Object.keys(specs) as C[],
    problem(code, detail, invalidParams) {
      const spec = specs[code];
      return new Problem(code, spec.status, spec.title, detail, invalidParams);
    },
    has(code): code is C {
      return Object.hasOwn(specs, code);
    },
  };
}

const BASE = problemCatalog({});

/** The catalogue of the shared codes alone (the kit's own routes). */
export const BASE_CATALOG: ProblemCatalog<BaseProblemCode> = BASE;

/** A Problem with one of the shared codes (the kit's own answers). */
export function baseProblem(code: BaseProblemCode, detail: string, invalidParams?: InvalidParam[]): Problem<BaseProblemCode> {
  return BASE.problem(code, detail, invalidParams);
}

const ISSUE_REASONS: Record<string, string> = {
  invalid_type: "Verkeerd type of ontbrekend veld.",
  unrecognized_keys: "Onbekend veld; laat het weg.",
  too_big: "Te lang of te groot.",
  too_small: "Te kort of te klein.",
  invalid_format: "Ongeldig formaat.",
  invalid_value: "Ongeldige waarde.",
};

/** A request that did not pass its zod schema: VERZOEK_ONGELDIG with one invalid param per issue, in Dutch. */
export function validationProblem(error: z.ZodError): Problem<BaseProblemCode> {
  const invalidParams: InvalidParam[] = error.issues.flatMap((issue) => {
    const base = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((k) => ({ name: base ? `${base}.${k}` : k, code: "unrecognized_keys", reason: ISSUE_REASONS.unrecognized_keys! }));
    }
    const custom = issue.message && !issue.message.startsWith("Invalid") && !issue.message.startsWith("Too") && !issue.message.startsWith("Unrecognized");
    return [{ name: base || "(body)", code: issue.code, reason: custom ? issue.message : (ISSUE_REASONS[issue.code] ?? "Ongeldige waarde.") }];
  });
  const names = [...new Set(invalidParams.map((p) => p.name))].join(", ");
  return baseProblem("VERZOEK_ONGELDIG", `Het verzoek klopt niet: controleer ${names}.`, invalidParams);
}
