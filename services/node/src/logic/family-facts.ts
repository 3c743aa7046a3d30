/**
 * A youth's family facts as the BRP holds them now. Matching uses the stored
 * parents, address and death of the other youths, so these are refreshed
 * whenever the BRP reports a change (every mutation in its feed: a move
 * within the gemeente, a death, a change of parents) and by the daily
 * refresh, not only on a relocation to another gemeente. When the parents or
 * the address changed, the youth's signals go to the hub again (new
 * pseudonyms) and its active signals are matched in the new family, as at
 * registration (deterministic ids: a pair matched before is not matched again).
 */
import type { Persoon } from "@vi/brp";
import { todayIn, youthInScope } from "@vi/domain";
import type { Db } from "@vi/db";
import type { NodeContext } from "../context";
import { audit } from "../store/audit";
import type { NoticeRow } from "../store/notices";
import { lockFamily, nextVersion, signalsOfYouth, updateSignal, updateYouthFromBrp, youthFamily } from "../store/signals";
import { enqueueIndex } from "./index-sync";
import { matchSignal } from "./matching";
import { afterCommit, youthFactsOf, transaction } from "./support";

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join(",") === [...b].sort().join(",");

/**
 * Stores what the BRP holds of the youth now; `aanleiding` says why (a mutation's soort, `verversing`, or
 * `avg-rectificatie`). `rematch`: match the active signals again also when the family did not change (a
 * rectification). Returns whether the family changed.
 */
export async function refreshYouthFacts(
  ctx: NodeContext,
  jeugdigeId: string,
  persoon: Persoon,
  aanleiding: string,
  opts: { rematch?: boolean } = {},
): Promise<boolean> {
  const { t } = ctx;
  const adresId = persoon.adres?.adresseerbaarObjectId || null;
  const meldingen: NoticeRow[] = [];
  // Its audit rows go at its end (transaction, as every node transaction): audited after each signal's matches, it held
  // the chain's lock before the next signal's meldingen, the lock order that deadlocked with a melding consumer.
  const changed = await transaction(ctx, async (tx) => {
    const now = ctx.clock.now();
    const { institution } = await lockFamily(tx, t, { scope: ctx.gemeente.code, bsn: persoon.bsn, ouders: persoon.ouders, adresId });
    const before = await youthFamily(tx, t, jeugdigeId);
    if (!before) return false;
    await updateYouthFromBrp(tx, t, jeugdigeId, persoon, now);
    const familyChanged = !sameSet(before.ouders, persoon.ouders) || before.adresId !== adresId;
    if (familyChanged) {
      const signals = await signalsOfYouth(tx, t, jeugdigeId);
      // The hub's index follows: the same signals under the new parents' and address's pseudonyms.
      for (const s of signals) await updateSignal(tx, t, s.id, { versie: nextVersion(t, now), bijgewerktOp: now });
      await enqueueIndex(
        tx,
        ctx,
        signals.map((s) => s.id),
      );
    }
    if (familyChanged || opts.rematch) {
      const signals = await signalsOfYouth(tx, t, jeugdigeId);
      if (youthInScope(todayIn(ctx.clock), youthFactsOf(persoon)).ok) {
        for (const s of signals.filter((x) => x.status === "actief")) {
          const made = await matchSignal(tx, ctx, {
            signalId: s.id,
            professionalId: s.professionalId,
            youth: { youthId: jeugdigeId, parentBsns: persoon.ouders, addressId: adresId, institutionAddress: institution },
            now,
            familyOnly: true,
          });
          meldingen.push(...made.meldingen);
          await auditMatchesMade(tx, ctx, { jeugdigeId, signaalId: s.id, at: now, bij: aanleiding }, made.matches);
        }
      }
    }
    if (familyChanged || aanleiding !== "verversing") {
      await audit(tx, t, { actie: "jeugdige.bijgewerkt", actor: "systeem", jeugdigeId, at: now, details: { aanleiding, gezinGewijzigd: familyChanged } });
    }
    return familyChanged;
  });
  afterCommit(ctx, meldingen);
  return changed;
}

/** The audit rows of the family matches a re-match made for one signal (after a change in the BRP, or on arrival by relocation). */
export function auditMatchesMade(
  tx: Db,
  ctx: NodeContext,
  about: { jeugdigeId: string; signaalId: string; at: Date; bij: string },
  matches: Awaited<ReturnType<typeof matchSignal>>["matches"],
): Promise<void> {
  return audit(
    tx,
    ctx.t,
    matches.map((m) => ({
      actie: "match.gemaakt" as const,
      actor: "systeem" as const,
      jeugdigeId: about.jeugdigeId,
      signaalId: about.signaalId,
      at: about.at,
      details: { matchId: m.id, soort: m.soort, viaArchief: m.viaArchief, bij: about.bij },
    })),
  );
}
