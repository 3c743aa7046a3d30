/** Several municipal nodes in one process (docs/adr/0045): started one after another, stopped together. */
import type { NodeConfig } from "./config";
import { type RunningNode, type StartOptions, startNode } from "./server";

export interface RunningNodes {
  nodes: RunningNode[];
  stop(): Promise<void>;
}

/**
 * Starts a node for each configuration, in order. When one cannot start, the ones already started are stopped and
 * the error names the gemeente that failed.
 */
export async function startNodes(configs: readonly NodeConfig[], start: (opts: StartOptions) => Promise<RunningNode> = startNode): Promise<RunningNodes> {
  const nodes: RunningNode[] = [];
  for (const config of configs) {
    try {
      nodes.push(await start({ config }));
    } catch (e) {
      await stopAll(nodes);
      throw new Error(`${config.GEMEENTE}: ${(e as Error).message}`, { cause: e });
    }
  }
  return { nodes, stop: () => stopAll(nodes) };
}

/** Stops every node, all at once; the first failure is reported after all have been asked to stop. */
async function stopAll(nodes: readonly RunningNode[]): Promise<void> {
  const results = await Promise.allSettled(nodes.map((n) => n.stop()));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
}
