/**
 * Rebuilding the index: it is derived state. Each node is asked over the bus
 * (`rpc.<GM>`, signed `rpc.request` op `index.opvragen`) for the index entries
 * of the signals it holds, a page at a time (the signals after a cursor, in id
 * order, at most REBUILD_PAGE_SIZE of them and no more than fit in one message
 * of the bus: docs/adr/0034). Each page is stored as it comes, in a short
 * transaction of its own under the index lock; once every node has answered,
 * one transaction drops what no answering node holds any more, recomputes
 * every cross-node family pair, and records the missing hub matches (with
 * their meldingen). Matches are never removed, and ids are deterministic, so
 * rebuilding twice, or after normal operation, yields the same hub matches.
 * The hub holds one page per node in memory, never a node's whole index.
 *
 * A node answers with its entries under every key version the pseudonym
 * service holds; the index takes those of its active version, and during a
 * key rotation the entries of the next version are staged (docs/adr/0024).
 *
 * The hub names the key versions it takes (`sleutelversies`), and a node
 * answers from the pseudonyms its youths keep (docs/adr/0047); only a youth
 * that keeps none under those versions makes it ask the pseudonym service.
 * The nodes are paged REBUILD_PARALLEL at a time (docs/adr/0040): a page that
 * needs the pseudonym service's work, from all nodes at once, overloads it. A page that fails for a passing reason
 * (no answer, or a refusal because the node or a service it needs could not
 * be reached) is asked again from the same cursor, REBUILD_RETRIES times with
 * a wait that starts at REBUILD_RETRY_MS and doubles.
 *
 * A node that does not answer (or stops answering halfway, retries spent)
 * keeps its entries as they are. Entries that arrived by event after a page
 * was taken are not lost: a page's entry replaces a stored one only when it is
 * as new or newer, and a stored entry is dropped only when it was stored
 * before the rebuild began and no page named it (every signal a page names is
 * seen: by its `bijgewerkt_op` when the page's entry was written, else, as when
 * it was unchanged or the stored entry newer, in `herbouw_gezien` under the
 * rebuild's id; docs/adr/0049).
 */
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { errorForLog } from "@vi/service";
import { and, asc, notInArray, sql } from "drizzle-orm";
import { z } from "zod";
import { dbReplayGuard, rowsOf } from "@vi/db";
import { createRpcClient, EVENT_SCHEMAS, type RemoteProblem, RpcRefused, type RpcClient, RpcUnreachable } from "@vi/events";
import type { HubContext } from "./context";
import { HUB_ID } from "./context";
import { adoptKeyState, readKeyState, stageEntries } from "./key-versions";
import { allFamilyPairs, lockIndex, normaliseSignaalId, recordMatches, type IndexEntry, writeEntries } from "./matching";

export interface RebuildReport {
  nodes: Record<string, number | "onbereikbaar">;
  /** Pages each node answered (also those of a node that stopped answering halfway). */
  paginas: Record<string, number>;
  /** The key version of the index, and the next one's staged entries during a rotation. */
  sleutelversie: number | null;
  staged?: number;
  indexed: number;
  matches: string[];
  added: string[];
  /**
   * Milliseconds of the pages (every node), of storing them (summed over the pages; they are stored one at a time,
   * under the index lock) and of the final transaction (the sweep, the family pairs, the matches).
   */
  duurMs?: { paginas: number; opslaan: number; afronding: number };
}

/** A page of a node's index; `volgende` absent: a node of an older version, which sends its whole index at once. */
const SnapshotPage = z.object({ entries: z.array(EVENT_SCHEMAS["signaal.index"]), volgende: z.uuid().nullable().optional() });

function snapshotClient(ctx: HubContext): RpcClient {
  return createRpcClient({
    self: HUB_ID,
    keys: ctx.keys,
    trust: ctx.trust,
    transport: ctx.bus,
    replay: dbReplayGuard(ctx.db, ctx.t.ontvangenEvents),
    metrics: ctx.metrics,
    timeoutMs: ctx.config.REBUILD_TIMEOUT_MS,
    now: () => ctx.clock.now(),
  });
}

