/**
 * Matching, made immediately on registration of a new signal.
 * - client match: another active signal on the same youth, or an archived
 *   signal on the same youth that has not produced a match before (an archived
 *   signal matches once; the caller marks it used);
 * - family match (gezin): an active signal on another youth sharing a parent
 *   BSN or the same residential address (institution addresses excluded);
 * - a professional is never matched with themself;
 * - only professionals with an active signal are told of a match: an archive
 *   match tells the new professional who was involved before; the earlier
 *   professional, no longer involved, gets no notice or e-mail.
 */
import type { IsoDate } from "./dates";
import { type SignalStatus, type YouthFacts, youthInScope } from "./signal";

export type MatchKind = "client" | "gezin";

export interface FamilyFacts {
  youthId: string;
  parentBsns: string[];
  addressId: string | null;
  institutionAddress: boolean;
}

/** Family relation between two different youths: a shared parent, or the same non-institution address. */
export function isSameFamily(a: FamilyFacts, b: FamilyFacts): { related: boolean; via: Array<"ouder" | "adres"> } {
  const via: Array<"ouder" | "adres"> = [];
  if (a.youthId === b.youthId) return { related: false, via };
  const parentsOfA = new Set(a.parentBsns.filter((bsn) => bsn !== ""));
  if (b.parentBsns.some((bsn) => parentsOfA.has(bsn))) via.push("ouder");
  if (a.addressId !== null && a.addressId === b.addressId && !a.institutionAddress && !b.institutionAddress) {
    via.push("adres");
  }
  return { related: via.length > 0, via };
}

/** One side of a possible family match: a signal, its professional and its youth's family facts. */
export interface FamilySide {
  /** Identifies the professional (a node's professional id, or the hub's lower-cased e-mail). */
  professional: string;
  status: SignalStatus;
  youth: FamilyFacts;
}

/**
 * The family predicate, used by the node, the hub (consumer and rebuild) and
 * later the national index alike: two active signals of different
 * professionals on different youths who share a parent or a residential
 * (non-institution) address.
 */
export function isFamilyMatch(a: FamilySide, b: FamilySide): boolean {
  return a.status === "actief" && b.status === "actief" && a.professional !== b.professional && isSameFamily(a.youth, b.youth).related;
}

export interface CandidateSignal {
  signalId: string;
  professionalId: string;
  youthId: string;
  status: SignalStatus;
  archiveMatchUsed: boolean;
}

export interface MatchDecision {
  counterpartSignalId: string;
  kind: MatchKind;
  viaArchive: boolean;
}

/**
 * Decides the matches for a new signal. A family candidate whose youth is out
 * of the index today (23 or over, or deceased: see youthInScope) makes no
 * match, also before the retention job has removed its signals. Defensive
 * rules besides the ones above: the new signal itself is never a
 * counterpart; a `sameYouth` candidate on another youth is ignored; when a
 * signal appears in both lists the client match wins. Sorted by
 * counterpartSignalId (code unit order).
 */
export function decideMatches(input: {
  today: IsoDate;
  newSignal: { signalId: string; professionalId: string; youth: FamilyFacts };
  sameYouth: CandidateSignal[];
  family: Array<{ signal: CandidateSignal; youth: FamilyFacts; dates: YouthFacts }>;
}): MatchDecision[] {
  const { newSignal } = input;
  const decisions = new Map<string, MatchDecision>();
  const isCounterpart = (s: CandidateSignal) => s.signalId !== newSignal.signalId && s.professionalId !== newSignal.professionalId;

  for (const s of input.sameYouth) {
    if (!isCounterpart(s) || s.youthId !== newSignal.youth.youthId) continue;
    if (s.status === "actief") {
      decisions.set(s.signalId, { counterpartSignalId: s.signalId, kind: "client", viaArchive: false });
    } else if (!s.archiveMatchUsed && !decisions.has(s.signalId)) {
      decisions.set(s.signalId, { counterpartSignalId: s.signalId, kind: "client", viaArchive: true });
    }
  }
  for (const { signal, youth, dates } of input.family) {
    if (!isCounterpart(signal) || decisions.has(signal.signalId)) continue;
    if (signal.youthId === newSignal.youth.youthId) continue;
    if (!youthInScope(input.today, dates).ok) continue;
    const self: FamilySide = { professional: newSignal.professionalId, status: "actief", youth: newSignal.youth };
    if (!isFamilyMatch(self, { professional: signal.professionalId, status: signal.status, youth })) continue;
    decisions.set(signal.signalId, { counterpartSignalId: signal.signalId, kind: "gezin", viaArchive: false });
  }
  return [...decisions.values()].sort((x, y) => (x.counterpartSignalId < y.counterpartSignalId ? -1 : x.counterpartSignalId > y.counterpartSignalId ? 1 : 0));
}

/**
 * Whether the professional of one side of a match is told of it (a melding,
 * an e-mail): only while their signal is active. The earlier professional of
 * an archive match, no longer involved, is not.
 */
export function receivesMatchNotice(side: { status: SignalStatus }): boolean {
  return side.status === "actief";
}
