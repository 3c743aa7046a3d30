import { spawnSync } from "node:child_process";
import { Agent, request as httpRequest } from "node:http";
import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { Cleanups, createLogger, startHttpServer, startWithCleanups, stopHttpServer } from "../src/index";

function memoryLog() {
  const lines: Array<Record<string, unknown>> = [];
  const log = createLogger("info", "test", { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) });
  return { log, lines };
}

describe("startWithCleanups", () => {
  it("when the start fails, what was started is stopped in reverse order and the error is rethrown", async () => {
    const order: string[] = [];
    const boom = new Error("nats unreachable");
    await expect(
      startWithCleanups(undefined, async (cleanups) => {
        cleanups.push("database", async () => void order.push("database"));
        cleanups.push("bus", async () => void order.push("bus"));
        cleanups.push("http", async () => void order.push("http"));
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(order).toEqual(["http", "bus", "database"]);
  });

  it("when the start succeeds, nothing is stopped and its result is returned", async () => {
    const stopped: string[] = [];
    const result = await startWithCleanups(undefined, async (cleanups) => {
      cleanups.push("database", async () => void stopped.push("database"));
      return { port: 8000 };
    });
    expect(result).toEqual({ port: 8000 });
    expect(stopped).toEqual([]);
  });

  it("a clean-up step that fails is logged and does not stop the others; the start's error is still the one thrown", async () => {
    const { log, lines } = memoryLog();
    const order: string[] = [];
    const boom = new Error("port in use");
    await expect(
      startWithCleanups(log, async (cleanups) => {
        cleanups.push("database", async () => void order.push("database"));
        cleanups.push("bus", async () => {
          order.push("bus");
          throw new Error("bus already closed");
        });
        cleanups.push("consumer", async () => void order.push("consumer"));
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(order).toEqual(["consumer", "bus", "database"]);
    const failed = lines.filter((l) => l.msg === "clean-up step failed");
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ step: "bus", err: { message: "bus already closed" } });
  });

  it("a clean-up step that fails without a logger still lets the others run", async () => {
    const order: string[] = [];
    await expect(
      startWithCleanups(undefined, async (cleanups) => {
        cleanups.push("a", async () => void order.push("a"));
        cleanups.push("b", async () => {
          throw new Error("b failed");
        });
        throw new Error("start failed");
      }),
    ).rejects.toThrow("start failed");
    expect(order).toEqual(["a"]);
  });

  it("waits for each clean-up step before the next one starts", async () => {
    const events: string[] = [];
    await expect(
      startWithCleanups(undefined, async (cleanups) => {
        cleanups.push("first", async () => void events.push("first"));
        cleanups.push("slow", async () => {
          events.push("slow:start");
          await new Promise((r) => setTimeout(r, 20));
          events.push("slow:end");
        });
        throw new Error("x");
      }),
    ).rejects.toThrow("x");
    expect(events).toEqual(["slow:start", "slow:end", "first"]);
  });
});

describe("Cleanups", () => {
  it("run() empties the list: a second run does nothing", async () => {
    const cleanups = new Cleanups();
    let runs = 0;
    cleanups.push("a", async () => void runs++);
    cleanups.push("b", async () => void runs++);
    await cleanups.run();
    expect(runs).toBe(2);
    await cleanups.run();
    expect(runs).toBe(2);
  });

  it("a step pushed after a run is run by the next run, alone", async () => {
    const cleanups = new Cleanups();
    const ran: string[] = [];
    cleanups.push("a", async () => void ran.push("a"));
    await cleanups.run();
    cleanups.push("b", async () => void ran.push("b"));
    await cleanups.run();
    expect(ran).toEqual(["a", "b"]);
  });
});

describe("stopHttpServer", () => {
  const start = (fetch: (req: Request) => Response | Promise<Response>) => startHttpServer({ fetch, port: 0, hostname: "127.0.0.1", apiVersion: "1.0.0" });

  it("closes a server even while an idle keep-alive connection is open, well before the grace period", async () => {
    const { server, port } = await start(() => new Response("ok"));
    const socket = connect(port, "127.0.0.1");
    try {
      let received = "";
      socket.setEncoding("utf8");
      const answered = new Promise<void>((resolve) =>
        socket.on("data", (d: string) => {
          received += d;
          if (received.endsWith("\r\n\r\nok")) resolve();
        }),
      );
      const socketClosed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
      socket.write("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n");
      await answered;
      // The answer is in and the connection stays open, idle.
      expect(received).toMatch(/^HTTP\/1\.1 200 /);
      expect(received.toLowerCase()).toContain("connection: keep-alive");
      expect(socket.destroyed).toBe(false);

      const started = performance.now();
      await stopHttpServer(server, 30_000);
      expect(performance.now() - started).toBeLessThan(2_000);
      expect(server.listening).toBe(false);
      await socketClosed;
    } finally {
      socket.destroy();
      server.close();
    }
  });

  it("a request still in flight gets the grace period, then its connection is closed", async () => {
    let entered!: () => void;
    const inHandler = new Promise<void>((r) => (entered = r));
    const { server, port } = await start(() => {
      entered();
      return new Promise<Response>(() => {}); // never answers
    });
    const outcome = new Promise<string>((resolve) => {
      const req = httpRequest({ host: "127.0.0.1", port, path: "/" }, () => resolve("answered"));
      req.on("error", (e) => resolve(`error: ${(e as NodeJS.ErrnoException).code}`));
      req.end();
    });
    await inHandler;
    const started = performance.now();
    await stopHttpServer(server, 150);
    const took = performance.now() - started;
    expect(took).toBeGreaterThanOrEqual(100);
    expect(took).toBeLessThan(5_000);
    expect(server.listening).toBe(false);
    expect(await outcome).toBe("error: ECONNRESET");
  });

  it("a request in flight that finishes within the grace period is answered, and the stop completes with it", async () => {
    let release!: () => void;
    let entered!: () => void;
    const inHandler = new Promise<void>((r) => (entered = r));
    const { server, port } = await start(async () => {
      entered();
      await new Promise<void>((r) => (release = r));
      return new Response("klaar");
    });
    const answer = get(port, new Agent({ keepAlive: false }));
    await inHandler;
    const started = performance.now();
    const stopped = stopHttpServer(server, 10_000);
    release();
    expect(await answer).toBe("200 klaar");
    await stopped;
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(server.listening).toBe(false);
  });

  it("a keep-alive client whose request was in flight does not hold the stop beyond the grace period", async () => {
    let release!: () => void;
    let entered!: () => void;
    const inHandler = new Promise<void>((r) => (entered = r));
    const { server, port } = await start(async () => {
      entered();
      await new Promise<void>((r) => (release = r));
      return new Response("klaar");
    });
    const agent = new Agent({ keepAlive: true });
    try {
      const answer = get(port, agent);
      await inHandler;
      const started = performance.now();
      const stopped = stopHttpServer(server, 300);
      release();
      expect(await answer).toBe("200 klaar");
      await stopped;
      expect(performance.now() - started).toBeLessThan(2_000);
      expect(server.listening).toBe(false);
    } finally {
      agent.destroy();
    }
  });
});

function get(port: number, agent: Agent): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, path: "/", agent }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (text += d));
      res.on("end", () => resolve(`${res.statusCode} ${text}`));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("runMain: an error nobody handled", () => {
  for (const kind of ["rejection", "exception"] as const) {
    it(`an unhandled ${kind} stops the service and exits 1, logged as one line without the BSN it held`, () => {
      const run = spawnSync(process.execPath, ["--import", "tsx", "packages/service/test/fixtures/fatal-main.ts"], {
        env: { ...process.env, FATAL: kind },
        encoding: "utf8",
        timeout: 20_000,
      });
      expect(run.status).toBe(1);
      expect(run.stdout).toBe("stopped\n");
      const lines = run.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      const line = JSON.parse(lines[0] ?? "") as { level: number; name: string; msg: string; err: { message: string } };
      expect(line).toMatchObject({
        level: 60,
        name: "fatal-test",
        msg: `${kind === "rejection" ? "unhandled rejection" : "uncaught exception"}: the process stops`,
      });
      expect(line.err.message).toContain("lookup failed for");
      expect(run.stderr).not.toContain("999993653");
    });
  }
});
