/**
 * Tells the region's convenantmanager(s) of an unusual pattern (docs/adr/0025): one e-mail each through the
 * node's mailer, naming the professional and nothing about any youth. The report is already in the audit log
 * (`patroon.gemeld`); a mail that cannot be sent is logged (without its content) and not retried.
 */
import { createHash } from "node:crypto";
import { mailMessageId, patroonMail } from "@vi/mail";
import { errorForLog } from "@vi/service";
import type { Actor, NodeContext, RegisterProfessional } from "../context";

export async function reportPattern(
  ctx: NodeContext,
  actor: Actor,
  managers: RegisterProfessional[],
  bound: { maxJeugdigen: number; vensterMinuten: number; at: Date },
): Promise<number> {
  if (managers.length === 0) {
    ctx.log.warn("unusual pattern: the register names no convenantmanager to report it to");
    return 0;
  }
  if (!ctx.mailer) {
    ctx.log.warn("unusual pattern: no SMTP configured, the report is in the audit log only");
    return 0;
  }
  const content = patroonMail({
    professionalEmail: actor.email,
    organisatieNaam: actor.organisatieNaam,
    gemeenteNaam: ctx.gemeente.naam,
    maxJeugdigen: bound.maxJeugdigen,
    vensterMinuten: bound.vensterMinuten,
  });
  // One Message-ID per professional, window and recipient: a resent report is recognisable as the same one.
  const id = createHash("sha256").update(`${ctx.gemeente.code}:${actor.professionalId}:${bound.at.toISOString()}`).digest("hex").slice(0, 24);
  let sent = 0;
  for (const m of managers) {
    try {
      await ctx.mailer.send({ to: m.email, ...content, messageId: mailMessageId("patroon", id, m.email) });
      sent++;
    } catch (e) {
      ctx.log.warn({ err: errorForLog(e) }, "unusual pattern: the report could not be mailed");
    }
  }
  return sent;
}
