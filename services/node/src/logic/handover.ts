/**
 * A professional leaves their organisation: its coordinator (Jeugdwet 7.1.3.3)
 * hands their active signals at this node to a designated colleague of the
 * same organisation instead of letting them lapse. The signals keep their id,
 * dates and informing; their matches follow (the colleague gets the leaving
 * professional's match meldingen, the other professionals' meldingen here and
 * the hub's index name the colleague), the colleague is told (a melding and
 * an e-mail), and every signal handed over is logged.
 */
import { randomUUID } from "node:crypto";
import { handoverAllowed } from "@vi/domain";
import type { Actor, NodeContext } from "../context";
import { problem } from "../problems";
import type { OverdrachtView } from "../schemas";
import { audit } from "../store/audit";
import { matchesOfSignals } from "../store/matches";
import { insertNotices, type NoticeRow } from "../store/notices";
import { professionalByEmail } from "../store/professionals";
import { activePointersOf, activeSignalsOf, moveNotices, reassignSignals, renameCounterpart, youthsWithActiveSignal } from "../store/rights";
import { identify } from "./actors";
import { enqueueIndex } from "./index-sync";
import { afterCommit, transaction } from "./support";

export async function handOverSignals(ctx: NodeContext, actor: Actor, input: { van: string; naar: string }): Promise<OverdrachtView> {
  const me = ctx.register.professional(actor.email);
  const from = ctx.register.professional(input.van.trim().toLowerCase());
  const to = ctx.register.professional(input.naar.trim().toLowerCase());
  const refusal = actor.viaSysteem ? "GEEN_COORDINATOR" : handoverAllowed(me ?? { rol: "", organisatieId: "" }, from, to);
  if (refusal === "GEEN_COORDINATOR")
    throw problem("GEEN_COORDINATOR", "Alleen de coördinator van een organisatie kan signalen van een vertrekkende professional overdragen.");
  if (refusal === "ANDERE_ORGANISATIE")
    throw problem("ANDERE_ORGANISATIE", "Beide professionals moeten volgens het register bij uw eigen organisatie werken. Controleer de e-mailadressen.", [
      { name: from && from.organisatieId === actor.organisatieId ? "naar" : "van", code: "ANDERE_ORGANISATIE", reason: "Niet van uw organisatie." },
    ]);
  if (refusal === "ZELFDE_PROFESSIONAL")
    throw problem("ZELFDE_PROFESSIONAL", "Kies een andere collega dan de professional die vertrekt.", [
      { name: "naar", code: "ZELFDE_PROFESSIONAL", reason: "Dezelfde professional." },
    ]);
  if (refusal === "OPVOLGER_NIET_BEVOEGD")
    throw problem(
      "OPVOLGER_NIET_BEVOEGD",
      "Deze collega is niet signaleringsbevoegd. Wijs de collega eerst aan in het register, of kies een collega die al is aangewezen.",
      [{ name: "naar", code: "OPVOLGER_NIET_BEVOEGD", reason: "Niet signaleringsbevoegd." }],
    );
  if (!from || !to) throw new Error("handoverAllowed let an unknown professional through");

  const successor = await identify(ctx, to.sub);
  const leaving = await professionalByEmail(ctx.db, ctx.t, from.email);
  if (!leaving) return { overgedragen: 0, alBetrokken: 0, elders: 0 };
  const { t } = ctx;
  let told: NoticeRow[] = [];
  const result = await transaction(ctx, async (tx) => {
    const now = ctx.clock.now();
    const signals = await activeSignalsOf(tx, t, leaving.p.id);
    // A signal registered through another node is pointed to from there: hand it over at that node.
    const viaHere = signals.filter((s) => s.entryNode === ctx.gemeente.code);
    const already = await youthsWithActiveSignal(
      tx,
      t,
      successor.professionalId,
      viaHere.map((s) => s.jeugdigeId),
    );
    const move = viaHere.filter((s) => !already.has(s.jeugdigeId));
    const ids = move.map((s) => s.id);
    const pointers = await activePointersOf(tx, t, leaving.p.id);
    const outcome = { overgedragen: ids.length, alBetrokken: viaHere.length - ids.length, elders: signals.length - viaHere.length + pointers.length };
    if (ids.length === 0) return outcome;

    await reassignSignals(tx, t, ids, successor.professionalId, now);
    await enqueueIndex(tx, ctx, ids);
    await moveNotices(tx, t, ids, leaving.p.id, successor.professionalId);
    const matches = await matchesOfSignals(tx, t, ids);
    await renameCounterpart(
      tx,
      t,
      matches.map((m) => m.id),
      from.email,
      { email: successor.email, naam: successor.naam, functie: successor.functie, telefoon: successor.telefoon },
      successor.professionalId,
    );
    told = await insertNotices(tx, t, [
      {
        soort: "overdracht",
        sleutel: `overdracht:${randomUUID()}`,
        professionalId: successor.professionalId,
        signaalId: null,
        inhoud: { van: { naam: from.naam, email: from.email }, organisatie: actor.organisatieNaam, signalen: ids.length, aangemaaktOp: now.toISOString() },
        aangemaaktOp: now,
      },
    ]);
    await audit(
      tx,
      t,
      move.map((s) => ({
        actie: "signaal.overgedragen" as const,
        actor,
        jeugdigeId: s.jeugdigeId,
        signaalId: s.id,
        at: now,
        details: { van: from.email, naar: successor.email },
      })),
    );
    return outcome;
  });
  afterCommit(ctx, told);
  return result;
}
