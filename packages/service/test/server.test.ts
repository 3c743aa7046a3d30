import type { Server } from "node:http";
import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger, createServiceApp, startHttpServer } from "../src/index";

const API_VERSION = "3.0.1";

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Sends bytes as they are over a plain TCP socket and reads the answer until the server closes the connection. */
function raw(port: number, bytes: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let data = "";
    socket.setEncoding("utf8");
    socket.on("data", (d: string) => (data += d));
    const done = () => {
      const [head = "", ...rest] = data.split("\r\n\r\n");
      const [statusLine = "", ...headerLines] = head.split("\r\n");
      const status = Number(/^HTTP\/1\.1 (\d{3}) /.exec(statusLine)?.[1]);
      if (!status) return reject(new Error(`no HTTP answer: ${JSON.stringify(data.slice(0, 200))}`));
      const headers = Object.fromEntries(headerLines.map((l) => [l.slice(0, l.indexOf(":")).toLowerCase(), l.slice(l.indexOf(":") + 1).trim()]));
      resolve({ status, headers, body: rest.join("\r\n\r\n") });
    };
    socket.on("close", done);
    // The server may close while we are still writing (a header overflow); the answer has arrived by then.
    socket.on("error", () => {});
    socket.write(bytes);
  });
}

let servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  servers = [];
});

async function start(onUnexpected?: (err: unknown) => void) {
  const app = createServiceApp({ apiVersion: API_VERSION, log: createLogger("silent"), bodyLimitBytes: 1024, ready: async () => true });
  app.get("/api/v1/ok", (c) => c.json({ ok: true }));
  const { server, port } = await startHttpServer({ fetch: app.fetch, port: 0, hostname: "127.0.0.1", apiVersion: API_VERSION, onUnexpected });
  servers.push(server);
  return port;
}

describe("startHttpServer", () => {
  it("listens on the port it was given (0: a free one) and serves the app", async () => {
    const port = await start();
    expect(port).toBeGreaterThan(0);
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/ok`);
    expect(res.status).toBe(200);
    expect(res.headers.get("API-Version")).toBe(API_VERSION);
    expect(await res.json()).toEqual({ ok: true });
  });

  it("a malformed request line gets 400 Problem Details with an API-Version header", async () => {
    const port = await start();
    const answer = await raw(port, "THIS IS NOT HTTP\r\n\r\n");
    expect(answer.status).toBe(400);
    expect(answer.headers["content-type"]).toBe("application/problem+json");
    expect(answer.headers["api-version"]).toBe(API_VERSION);
    expect(answer.headers["cache-control"]).toBe("no-store");
    expect(answer.headers.connection).toBe("close");
    expect(Number(answer.headers["content-length"])).toBe(Buffer.byteLength(answer.body));
    expect(JSON.parse(answer.body)).toEqual({
      type: "https://verwijsindex.example/problemen/verzoek-ongeldig",
      title: "Ongeldig verzoek",
      status: 400,
      detail: expect.stringContaining("verzoekregel"),
      code: "VERZOEK_ONGELDIG",
    });
  });

  it("a request line with an invalid HTTP version gets the same 400 Problem Details", async () => {
    const port = await start();
    const answer = await raw(port, "GET /api/v1/ok HTTP/9.9.9\r\nHost: localhost\r\n\r\n");
    expect(answer.status).toBe(400);
    expect(answer.headers["api-version"]).toBe(API_VERSION);
    expect(JSON.parse(answer.body).code).toBe("VERZOEK_ONGELDIG");
  });

  it("headers over Node's limit get 431 KOPTEKST_TE_GROOT as Problem Details", async () => {
    const port = await start();
    const answer = await raw(port, `GET /api/v1/ok HTTP/1.1\r\nHost: localhost\r\nX-Opvulling: ${"a".repeat(20_000)}\r\n\r\n`);
    expect(answer.status).toBe(431);
    expect(answer.headers["content-type"]).toBe("application/problem+json");
    expect(answer.headers["api-version"]).toBe(API_VERSION);
    expect(JSON.parse(answer.body)).toMatchObject({ status: 431, code: "KOPTEKST_TE_GROOT", type: "https://verwijsindex.example/problemen/koptekst-te-groot" });
  });

  it("a request the adapter cannot turn into a URL (invalid Host) gets 400 Problem Details and is not reported as unexpected", async () => {
    const unexpected: unknown[] = [];
    const port = await start((e) => unexpected.push(e));
    const answer = await raw(port, "GET /api/v1/ok HTTP/1.1\r\nHost: exa mple\r\nConnection: close\r\n\r\n");
    expect(answer.status).toBe(400);
    expect(answer.headers["content-type"]).toBe("application/problem+json");
    expect(answer.headers["api-version"]).toBe(API_VERSION);
    expect(JSON.parse(answer.body).code).toBe("VERZOEK_ONGELDIG");
    expect(unexpected).toEqual([]);
  });

  it("a malformed request does not stop the server from answering the next one", async () => {
    const port = await start();
    expect((await raw(port, "\u0000\u0001garbage\r\n\r\n")).status).toBe(400);
    const answer = await raw(port, "GET /api/v1/ok HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('{"ok":true}');
  });
});
