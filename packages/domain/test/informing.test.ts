import { describe, it, expect } from "vitest";
import { whoMustBeInformed } from "../src/index";

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
