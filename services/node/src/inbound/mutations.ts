/** The BRP mutation feed, polled for relocations (the fake BRP's `GET /beheer/mutaties?vanaf=N`). */
import { z } from "zod";
import type { NodeContext } from "../context";
import { type Mutation, processMutations } from "../logic/relocation";

const MutationFeed = z.object({
  mutaties: z.array(
    z.object({ seq: z.number().int().nonnegative(), soort: z.string(), bsn: z.string(), vanGemeente: z.string(), naarGemeente: z.string(), datum: z.string() }),
  ),
});

export async function fetchMutations(url: string, vanaf: number): Promise<Mutation[]> {
  const u = new URL(url);
  u.searchParams.set("vanaf", String(vanaf));
  const res = await fetch(u, { signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`mutation feed answered ${res.status}`);
  const body = MutationFeed.safeParse(await res.json());
  if (!body.success) throw new Error("mutation feed answered something that is not a list of mutations");
  return body.data.mutaties;
}

/**
 * Reads the feed from a cursor on; each call moves the cursor past what it
 * processed. `vanaf=N` gives the mutations after N, so the cursor is the last
 * seq processed (not one more: that skipped the next mutation).
 */
export function mutationPoller(ctx: NodeContext, feedUrl: string) {
  let cursor = 0;
  return async function poll(): Promise<void> {
    const mutations = await fetchMutations(feedUrl, cursor);
    await processMutations(ctx, mutations);
    for (const m of mutations) cursor = Math.max(cursor, m.seq);
  };
}
