/** Test support: a fresh namespace per test on either implementation. */
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";
import { natsUrl } from "../../../test/support/constants";
import { createMemoryBroker, connectNatsBus, type Bus, type BusLogger } from "../src/index";

export const NATS_URL = natsUrl();

export const quiet: BusLogger = { warn: () => undefined, error: () => undefined };

export function randomNamespace(): string {
  return `t${Math.random().toString(36).slice(2, 10)}`;
}

export interface World {
  /** A bus in namespace `ns` (default: this test's namespace). */
  bus(name: string, ns?: string): Promise<Bus>;
  readonly ns: string;
  /** Closes every bus and, on NATS, deletes the streams of every namespace used. */
  teardown(): Promise<void>;
}

export interface Impl {
  kind: "memory" | "nats";
  start(): Promise<void>;
  world(): World;
  stop(): Promise<void>;
}

export const memoryImpl = (): Impl => ({
  kind: "memory",
  async start() {},
  world() {
    const broker = createMemoryBroker({ namespace: randomNamespace(), log: quiet });
    const buses: Bus[] = [];
    let ns = "";
    const w: World = {
      get ns() {
        return ns;
      },
      async bus(name, other) {
        const b = broker.connect(name, other ? { namespace: other } : undefined);
        ns ||= b.namespace;
        buses.push(b);
        return b;
      },
      async teardown() {
        await Promise.all(buses.map((b) => b.close()));
      },
    };
    ns = broker.connect("probe").namespace;
    return w;
  },
  async stop() {},
});

export const natsImpl = (): Impl => {
  let admin: NatsConnection | undefined;
  let problem: Error | undefined;
  return {
    kind: "nats",
    async start() {
      try {
        admin = await connect({ servers: NATS_URL, name: "bus-test-admin", maxReconnectAttempts: 0 });
        await jetstreamManager(admin);
      } catch (err) {
        // every test fails with this message (a throwing beforeAll would report them as skipped)
        problem = new Error(
          `The bus contract tests need a NATS server with JetStream at ${NATS_URL} (set NATS_URL, or run ` + `'nats-server -js'): ${(err as Error).message}`,
        );
      }
    },
    world() {
      if (problem) throw problem;
      const ns = randomNamespace();
      const used = new Set([ns]);
      const buses: Bus[] = [];
      return {
        ns,
        async bus(name, other) {
          const b = await connectNatsBus({ servers: NATS_URL, name, namespace: other ?? ns, log: quiet });
          used.add(b.namespace);
          buses.push(b);
          return b;
        },
        async teardown() {
          await Promise.all(buses.map((b) => b.close()));
          if (!admin) return;
          const jsm = await jetstreamManager(admin);
          for (const n of used) {
            for (const s of [`${n.toUpperCase()}_EVENTS`, `${n.toUpperCase()}_DLQ`]) {
              await jsm.streams.delete(s).catch(() => undefined);
            }
          }
        },
      };
    },
    async stop() {
      await admin?.close();
    },
  };
};

export async function waitFor(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await sleep(10);
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
