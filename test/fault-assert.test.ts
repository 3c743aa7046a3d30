/** The fault tests' check on what the load was answered: a fault may cost a retry (503), never a 500. */
import { describe, expect, it } from "vitest";
import { internalErrors } from "./faults/assert";

describe("internalErrors", () => {
  it("keeps the 500s and other internal errors, not the answers that say to try again", () => {
    const reasons = { "503 NODE_ONBEREIKBAAR": 12, network: 4, "502 ": 1, "504 ": 2, "500 INTERNE_FOUT": 1, "501 ": 3 };
    expect(internalErrors(reasons)).toEqual({ "500 INTERNE_FOUT": 1, "501 ": 3 });
  });

  it("is empty when the load saw only retryable answers", () => {
    expect(internalErrors({ "503 DIENST_ONBEREIKBAAR": 7, "503 PSEUDONIEMDIENST_ONBEREIKBAAR": 2, network: 30 })).toEqual({});
  });
});
