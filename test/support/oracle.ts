/**
 * The oracle of the fault tests: from the registrations a test had
 * acknowledged (201, or 409 on a retry) and the BRP population, what the
 * region must hold once it has settled — and a comparison with what it holds.
 *
 * Rules (docs/federation.md, packages/domain/src/matching.ts):
 * - a client match: two signals of different professionals on the same youth,
 *   made by the youth's residence node (its `matches` table);
 * - a family match (gezin): two signals of different professionals on two
 *   different youths who share a parent BSN or the same residential address
 *   (adresseerbaarObjectId) that is not an institution address; made by the
 *   residence node when both youths live in one gemeente, else by the hub
 *   (`hub.hub_matches`);
 * - the id of a match is matchId(a, b) wherever it is made;
 * - every match yields one melding per side, at the side's entry node (where
 *   the professional registered), `sleutel` = match id; every melding is
 *   e-mailed once.
 * All signals here are active (the load never ends or withdraws one).
 */
import type postgres from "postgres";
import { matchId } from "@vi/events";
import type { BrpRecord, Population } from "@vi/demo";
import type { ReceivedMail } from "@vi/smtp-sink";

export interface AckedSignal {
  id: string;
  /** The professional's e-mail (lower case). */
  email: string;
  bsn: string;
  /** The node the professional registered through. */
  entryNode: string;
  /** The youth's gemeente (per BRP): the node that stores the signal. */
  residence: string;
}

export interface ExpectedMatch {
  id: string;
  soort: "client" | "gezin";
  a: AckedSignal;
  b: AckedSignal;
  /** A gemeente code (that node's `matches`) or "hub". */
  where: string;
}

export interface ExpectedMelding {
  node: string;
  sleutel: string;
  email: string;
}

/** The pairs the region must have made. */
export function expectedMatches(signals: AckedSignal[], population: Pick<Population, "byBsn">, institutionAddressIds: Iterable<string>): ExpectedMatch[] {
  const institutions = new Set(institutionAddressIds);
  const youth = new Map<string, BrpRecord>();
  for (const s of signals) {
    if (youth.has(s.bsn)) continue;
    const r = population.byBsn(s.bsn);
    if (!r) throw new Error(`oracle: BSN ${s.bsn} not in the population`);
    youth.set(s.bsn, r);
  }
  const index = new Map<string, AckedSignal[]>();
  const add = (key: string, s: AckedSignal) => {
    let list = index.get(key);
    if (!list) index.set(key, (list = []));
    list.push(s);
  };
  const addressOf = (bsn: string): string | null => {
    const id = youth.get(bsn)!.adres.adresseerbaarObjectId;
    return id && !institutions.has(id) ? id : null;
  };
  for (const s of signals) {
    const r = youth.get(s.bsn)!;
    add(`j:${s.bsn}`, s);
    for (const o of new Set(r.ouders)) add(`o:${o}`, s);
    const adres = addressOf(s.bsn);
    if (adres) add(`a:${adres}`, s);
  }
  const out = new Map<string, ExpectedMatch>();
  for (const group of index.values()) {
    for (let i = 0; i < group.length; i++) {
      for (let j = i + 1; j < group.length; j++) {
        const x = group[i]!;
        const y = group[j]!;
        if (x.id === y.id || x.email === y.email) continue;
        const [a, b] = x.id < y.id ? [x, y] : [y, x];
        const id = matchId(a.id, b.id);
        if (out.has(id)) continue;
        if (a.bsn === b.bsn) {
          if (a.residence !== b.residence) throw new Error(`oracle: one youth at two nodes (${a.bsn})`);
          out.set(id, { id, soort: "client", a, b, where: a.residence });
          continue;
        }
        const ya = youth.get(a.bsn)!;
        const yb = youth.get(b.bsn)!;
        const parents = new Set(ya.ouders);
        const sharedParent = yb.ouders.some((o) => parents.has(o));
        const adres = addressOf(a.bsn);
        const sameAddress = adres !== null && adres === addressOf(b.bsn);
        if (!sharedParent && !sameAddress) continue;
        out.set(id, { id, soort: "gezin", a, b, where: a.residence === b.residence ? a.residence : "hub" });
      }
    }
  }
  return [...out.values()].sort((p, q) => (p.id < q.id ? -1 : 1));
}

export function expectedMeldingen(matches: ExpectedMatch[]): ExpectedMelding[] {
  return matches.flatMap((m) => [
    { node: m.a.entryNode, sleutel: m.id, email: m.a.email },
    { node: m.b.entryNode, sleutel: m.id, email: m.b.email },
  ]);
}

// ---------------------------------------------------------------------------------------------------------------

