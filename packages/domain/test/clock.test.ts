import { describe, it, expect } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { fixedClock, systemClock, todayIn } from "../src/index";

describe("todayIn", () => {
  it("is the Amsterdam calendar date in summer time (UTC+2)", () => {
    expect(todayIn(fixedClock("2024-03-31T21:59:59Z"))).toBe("2024-03-31");
    expect(todayIn(fixedClock("2024-03-31T22:00:00Z"))).toBe("2024-04-01");
  });

  it("is the Amsterdam calendar date in winter time (UTC+1)", () => {
    expect(todayIn(fixedClock("2024-12-31T22:59:59Z"))).toBe("2024-12-31");
    expect(todayIn(fixedClock("2024-12-31T23:00:00Z"))).toBe("2025-01-01");
  });

  it("handles the leap day", () => {
    expect(todayIn(fixedClock("2024-02-28T23:30:00Z"))).toBe("2024-02-29");
  });
});

describe("fixedClock", () => {
  it("stands still until set", () => {
    const clock = fixedClock("2025-06-15T10:00:00Z");
    expect(clock.now().toISOString()).toBe("2025-06-15T10:00:00.000Z");
    expect(clock.now().toISOString()).toBe("2025-06-15T10:00:00.000Z");
    clock.set(new Date("2030-01-01T00:00:00Z"));
    expect(clock.now().toISOString()).toBe("2030-01-01T00:00:00.000Z");
  });

  it("advances by whole days", () => {
    const clock = fixedClock("2025-06-15T10:00:00Z");
    clock.advanceDays(3);
    expect(todayIn(clock)).toBe("2025-06-18");
    clock.advanceDays(-20);
    expect(todayIn(clock)).toBe("2025-05-29");
  });

  it("cannot be changed through the Date it hands out or the Date it was given", () => {
    const start = new Date("2025-06-15T10:00:00Z");
    const clock = fixedClock(start);
    start.setUTCFullYear(2000);
    clock.now().setUTCFullYear(1990);
    expect(clock.now().toISOString()).toBe("2025-06-15T10:00:00.000Z");
  });

  it("refuses an invalid instant", () => {
    expect(() => fixedClock("not a date")).toThrow(RangeError);
    expect(() => fixedClock("2025-06-15T10:00:00Z").set("nope")).toThrow(RangeError);
  });
});

describe("systemClock", () => {
  it("reads the current time", () => {
    const before = Date.now();
    const now = systemClock.now().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });
});

describe("domain code", () => {
  it("reads the system time only in clock.ts (systemClock)", () => {
    const dir = fileURLToPath(new URL("../src/", import.meta.url));
    const offenders: string[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
      const source = readFileSync(dir + file, "utf8");
      const hits = source.match(/Date\.now\(\)|new Date\(\s*\)/g) ?? [];
      const allowed = file === "clock.ts" ? 1 : 0;
      if (hits.length > allowed) offenders.push(`${file}: ${hits.length}`);
    }
    expect(offenders).toEqual([]);
  });
});
