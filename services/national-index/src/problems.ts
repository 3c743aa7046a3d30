/** The national index's closed list of Problem Details codes: the shared ones, the refused signed requests, its own. */
import { FSC_PROBLEMS } from "@vi/fsc";
import { problemCatalog } from "@vi/service";

export const NATIONAL_PROBLEMS = problemCatalog({
  ...FSC_PROBLEMS,
  REGIO_ONBEKEND: { status: 403, title: "Regio onbekend" },
  GEMEENTE_ONBEKEND: { status: 422, title: "Gemeente niet aangesloten" },
  SLEUTEL_BUITEN_REGIO: { status: 422, title: "Gemeente buiten de regio van de brug" },
  BRUG_ONBEREIKBAAR: { status: 503, title: "Woonregio niet bereikbaar" },
});
export type NationalProblemCode = (typeof NATIONAL_PROBLEMS.codes)[number];
export const problem = NATIONAL_PROBLEMS.problem;