/** A node refused a page: its Problem, kept so the rebuild can tell a passing refusal from a lasting one. */
export class SnapshotRefused extends Error {
  override readonly name = "SnapshotRefused";
  constructor(
    readonly node: string,
    readonly problem: RemoteProblem,
  ) {
    super(`${node} refused the snapshot: ${problem.code}`);
  }
}

/**
 * A refusal that asking again may cure: the node, or a service it needs for the page (the pseudonym service, its
 * database), could not be reached just now (503 or 504, the codes `…_ONBEREIKBAAR`). Anything else (an invalid
 * request, an operation the node does not know, a hub it does not accept) would be refused again.
 */
export function isTransientRefusal(problem: RemoteProblem): boolean {
  return problem.status === 503 || problem.status === 504 || problem.code.endsWith("_ONBEREIKBAAR");
}

/** Why a page failed when asking again may help ("no-answer" or the refusal's code); undefined when it will not. */
function transientReason(e: unknown): string | undefined {
  if (e instanceof RpcUnreachable) return e.why === "no-answer" ? e.why : undefined;
  if (e instanceof SnapshotRefused) return isTransientRefusal(e.problem) ? e.problem.code : undefined;
  return undefined;
}

/** One page of a node's index entries: those of the signals after `na`, and where the next page starts (null: none). */
export async function requestSnapshotPage(
  ctx: HubContext,
  code: string,
  na: string | undefined,
  rpc: RpcClient = snapshotClient(ctx),
  sleutelversies?: number[],
): Promise<{ entries: IndexEntry[]; volgende: string | null }> {
  let result: unknown;
  try {
    result = await rpc.call(code, "index.opvragen", null, {
      ...(na ? { na } : {}),
      limiet: ctx.config.REBUILD_PAGE_SIZE,
      ...(sleutelversies ? { sleutelversies } : {}),
    });
  } catch (e) {
    if (e instanceof RpcRefused) throw new SnapshotRefused(code, e.problem);
    throw e;
  }
  const parsed = SnapshotPage.safeParse(result);
  if (!parsed.success) throw new Error(`${code} sent an invalid snapshot`);
  const volgende = parsed.data.volgende ? normaliseSignaalId(parsed.data.volgende) : null;
  // The cursor must move on, or a faulty node would keep the rebuild asking for ever.
  if (volgende && na && volgende <= na) throw new Error(`${code} sent a page that does not move on`);
  return { entries: parsed.data.entries, volgende: volgende ?? null };
}

/** The index entries of one node, every page (tests and tools; the rebuild itself stores each page as it comes). */
export async function requestSnapshot(ctx: HubContext, code: string): Promise<IndexEntry[]> {
  const rpc = snapshotClient(ctx);
  const all: IndexEntry[] = [];
  let na: string | undefined;
  for (;;) {
    const page = await requestSnapshotPage(ctx, code, na, rpc);
    all.push(...page.entries);
    if (!page.volgende) return all;
    na = page.volgende;
  }
}

/**
 * A page as requestSnapshotPage asks it, asked again from the same cursor after a transient failure, at most
 * REBUILD_RETRIES times, waiting REBUILD_RETRY_MS and twice as long each time. Each retry is logged (the node, the
 * page's number, the reason: no signal, no person).
 */
async function requestPageRetried(ctx: HubContext, code: string, na: string | undefined, rpc: RpcClient, pagina: number, sleutelversies?: number[]) {
  let wait = ctx.config.REBUILD_RETRY_MS;
  for (let retry = 1; ; retry++) {
    try {
      return await requestSnapshotPage(ctx, code, na, rpc, sleutelversies);
    } catch (e) {
      const reason = transientReason(e);
      if (reason === undefined || retry > ctx.config.REBUILD_RETRIES) throw e;
      ctx.log.warn({ node: code, pagina, poging: retry, van: ctx.config.REBUILD_RETRIES, wachtMs: wait, reden: reason }, "index page asked again");
      await sleep(wait);
      wait *= 2;
    }
  }
}

interface PageOutcome {
  /** Entries of the active key version (counted as the old, unpaged rebuild did: every valid entry of that version). */
  indexed: number;
  staged: number;
}

/**
 * Stores one page of node `code` in its own transaction under the index lock: the entries of the active key version
 * into the index (as new or newer), those of the next version into the stage while a rotation runs, and marks every
 * signal the page names as seen (by its `bijgewerkt_op` when written, else in `herbouw_gezien`), so the final sweep
 * keeps it.
 */
