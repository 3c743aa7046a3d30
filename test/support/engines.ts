/**
 * Whether a Node.js version satisfies an npm `engines.node` range: the forms
 * the lock file holds (`>=20.18`, `>= 22.x`, `^20.19.0 || >=22.12.0`,
 * `6.* || 8.* || >= 10.*`, `>=16 || 14 >=14.17`). A small reading of the
 * semver range grammar, enough for these; no dependency.
 */
type Version = [number, number, number];

function parts(v: string): { nums: number[]; wild: boolean } {
  const clean = v.trim().replace(/^v/, "");
  const nums: number[] = [];
  let wild = false;
  for (const p of clean.split(".").slice(0, 3)) {
    if (p === "x" || p === "X" || p === "*" || p === "") {
      wild = true;
      break;
    }
    nums.push(Number.parseInt(p, 10));
  }
  return { nums, wild: wild || nums.length < 3 };
}

const cmp = (a: Version, b: Version) => (a[0] - b[0] || a[1] - b[1] || a[2] - b[2]) as number;
const full = (n: number[]): Version => [n[0] ?? 0, n[1] ?? 0, n[2] ?? 0];
/** The first version above the partial version `n` (`1.2` → `1.3.0`, `1` → `2.0.0`). */
const next = (n: number[]): Version => (n.length === 0 ? [Infinity, 0, 0] : n.length === 1 ? [n[0]! + 1, 0, 0] : [n[0]!, n[1]! + 1, 0]);

function comparator(c: string, v: Version): boolean {
  const m = /^(>=|<=|>|<|=|\^|~)?\s*(.*)$/.exec(c.trim());
  if (!m) return false;
  const op = m[1] ?? "";
  const { nums, wild } = parts(m[2] ?? "");
  const lo = full(nums);
  switch (op) {
    case ">=":
      return cmp(v, lo) >= 0;
    case ">":
      return wild ? cmp(v, next(nums)) >= 0 : cmp(v, lo) > 0;
    case "<=":
      return wild ? cmp(v, next(nums)) < 0 : cmp(v, lo) <= 0;
    case "<":
      return cmp(v, lo) < 0;
    case "^": {
      const hi: Version = lo[0] > 0 ? [lo[0] + 1, 0, 0] : lo[1] > 0 ? [0, lo[1] + 1, 0] : [0, 0, lo[2] + 1];
      return cmp(v, lo) >= 0 && cmp(v, hi) < 0;
    }
    case "~":
      return cmp(v, lo) >= 0 && cmp(v, nums.length >= 2 ? [lo[0], lo[1] + 1, 0] : [lo[0] + 1, 0, 0]) < 0;
    default:
      // "=", or a bare (possibly partial or wildcard) version: that version, or everything it covers.
      return wild ? cmp(v, lo) >= 0 && cmp(v, next(nums)) < 0 : cmp(v, lo) === 0;
  }
}

export function satisfies(version: string, range: string): boolean {
  const v = full(parts(version).nums);
  return range.split("||").some((alternative) => {
    const hyphen = /^\s*(\S+)\s+-\s+(\S+)\s*$/.exec(alternative);
    if (hyphen) return comparator(`>=${hyphen[1]}`, v) && comparator(`<=${hyphen[2]}`, v);
    // ">= 22.x" is one comparator: join an operator to the version after it.
    const tokens = alternative
      .trim()
      .replace(/(>=|<=|>|<|=|\^|~)\s+/g, "$1")
      .split(/\s+/)
      .filter(Boolean);
    return tokens.length === 0 || tokens.every((t) => comparator(t, v));
  });
}

/** The lowest version a `>=x.y[.z]` range admits (what the project's own `engines.node` says it supports). */
export function minimumOf(range: string): string {
  const m = /^\s*>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?\s*$/.exec(range);
  if (!m) throw new Error(`not a ">=x.y.z" range: ${range}`);
  return `${m[1]}.${m[2] ?? 0}.${m[3] ?? 0}`;
}
