import { describe, it, expect } from "vitest";
import { closedReason, isNotInformedReason, NOT_INFORMED_REASONS, whoMustBeInformed } from "../src/index";

describe("whoMustBeInformed", () => {
  it("is the parents under 12", () => {
    expect(whoMustBeInformed(0)).toBe("ouders");
    expect(whoMustBeInformed(11)).toBe("ouders");
  });

  it("is the parents and the youth from 12 to 15", () => {
    expect(whoMustBeInformed(12)).toBe("ouders-en-jeugdige");
    expect(whoMustBeInformed(15)).toBe("ouders-en-jeugdige");
  });

  it("is the youth alone from 16", () => {
    expect(whoMustBeInformed(16)).toBe("jeugdige");
    expect(whoMustBeInformed(22)).toBe("jeugdige");
  });

  it("refuses an age that is not a whole number of years", () => {
    expect(() => whoMustBeInformed(-1)).toThrow(RangeError);
    expect(() => whoMustBeInformed(11.5)).toThrow(RangeError);
    expect(() => whoMustBeInformed(Number.NaN)).toThrow(RangeError);
  });
});

describe("the reasons for not informing", () => {
  it("are a closed list of four", () => {
    expect(NOT_INFORMED_REASONS).toEqual(["nog-niet-bereikt", "onveilig-voor-jeugdige", "onveilig-voor-ander", "andere-reden-in-eigen-dossier"]);
    expect(isNotInformedReason("nog-niet-bereikt")).toBe(true);
    expect(isNotInformedReason("Vader drinkt")).toBe(false);
    expect(isNotInformedReason(undefined)).toBe(false);
  });
  it("a value outside the list (free text from before it) becomes andere-reden-in-eigen-dossier, so its text is not kept", () => {
    expect(closedReason("Vader drinkt")).toBe("andere-reden-in-eigen-dossier");
    expect(closedReason("onveilig-voor-ander")).toBe("onveilig-voor-ander");
    expect(closedReason(null)).toBeNull();
  });
});
