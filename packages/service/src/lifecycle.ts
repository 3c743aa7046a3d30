/**
 * Start and stop: a service starts its parts in order and registers how to
 * undo each; a failed start undoes what was started, in reverse. `runMain`
 * is the process entry: it stops the service on SIGTERM/SIGINT and exits
 * non-zero with a message when the start fails.
 */
import { errorForLog } from "./log";
import type { Server } from "node:http";
import type { Logger } from "pino";
import { startHttpServer } from "./server";

export interface Stoppable {
  stop(): Promise<void>;
}

/** Undo actions, run last-in first-out; one that fails is logged and the rest still run. */
export class Cleanups {
  private readonly steps: Array<{ what: string; run: () => Promise<unknown> }> = [];
  constructor(private readonly log?: Logger) {}

  push(what: string, run: () => Promise<unknown>): void {
    this.steps.push({ what, run });
  }

  async run(): Promise<void> {
    while (this.steps.length) {
      const step = this.steps.pop()!;
      try {
        await step.run();
      } catch (e) {
        this.log?.error({ err: errorForLog(e), step: step.what }, "clean-up step failed");
      }
    }
  }
}

/** Runs `start`; when it throws, runs the clean-ups it registered, then rethrows. */
export async function startWithCleanups<T>(log: Logger | undefined, start: (cleanups: Cleanups) => Promise<T>): Promise<T> {
  const cleanups = new Cleanups(log);
  try {
    return await start(cleanups);
  } catch (e) {
    await cleanups.run();
    throw e;
  }
}

/** Stops taking requests; in-flight ones get `graceMs`, then their connections are closed. */
export function stopHttpServer(server: Server, graceMs = 5000): Promise<void> {
  return new Promise<void>((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    force.unref();
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/** How long a service that met an error nobody handled gets to stop before the process exits anyway. */
export const FATAL_STOP_MS = 5000;

/**
 * The process entry of a service: start it, stop it once on SIGTERM or SIGINT, exit 1 when it cannot start.
 *
 * An error nobody handled (an unhandled rejection, an uncaught exception) still ends the process, as Node's default
 * does, so its supervisor starts it afresh; but it is written as one log line through errorForLog, where Node would
 * print the error with every property it holds, and the service gets FATAL_STOP_MS to close its connections and
 * answer the requests in flight (what a transaction had not committed is rolled back by PostgreSQL; the outbox and
 * the bus's redelivery pick up the rest). Exit code 1.
 */
export async function runMain(name: string, start: () => Promise<Stoppable>): Promise<void> {
  let service: Stoppable | undefined;
  let stopping = false;
  const fatal = (kind: string) => (err: unknown) => {
    process.stderr.write(`${JSON.stringify({ level: 60, time: Date.now(), name, msg: `${kind}: the process stops`, err: errorForLog(err) })}\n`);
    if (stopping) return;
    stopping = true;
    process.exitCode = 1;
    setTimeout(() => process.exit(1), FATAL_STOP_MS);
    const stopped = service ? service.stop() : Promise.resolve();
    stopped.then(
      () => process.exit(1),
      () => process.exit(1),
    );
  };
  process.on("unhandledRejection", fatal("unhandled rejection"));
  process.on("uncaughtException", fatal("uncaught exception"));
  try {
    service = await start();
  } catch (e) {
    process.stderr.write(`${name} could not start: ${(e as Error).message}\n`);
    process.exit(1);
  }
  const running = service;
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, async () => {
      if (stopping) return;
      stopping = true;
      try {
        await running.stop();
        process.exit(0);
      } catch (e) {
        process.stderr.write(`${name} did not stop cleanly: ${(e as Error).message}\n`);
        process.exit(1);
      }
    });
  }
}

/**
 * Serves `fetch` (an app's) on Node's http server as part of a start: its stop is registered with the
 * start's clean-ups, and an error the app never saw is logged. Resolves with where it listens.
 */
export async function serveHttp(
  cleanups: Cleanups,
  log: Logger,
  what: string,
  opts: { fetch: (req: Request) => Response | Promise<Response>; port: number; hostname: string; apiVersion: string },
): Promise<{ server: Server; port: number; url: string }> {
  const { server, port } = await startHttpServer({
    ...opts,
    onUnexpected: (err) => log.error({ err: { message: (err as Error)?.message } }, `${what} request could not be handled`),
  });
  cleanups.push(what, () => stopHttpServer(server));
  return { server, port, url: `http://localhost:${port}` };
}