async function storePage(ctx: HubContext, code: string, entries: IndexEntry[], herbouw: string): Promise<PageOutcome> {
  const valid: IndexEntry[] = [];
  for (const e of entries) {
    const signaalId = normaliseSignaalId(e.signaalId);
    if (e.node !== code || !signaalId) {
      ctx.log.warn({ node: code }, "snapshot entry ignored: not a signal of this node");
      continue;
    }
    valid.push({ ...e, signaalId });
  }
  if (valid.length === 0) return { indexed: 0, staged: 0 };
  // The statements of a page are pipelined (sent together, answered in order): each wait for an answer is a wait for
  // this process's event loop, which is busy opening other pages, and the index lock is held meanwhile.
  return ctx.db.transaction(async (tx) => {
    const [, stored] = await Promise.all([lockIndex(tx, ctx.schema), readKeyState(ctx, tx)]);
    // A new hub adopts the newest version the nodes report (an older one is being retired).
    const keys = stored ?? (await adoptKeyState(ctx, tx, Math.max(...valid.map((e) => e.sleutelversie))));
    const newest = (version: number) => {
      const m = new Map<string, IndexEntry>();
      for (const e of valid) {
        if (e.sleutelversie !== version) continue;
        const seen = m.get(e.signaalId);
        if (!seen || seen.versie < e.versie) m.set(e.signaalId, e);
      }
      return m;
    };
    const active = newest(keys.actief);
    let indexed = 0;
    for (const e of valid) if (e.sleutelversie === keys.actief) indexed++;
    if (active.size) {
      // Every id the page names is noted as seen (docs/adr/0049), also an unchanged entry, which is not rewritten, and
      // one whose stored entry is newer (an event overtook the page). The ids as one JSON parameter: a list of a
      // thousand parameters cost more to build than to run.
      await Promise.all([
        writeEntries(ctx, tx, ctx.t.indexSignalen, [...active.values()], "newer-or-changed"),
        tx.execute(sql`
          insert into ${ctx.t.herbouwGezien} (herbouw, signaal_id)
          select ${herbouw}::uuid, jsonb_array_elements_text(${JSON.stringify([...active.keys()])}::jsonb)::uuid`),
      ]);
    }
    let staged = 0;
    if (keys.volgende !== null) {
      const next = newest(keys.volgende);
      // Staged only while the rotation that asked for them still runs.
      if (next.size) await stageEntries(ctx, tx, [...next.values()], "same-or-newer");
      for (const e of valid) if (e.sleutelversie === keys.volgende) staged++;
    }
    return { indexed, staged };
  });
}

export interface RebuildOptions {
  /** The client that asks the nodes (tests); default one signed as the hub with REBUILD_TIMEOUT_MS. */
  rpc?: RpcClient;
}

export async function rebuildIndex(ctx: HubContext, opts: RebuildOptions = {}): Promise<RebuildReport> {
  // The database's clock, as text (microseconds kept): entries stored or seen after this moment stay.
  const [{ started } = { started: "" }] = rowsOf<{ started: string }>(await ctx.db.execute(sql`select clock_timestamp()::text as started`));
  // This rebuild's id in herbouw_gezien.
  const herbouw = randomUUID();
  try {
    return await rebuildAs(ctx, opts, started, herbouw);
  } finally {
    // Its notes, and those a rebuild that died halfway left (a day old: no rebuild runs that long).
    await ctx.db
      .execute(sql`delete from ${ctx.t.herbouwGezien} where herbouw = ${herbouw}::uuid or gezien_op < now() - interval '1 day'`)
      .catch((e) => ctx.log.warn({ err: errorForLog(e) }, "rebuild: its seen notes were not removed"));
  }
}

