/**
 * An unusual pattern (issue 9 item 5, docs/adr/0025): a professional who registers on many different youths in a
 * short time is refused beyond a configured bound (PATROON_MAX_JEUGDIGEN within PATROON_VENSTER_MINUTEN), the
 * refusal is audit-logged, and the region's convenantmanager is told once per professional per window (an audit
 * row `patroon.gemeld` and an e-mail without any data of a youth).
 *
 * Counted at the entry node, where the professional signs in, for registrations here and routed ones alike: the
 * BSN of the request is held only as an HMAC under a key drawn at start that never leaves the process, and only
 * while it is in the window, so no BSN (nor a hash that can be reversed by trying every BSN) is stored.
 */
import { createHmac, randomBytes } from "node:crypto";
import type { Actor, NodeContext, PatternGuard } from "../context";
import { reportPattern } from "../outbound/pattern-report";
import { problem } from "../problems";
import { audit } from "../store/audit";

/** Beyond this many professionals held, those with nothing left in the window are dropped at once. */
const SWEEP_AT = 10_000;

/** The guard of one node process; `maxJeugdigen` 0 or `vensterMinuten` 0: undefined (no bound). */
export function patternGuard(bound: { maxJeugdigen: number; vensterMinuten: number }): PatternGuard | undefined {
  if (bound.maxJeugdigen <= 0 || bound.vensterMinuten <= 0) return undefined;
  const windowMs = bound.vensterMinuten * 60_000;
  const key = randomBytes(32);
  /** professional → youth (keyed hash) → when it was first counted in the window. */
  const counted = new Map<string, Map<string, number>>();
  /** professional → when the pattern was last reported. */
  const reported = new Map<string, number>();
  const youthKey = (bsn: string) => createHmac("sha256", key).update(bsn).digest("base64url");
  const live = (professionalId: string, now: number) => {
    const youths = counted.get(professionalId) ?? new Map<string, number>();
    for (const [k, at] of youths) if (at <= now - windowMs) youths.delete(k);
    return youths;
  };
  const sweep = (now: number) => {
    for (const [p] of counted) if (live(p, now).size === 0) counted.delete(p);
    for (const [p, at] of reported) if (at <= now - windowMs) reported.delete(p);
  };
  return {
    maxJeugdigen: bound.maxJeugdigen,
    vensterMinuten: bound.vensterMinuten,
    reserve(professionalId, bsn, now) {
      const youths = live(professionalId, now);
      const k = youthKey(bsn);
      if (youths.has(k)) return { ok: true, release: () => {} };
      if (youths.size >= bound.maxJeugdigen) {
        const oldest = Math.min(...youths.values());
        const retryAfterSec = Math.max(1, Math.ceil((oldest + windowMs - now) / 1000));
        const last = reported.get(professionalId);
        const report = last === undefined || last <= now - windowMs;
        if (report) reported.set(professionalId, now);
        return { ok: false, retryAfterSec, report };
      }
      if (!counted.has(professionalId) && counted.size >= SWEEP_AT) sweep(now);
      youths.set(k, now);
      counted.set(professionalId, youths);
      // A registration that fails after all (unknown BSN, already registered, ...) does not count.
      return { ok: true, release: () => void (youths.get(k) === now && youths.delete(k)) };
    },
  };
}

/**
 * Admits a registration by `actor` on the youth with this BSN, or refuses it (429 ONGEBRUIKELIJK_PATROON with
 * Retry-After) when it would be one different youth too many in the window. A refusal changes nothing but the
 * audit log; the first one of a window is reported to the convenantmanager. The caller releases the slot when
 * the registration fails.
 */
export async function admitRegistration(ctx: NodeContext, actor: Actor, bsn: string): Promise<{ release(): void }> {
  const guard = ctx.patroon;
  if (!guard) return { release: () => {} };
  const now = ctx.clock.now();
  const slot = guard.reserve(actor.professionalId, bsn, now.getTime());
  if (slot.ok) return slot;
  const bound = { maxJeugdigen: guard.maxJeugdigen, vensterMinuten: guard.vensterMinuten };
  const managers = slot.report ? ctx.register.convenantmanagers() : [];
  await audit(ctx.db, ctx.t, [
    { actie: "registratie.geweigerd", actor, at: now, details: { reden: "ongebruikelijk-patroon", ...bound } },
    ...(slot.report ? [{ actie: "patroon.gemeld" as const, actor, at: now, details: { aan: managers.map((m) => m.email), ...bound } }] : []),
  ]);
  ctx.log.warn({ professionalId: actor.professionalId, gemeld: slot.report, ...bound }, "unusual pattern: registration refused");
  if (slot.report) await reportPattern(ctx, actor, managers, { ...bound, at: now });
  const p = problem(
    "ONGEBRUIKELIJK_PATROON",
    `U heeft de afgelopen ${bound.vensterMinuten} minuten signalen afgegeven over ${bound.maxJeugdigen} verschillende jeugdigen. Meer in zo korte tijd is een ongebruikelijk patroon: dit signaal is niet geregistreerd en de convenantmanager van de regio is ingelicht. Probeer het over ${slot.retryAfterSec} seconden opnieuw, of neem contact op met de convenantmanager als uw werk vraagt om signalen over meer jeugdigen tegelijk.`,
  );
  p.retryAfterSec = slot.retryAfterSec;
  throw p;
}
