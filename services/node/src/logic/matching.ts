/**
 * Making the matches of one signal at this node (client and family within
 * the gemeente; the domain decides, the queries only gather candidates) and
 * delivering them to the professionals on both sides: a melding here when the
 * professional registered here, else a signed `match.melding` to the node
 * they registered through.
 */
import type { Db } from "@vi/db";
import { decideMatches, type FamilyFacts, receivesMatchNotice, todayIn } from "@vi/domain";
import { type EventData, type MatchInhoud, matchId } from "@vi/events";
import type { NodeContext } from "../context";
import { enqueueNotices } from "../outbound/notices";
import type { RegisterResult } from "../schemas";
import { insertMatch, markArchiveMatchUsed, matchSides } from "../store/matches";
import { insertNotices, type NoticeRow, type NewNotice } from "../store/notices";
import { familySignals, sameYouthSignals } from "../store/signals";

type MadeMatches = RegisterResult["matches"];

interface MatchSide {
  signaalId: string;
  professionalId: string;
  entryNode: string;
  status: "actief" | "gearchiveerd";
  jeugdigeNaam: string;
  professional: { email: string; naam: string; functie: string; telefoon: string; organisatie: string; domein: string };
}

interface MadeMatch {
  matchId: string;
  soort: "client" | "gezin";
  viaArchief: boolean;
  aangemaaktOp: Date;
  sides: [MatchSide, MatchSide];
}

/** The caller holds the family locks (see lockFamily). */
export async function matchSignal(
  db: Db,
  ctx: NodeContext,
  input: { signalId: string; professionalId: string; youth: FamilyFacts; now: Date; familyOnly?: boolean },
): Promise<{ matches: MadeMatches; meldingen: NoticeRow[] }> {
  const { t } = ctx;
  const { youth } = input;
  // Independent reads, sent together (PostgreSQL answers them in order on the transaction's connection: one round trip).
  const [sameYouth, familyRows] = await Promise.all([
    input.familyOnly ? [] : sameYouthSignals(db, t, youth.youthId, input.signalId),
    familySignals(db, t, {
      youthId: youth.youthId,
      parentBsns: youth.parentBsns,
      addressId: youth.institutionAddress ? null : youth.addressId,
    }),
  ]);

  const decisions = decideMatches({
    today: todayIn(ctx.clock),
    newSignal: { signalId: input.signalId, professionalId: input.professionalId, youth },
    sameYouth,
    family: familyRows.map((r) => ({
      signal: { signalId: r.signalId, professionalId: r.professionalId, youthId: r.youthId, status: r.status, archiveMatchUsed: r.archiveMatchUsed },
      youth: { youthId: r.youthId, parentBsns: r.ouders, addressId: r.adresId, institutionAddress: Boolean(r.instelling) },
      dates: { birthDate: r.geboortedatum, deceasedOn: r.overlijdensdatum, deceased: r.overleden },
    })),
  });

  const made: { id: string; soort: "client" | "gezin"; viaArchief: boolean; counterpart: string }[] = [];
  for (const d of decisions) {
    const [a, b] = [input.signalId, d.counterpartSignalId].sort() as [string, string];
    const id = matchId(a, b);
    const isNew = await insertMatch(db, t, { id, soort: d.kind, signaalA: a, signaalB: b, viaArchief: d.viaArchive, aangemaaktOp: input.now });
    if (d.viaArchive) await markArchiveMatchUsed(db, t, d.counterpartSignalId);
    if (isNew) made.push({ id, soort: d.kind, viaArchief: d.viaArchive, counterpart: d.counterpartSignalId });
  }
  const matches = made.map(({ id, soort, viaArchief }) => ({ id, soort, viaArchief }));
  if (made.length === 0) return { matches, meldingen: [] };
  const sides = await loadSides(db, ctx, [input.signalId, ...made.map((m) => m.counterpart)]);
  const own = sides.get(input.signalId)!;
  const meldingen = await deliverMatches(
    db,
    ctx,
    made.map((m) => ({ matchId: m.id, soort: m.soort, viaArchief: m.viaArchief, aangemaaktOp: input.now, sides: [own, sides.get(m.counterpart)!] })),
  );
  return { matches, meldingen };
}

async function loadSides(db: Db, ctx: NodeContext, signalIds: string[]): Promise<Map<string, MatchSide>> {
  const rows = await matchSides(db, ctx.t, signalIds);
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
async function deliverMatches(db: Db, ctx: NodeContext, matches: MadeMatch[]): Promise<NoticeRow[]> {
  const local: NewNotice[] = [];
  const remote: { type: "match.melding"; to: string; data: EventData<"match.melding"> }[] = [];
  for (const m of matches) {
    for (const [own, other] of [
      [m.sides[0], m.sides[1]],
      [m.sides[1], m.sides[0]],
    ] as const) {
      if (!receivesMatchNotice(own)) continue;
      const betrokkene = { ...other.professional, eerderBetrokken: other.status === "gearchiveerd" };
      if (own.entryNode === ctx.gemeente.code || !ctx.fed) {
        const inhoud: MatchInhoud = {
          matchId: m.matchId,
          soort: m.soort,
          viaArchief: m.viaArchief,
          aangemaaktOp: m.aangemaaktOp.toISOString(),
          jeugdigeNaam: own.jeugdigeNaam,
          betrokkene,
        };
        local.push({ soort: "match", sleutel: m.matchId, professionalId: own.professionalId, signaalId: own.signaalId, inhoud, aangemaaktOp: m.aangemaaktOp });
      } else {
        remote.push({
          type: "match.melding",
          to: own.entryNode,
          data: {
            matchId: m.matchId,
            soort: m.soort,
            viaArchief: m.viaArchief,
            aangemaaktOp: m.aangemaaktOp.toISOString(),
            voor: { email: own.professional.email, signaalId: own.signaalId },
            betrokkene,
          },
        });
      }
    }
  }
  await enqueueNotices(db, ctx, remote);
  return insertNotices(db, ctx.t, local);
}