async function rebuildAs(ctx: HubContext, opts: RebuildOptions, started: string, herbouw: string): Promise<RebuildReport> {
  const t = ctx.t;
  const registry = await ctx.db.select({ code: t.nodes.code }).from(t.nodes).orderBy(asc(t.nodes.code));
  const rpc = opts.rpc ?? snapshotClient(ctx);
  // The versions the index takes: a node answers from the pseudonyms it keeps under them (docs/adr/0047). A new hub
  // knows none yet, and takes what the pseudonym service holds.
  const keys = await readKeyState(ctx, ctx.db);
  const sleutelversies = keys ? [keys.actief, ...(keys.volgende !== null ? [keys.volgende] : [])] : undefined;
  const nodes: RebuildReport["nodes"] = {};
  const paginas: RebuildReport["paginas"] = {};
  let staged = 0;
  let storeMs = 0;
  /** One node, its pages one after the other; never throws (a node that fails is "onbereikbaar"). */
  const rebuildNode = async (code: string) => {
    let count = 0;
    paginas[code] = 0;
    let na: string | undefined;
    try {
      // The next page is asked while this one is stored: the node reads and seals it while the hub writes.
      let asked = requestPageRetried(ctx, code, na, rpc, 1, sleutelversies);
      for (;;) {
        const page = await asked;
        paginas[code]++;
        const next = page.volgende ? requestPageRetried(ctx, code, page.volgende, rpc, paginas[code] + 1, sleutelversies) : undefined;
        // Awaited below; a failure to store this page must not leave it unhandled.
        next?.catch(() => {});
        const storeFrom = performance.now();
        const stored = await storePage(ctx, code, page.entries, herbouw);
        storeMs += performance.now() - storeFrom;
        count += stored.indexed;
        staged += stored.staged;
        if (!next) break;
        asked = next;
      }
      nodes[code] = count;
    } catch (e) {
      ctx.log.warn({ node: code, paginas: paginas[code], err: errorForLog(e) }, "no (complete) index snapshot from node");
      nodes[code] = "onbereikbaar";
    }
  };
  // REBUILD_PARALLEL workers, each taking the next node in the registry's order until none is left.
  const waiting = registry.map((r) => r.code);
  const worker = async () => {
    for (let code = waiting.shift(); code !== undefined; code = waiting.shift()) await rebuildNode(code);
  };
  const pagesFrom = performance.now();
  await Promise.all(Array.from({ length: Math.min(ctx.config.REBUILD_PARALLEL, waiting.length) }, worker));
  const finalFrom = performance.now();
  const unreachable = Object.entries(nodes)
    .filter(([, v]) => v === "onbereikbaar")
    .map(([code]) => code);

  const report = await ctx.db.transaction(async (tx) => {
    await lockIndex(tx, ctx.schema);
    // Drop what no answering node holds any more: neither stored nor seen since the start (kept: unreachable nodes' entries).
    const conditions = [
      sql`${t.indexSignalen.bijgewerktOp} < ${started}::timestamptz`,
      sql`not exists (select 1 from ${t.herbouwGezien} g where g.herbouw = ${herbouw}::uuid and g.signaal_id = ${t.indexSignalen.signaalId})`,
    ];
    if (unreachable.length) conditions.push(notInArray(t.indexSignalen.node, unreachable));
    await tx.delete(t.indexSignalen).where(and(...conditions));
    const current = await readKeyState(ctx, tx);
    const added = await recordMatches(ctx, tx, await allFamilyPairs(ctx, tx));
    const matches = (await tx.select({ id: t.hubMatches.id }).from(t.hubMatches).orderBy(asc(t.hubMatches.id))).map((r) => r.id);
    const [indexed] = await tx.select({ n: sql<number>`count(*)::int` }).from(t.indexSignalen);
    return {
      nodes: Object.fromEntries(Object.entries(nodes).sort(([a], [b]) => a.localeCompare(b))),
      paginas: Object.fromEntries(Object.entries(paginas).sort(([a], [b]) => a.localeCompare(b))),
      sleutelversie: current?.actief ?? null,
      ...(current?.volgende ? { staged } : {}),
      indexed: indexed?.n ?? 0,
      matches,
      added,
    };
  });
  const duurMs = { paginas: Math.round(finalFrom - pagesFrom), opslaan: Math.round(storeMs), afronding: Math.round(performance.now() - finalFrom) };
  if (report.added.length) ctx.relay.kick();
  ctx.log.info(
    { nodes: report.nodes, paginas: report.paginas, indexed: report.indexed, matches: report.matches.length, added: report.added.length, duurMs },
    "index rebuilt",
  );
  return { ...report, duurMs };
}
