/**
 * Time enters the domain only through a Clock. Domain code never reads the
 * system time itself; `systemClock` is the one place that does, for the
 * services to inject.
 */
import type { IsoDate } from "./dates";

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = {
  now: () => new Date(Date.now()),
};

function toInstant(at: Date | string): Date {
  const date = typeof at === "string" ? new Date(at) : new Date(at.getTime());
  if (Number.isNaN(date.getTime())) throw new RangeError(`Not a valid instant: ${String(at)}`);
  return date;
}

const DAY_MS = 86_400_000;

/** A clock for tests and replays: it stands still until set or advanced. */
export function fixedClock(at: Date | string): Clock & { set(at: Date | string): void; advanceDays(n: number): void } {
  let current = toInstant(at);
  return {
    now: () => new Date(current.getTime()),
    set(next: Date | string) {
      current = toInstant(next);
    },
    /** Moves the clock by n * 24 hours (of elapsed time, not calendar days across DST). */
    advanceDays(n: number) {
      if (!Number.isFinite(n)) throw new RangeError(`advanceDays needs a finite number, got ${n}`);
      current = new Date(current.getTime() + n * DAY_MS);
    },
  };
}

let amsterdamFormatter: Intl.DateTimeFormat | undefined;

/** The calendar date in Europe/Amsterdam of the given instant. */
export function amsterdamDateOf(instant: Date): IsoDate {
  amsterdamFormatter ??= new Intl.DateTimeFormat("en-US", {
    timeZone: "Europe/Amsterdam",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  });
  const parts = amsterdamFormatter.formatToParts(instant);
  const get = (type: "year" | "month" | "day") => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year").padStart(4, "0")}-${get("month")}-${get("day")}`;
}

/** "Today": the Europe/Amsterdam calendar date of clock.now(). */
export function todayIn(clock: Clock): IsoDate {
  return amsterdamDateOf(clock.now());
}