export interface Observed {
  /** signal id → the schemas holding it (with its status). */
  signals: Map<string, { node: string; status: string }[]>;
  /** match id → where it is stored (a gemeente code or "hub"), with soort and pair. */
  matches: Map<string, { where: string; soort: string; a: string; b: string }[]>;
  meldingen: { node: string; soort: string; sleutel: string; email: string; gemaild: boolean }[];
  mails: ReceivedMail[];
}

export async function observe(sql: postgres.Sql, gemeenten: string[], mails: ReceivedMail[]): Promise<Observed> {
  const signals = new Map<string, { node: string; status: string }[]>();
  const matches = new Map<string, { where: string; soort: string; a: string; b: string }[]>();
  const meldingen: Observed["meldingen"] = [];
  const push = <V>(m: Map<string, V[]>, k: string, v: V) => {
    const l = m.get(k);
    if (l) l.push(v);
    else m.set(k, [v]);
  };
  for (const code of gemeenten) {
    const s = code.toLowerCase();
    for (const r of await sql.unsafe<{ id: string; status: string }[]>(`select id::text as id, status from "${s}".signalen`))
      push(signals, r.id, { node: code, status: r.status });
    for (const r of await sql.unsafe<{ id: string; soort: string; a: string; b: string }[]>(
      `select id::text as id, soort, signaal_a::text as a, signaal_b::text as b from "${s}".matches`,
    )) {
      push(matches, r.id, { where: code, soort: r.soort, a: r.a, b: r.b });
    }
    for (const r of await sql.unsafe<{ soort: string; sleutel: string; email: string; gemaild: boolean }[]>(
      `select m.soort, m.sleutel, p.email, m.gemaild_op is not null as gemaild from "${s}".meldingen m join "${s}".professionals p on p.id = m.professional_id`,
    )) {
      meldingen.push({ node: code, ...r });
    }
  }
  for (const r of await sql.unsafe<{ id: string; soort: string; a: string; b: string }[]>(
    `select id::text as id, soort, signaal_a::text as a, signaal_b::text as b from hub.hub_matches`,
  )) {
    push(matches, r.id, { where: "hub", soort: r.soort, a: r.a, b: r.b });
  }
  return { signals, matches, meldingen, mails };
}

export interface Verdict {
  ok: boolean;
  counts: {
    acknowledged: number;
    storedSignals: number;
    expectedMatches: number;
    expectedClient: number;
    expectedGezinNode: number;
    expectedGezinHub: number;
    storedMatches: number;
    expectedMeldingen: number;
    storedMeldingen: number;
    unmailed: number;
    mails: number;
    distinctMessageIds: number;
  };
  /** Each list should be empty. At most a few examples are kept per list; the counts are in `problems`. */
  problems: Record<string, { count: number; examples: unknown[] }>;
}

/** Compares what the region holds with the oracle; `ok` when every invariant holds. */
/**
 * `allowedResends`: SMTP is at least once. A process killed between the SMTP
 * server's acceptance of a mail and the commit of its mark resends that one
 * mail (same Message-ID) after restart. A scenario that kills a process may
 * allow one resend per kill; every other fault must cause none.
 */
