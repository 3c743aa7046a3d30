/**
 * The hub API's closed list of Problem Details codes: the ones every service
 * shares (see @vi/service); the hub serves no person data and adds none.
 */
import { problemCatalog } from "@vi/service";

export const HUB_PROBLEMS = problemCatalog({});
export type HubProblemCode = (typeof HUB_PROBLEMS.codes)[number];
export const problem = HUB_PROBLEMS.problem;
