import { describe, expect, it } from "vitest";
import { publish, publishGroup, publishShare, SUPPRESSED_TEXT } from "../src/small-cells";

describe("small-cell suppression of the region's figures", () => {
  it("publishes 1 to 4 as '< 5', and 0 and 5 or more as the number", () => {
    expect([0, 1, 4, 5, 12].map((n) => publish(n).weergave)).toEqual(["0", SUPPRESSED_TEXT, SUPPRESSED_TEXT, "5", "12"]);
    expect(publish(3).aantal).toBeNull();
    expect(publish(7).aantal).toBe(7);
  });

  it("suppresses a second part when a group total would reveal the only suppressed one", () => {
    expect(publishGroup([3, 9, 6, 0]).map((p) => p.weergave)).toEqual([SUPPRESSED_TEXT, "9", SUPPRESSED_TEXT, "0"]);
  });

  it("leaves a group alone when two or more parts are small already, or none is", () => {
    expect(publishGroup([2, 9, 1]).map((p) => p.weergave)).toEqual([SUPPRESSED_TEXT, "9", SUPPRESSED_TEXT]);
    expect(publishGroup([5, 9, 0]).map((p) => p.weergave)).toEqual(["5", "9", "0"]);
  });

  it("publishes a share only when neither the part nor the rest is a small cell", () => {
    expect(publishShare(6, 8)).toBeNull();
    expect(publishShare(5, 10)).toBe(50);
    expect(publishShare(3, 10)).toBeNull();
    expect(publishShare(10, 10)).toBe(100);
    expect(publishShare(0, 0)).toBeNull();
  });
});