export function compare(
  acked: AckedSignal[],
  expected: ExpectedMatch[],
  obs: Observed,
  opts: {
    allowedResends?: number;
    /** Meldingen of matches made outside the region (the national index's, at this region's side), expected beside those of `expected`. */
    extraMeldingen?: ExpectedMelding[];
  } = {},
): Verdict {
  const problems: Verdict["problems"] = {};
  const report = (name: string, items: unknown[]) => {
    if (items.length) problems[name] = { count: items.length, examples: items.slice(0, 5) };
  };

  // Signals: every acknowledged one stored exactly once, at the residence node, active; nothing else stored.
  const ackedIds = new Map(acked.map((s) => [s.id, s]));
  report(
    "acknowledged signal not stored",
    acked.filter((s) => !obs.signals.has(s.id)).map((s) => s.id),
  );
  report(
    "signal stored more than once",
    [...obs.signals].filter(([, where]) => where.length > 1).map(([id, where]) => ({ id, where })),
  );
  report(
    "signal stored at another node than the residence",
    acked
      .filter((s) => obs.signals.get(s.id)?.some((w) => w.node !== s.residence))
      .map((s) => ({ id: s.id, residence: s.residence, at: obs.signals.get(s.id) })),
  );
  report(
    "signal not active",
    acked.filter((s) => obs.signals.get(s.id)?.some((w) => w.status !== "actief")).map((s) => s.id),
  );
  report(
    "signal stored that no client had acknowledged",
    [...obs.signals.keys()].filter((id) => !ackedIds.has(id)),
  );
  report("the same registration acknowledged twice", duplicates(acked.map((s) => s.id)));

  // Matches: each expected one exactly once, in the right place, of the right kind; no other.
  const expectedById = new Map(expected.map((m) => [m.id, m]));
  const missing: unknown[] = [];
  const misplaced: unknown[] = [];
  const wrongKind: unknown[] = [];
  for (const m of expected) {
    const got = obs.matches.get(m.id);
    if (!got) missing.push({ id: m.id, soort: m.soort, where: m.where, a: m.a, b: m.b });
    else {
      if (got.length !== 1 || got[0]!.where !== m.where) misplaced.push({ id: m.id, expected: m.where, got: got.map((g) => g.where) });
      if (got.some((g) => g.soort !== m.soort || g.a !== m.a.id || g.b !== m.b.id))
        wrongKind.push({ id: m.id, expected: { soort: m.soort, a: m.a.id, b: m.b.id }, got });
    }
  }
  report("expected match missing", missing);
  report("match stored twice or in the wrong place", misplaced);
  report("match of the wrong kind or pair", wrongKind);
  report(
    "unexpected match",
    [...obs.matches].filter(([id]) => !expectedById.has(id)).map(([id, got]) => ({ id, got })),
  );

  // Meldingen: exactly the expected ones (2 per match, at each side's entry node), each mailed.
  const key = (m: { node: string; sleutel: string; email: string }) => `${m.node}|${m.sleutel}|${m.email.toLowerCase()}`;
  const wanted = [...expectedMeldingen(expected), ...(opts.extraMeldingen ?? [])];
  const stored = obs.meldingen.filter((m) => m.soort === "match");
  const storedKeys = stored.map(key);
  const storedSet = new Set(storedKeys);
  const wantedSet = new Set(wanted.map(key));
  report(
    "expected melding missing",
    wanted.filter((m) => !storedSet.has(key(m))),
  );
  report(
    "unexpected melding",
    stored.filter((m) => !wantedSet.has(key(m))),
  );
  report("melding stored twice", duplicates(storedKeys));
  report(
    "melding of another kind (no relocation in this load)",
    obs.meldingen.filter((m) => m.soort !== "match"),
  );
  const unmailed = obs.meldingen.filter((m) => !m.gemaild);
  report("melding not mailed", unmailed);

  // E-mails: one per melding, no duplicates, to the right people.
  const ids = obs.mails.map((m) => m.messageId ?? `(none #${m.id})`);
  const distinctIds = new Set(ids).size;
  const resends = ids.length - distinctIds;
  if (resends > (opts.allowedResends ?? 0)) report("e-mail sent more than once (same Message-ID)", duplicates(ids));
  if (distinctIds !== obs.meldingen.length) {
    problems["number of distinct e-mails differs from number of meldingen"] = {
      count: Math.abs(distinctIds - obs.meldingen.length),
      examples: [{ mails: distinctIds, meldingen: obs.meldingen.length }],
    };
  }
  const perRecipient = (emails: string[]) => {
    const c = new Map<string, number>();
    for (const e of emails) c.set(e.toLowerCase(), (c.get(e.toLowerCase()) ?? 0) + 1);
    return c;
  };
  const firstOfEach = [...new Map(obs.mails.map((m) => [m.messageId ?? `(none #${m.id})`, m])).values()];
  const mailsTo = perRecipient(firstOfEach.flatMap((m) => m.to));
  const meldingenFor = perRecipient(obs.meldingen.map((m) => m.email));
  const recipientDiff = [...new Set([...mailsTo.keys(), ...meldingenFor.keys()])]
    .filter((e) => (mailsTo.get(e) ?? 0) !== (meldingenFor.get(e) ?? 0))
    .map((e) => ({ email: e, mails: mailsTo.get(e) ?? 0, meldingen: meldingenFor.get(e) ?? 0 }));
  report("e-mails per recipient differ from meldingen per recipient", recipientDiff);

  let storedSignals = 0;
  for (const w of obs.signals.values()) storedSignals += w.length;
  let storedMatches = 0;
  for (const w of obs.matches.values()) storedMatches += w.length;
  return {
    ok: Object.keys(problems).length === 0,
    counts: {
      acknowledged: acked.length,
      storedSignals,
      expectedMatches: expected.length,
      expectedClient: expected.filter((m) => m.soort === "client").length,
      expectedGezinNode: expected.filter((m) => m.soort === "gezin" && m.where !== "hub").length,
      expectedGezinHub: expected.filter((m) => m.where === "hub").length,
      storedMatches,
      expectedMeldingen: wanted.length,
      storedMeldingen: obs.meldingen.length,
      unmailed: unmailed.length,
      mails: obs.mails.length,
      distinctMessageIds: new Set(ids).size,
    },
    problems,
  };
}

function duplicates(values: string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const v of values) (seen.has(v) ? dup : seen).add(v);
  return [...dup];
}
