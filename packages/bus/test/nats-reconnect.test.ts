/**
 * NATS only: a consumer and a server keep working across a server restart.
 * Runs its own nats-server (the machine's binary) on a free port, so the
 * shared server is never restarted.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { connect as netConnect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NATS_SERVER as BINARY } from "../../../test/support/constants";
import { connectNatsBus, type Bus, type BusMessage } from "../src/index";
import { quiet, waitFor } from "./support";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => (typeof a === "object" && a ? resolve(a.port) : reject(new Error("no port"))));
    });
  });
}

async function startServer(port: number, dir: string): Promise<ChildProcess> {
  const p = spawn(BINARY, ["-js", "-sd", dir, "-a", "127.0.0.1", "-p", String(port)], { stdio: "ignore" });
  await waitFor(
    `nats-server on ${port}`,
    () =>
      new Promise<boolean>((res) => {
        const c = netConnect(port, "127.0.0.1", () => (c.end(), res(true)));
        c.on("error", () => res(false));
      }),
  );
  return p;
}

async function stopServer(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null) return;
  const exited = new Promise((r) => p.once("exit", r));
  p.kill("SIGTERM");
  await exited;
}

describe("bus on NATS across a server restart", () => {
  let dir = "";
  let port = 0;
  let server: ChildProcess | undefined;
  let bus: Bus | undefined;

  beforeAll(async () => {
    if (!existsSync(BINARY)) throw new Error(`the reconnect test needs the nats-server binary at ${BINARY} (set NATS_SERVER_BIN)`);
    dir = mkdtempSync(join(tmpdir(), "bus-reconnect-"));
    port = await freePort();
    server = await startServer(port, dir);
  });
  afterAll(async () => {
    await bus?.close();
    if (server) await stopServer(server);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("keeps consuming and serving after the server restarts", async () => {
    bus = await connectNatsBus({ servers: `nats://127.0.0.1:${port}`, name: "reconnect", namespace: "rc", log: quiet });
    await bus.ensureStreams();
    const got: BusMessage[] = [];
    await bus.consume({ durable: "rc", filterSubjects: ["evt.>"], backoffMs: [50] }, async (m) => void got.push(m));
    await bus.serve("rpc.x", async (d) => `pong ${d}`);
    await bus.publish("evt.a.b", "voor", "1");
    await waitFor("first message", () => got.length === 1);

    await stopServer(server!);
    server = await startServer(port, dir);

    await waitFor(
      "publish after restart",
      async () => {
        try {
          await bus!.publish("evt.a.b", "na", "2");
          return true;
        } catch {
          return false;
        }
      },
      15_000,
    );
    await waitFor("message after restart", () => got.length === 2, 15_000);
    expect(got.map((m) => m.data)).toEqual(["voor", "na"]);
    expect(await bus.request("rpc.x", "ping", 2000)).toBe("pong ping");
  }, 40_000);
});
