/**
 * Delivering a match to the professionals on both sides: a melding row at
 * this node when the professional registered here, else a signed
 * `match.melding` event to the node they registered through.
 */
import { eq, inArray } from "drizzle-orm";
import { enqueue, type Db } from "@vi/db";
import { signEvent } from "@vi/events";
import type { NodeContext } from "../context";
import { subjects } from "./federation";
import { insertMeldingen, type MeldingRow } from "./notifier";

export interface Contact {
  email: string;
  naam: string;
  functie: string;
  telefoon: string;
  organisatie: string;
  domein: string;
}

export interface MatchSide {
  signaalId: string;
  professionalId: string;
  entryNode: string;
  status: "actief" | "gearchiveerd";
  jeugdigeNaam: string;
  professional: Contact;
}

export interface MadeMatch {
  matchId: string;
  soort: "client" | "gezin";
  viaArchief: boolean;
  aangemaaktOp: Date;
  sides: [MatchSide, MatchSide];
}

/** The sides of matches, read from this node's signals. */
export async function loadSides(db: Db, ctx: NodeContext, signalIds: string[]): Promise<Map<string, MatchSide>> {
  const { t } = ctx;
  if (signalIds.length === 0) return new Map();
  const rows = await db
    .select({
      signaalId: t.signalen.id,
      professionalId: t.signalen.professionalId,
      entryNode: t.signalen.entryNode,
      status: t.signalen.status,
      jeugdigeNaam: t.jeugdigen.naam,
      email: t.professionals.email,
      naam: t.professionals.naam,
      functie: t.professionals.functie,
      telefoon: t.professionals.telefoon,
      organisatie: t.organisaties.naam,
      domein: t.organisaties.domein,
    })
    .from(t.signalen)
    .innerJoin(t.jeugdigen, eq(t.jeugdigen.id, t.signalen.jeugdigeId))
    .innerJoin(t.professionals, eq(t.professionals.id, t.signalen.professionalId))
    .innerJoin(t.organisaties, eq(t.organisaties.id, t.signalen.organisatieId))
    .where(inArray(t.signalen.id, signalIds));
  return new Map(
    rows.map((r) => [
      r.signaalId,
      {
        signaalId: r.signaalId,
        professionalId: r.professionalId,
        entryNode: r.entryNode,
        status: r.status,
        jeugdigeNaam: r.jeugdigeNaam,
        professional: { email: r.email, naam: r.naam, functie: r.functie, telefoon: r.telefoon, organisatie: r.organisatie, domein: r.domein },
      },
    ]),
  );
}

/** Inside the transaction that made the matches; returns the local meldingen to announce after commit. */
export async function deliverMatches(db: Db, ctx: NodeContext, matches: MadeMatch[]): Promise<MeldingRow[]> {
  const local: Omit<MeldingRow, "id">[] = [];
  const remote: { subject: string; token: string; msgId: string }[] = [];
  for (const m of matches) {
    for (const [own, other] of [
      [m.sides[0], m.sides[1]],
      [m.sides[1], m.sides[0]],
    ] as const) {
      const betrokkene = { ...other.professional, eerderBetrokken: other.status === "gearchiveerd" };
      if (own.entryNode === ctx.gemeente.code || !ctx.fed) {
        local.push({
          soort: "match",
          sleutel: m.matchId,
          professionalId: own.professionalId,
          signaalId: own.signaalId,
          inhoud: {
            matchId: m.matchId,
            soort: m.soort,
            viaArchief: m.viaArchief,
            aangemaaktOp: m.aangemaaktOp.toISOString(),
            jeugdigeNaam: own.jeugdigeNaam,
            betrokkene,
          },
          aangemaaktOp: m.aangemaaktOp,
        });
      } else {
        const { token, jti } = await signEvent(ctx.fed.keys, {
          type: "match.melding",
          aud: own.entryNode,
          data: {
            matchId: m.matchId,
            soort: m.soort,
            viaArchief: m.viaArchief,
            aangemaaktOp: m.aangemaaktOp.toISOString(),
            voor: { email: own.professional.email, signaalId: own.signaalId },
            betrokkene,
          },
        });
        remote.push({ subject: subjects.melding(own.entryNode), token, msgId: jti });
      }
    }
  }
  if (remote.length) await enqueue(db, ctx.t.outbox, remote);
  return insertMeldingen(db, ctx.t, local);
}
