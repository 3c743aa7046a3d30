/**
 * The HTTP server of every service: a hono app on
 * Node's http server, where even requests the app never sees — a malformed
 * request line, an unknown method, headers over Node's limit, a URL that
 * cannot be parsed — are answered with Problem Details and an API-Version
 * header instead of a bare status line.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { randomUUID } from "node:crypto";
import { getRequestListener } from "@hono/node-server";
import { continueTrace } from "./trace";

export interface EdgeProblem {
  status: number;
  code: string;
  title: string;
  detail: string;
}

const MALFORMED: EdgeProblem = {
  status: 400,
  code: "VERZOEK_ONGELDIG",
  title: "Ongeldig verzoek",
  detail: "Het HTTP-verzoek zelf klopt niet (verzoekregel, methode of URL). Controleer de URL en de methode.",
};
const HEADERS_TOO_LARGE: EdgeProblem = {
  status: 431,
  code: "KOPTEKST_TE_GROOT",
  title: "Kopteksten te groot",
  detail: "De URL of de kopteksten van het verzoek zijn te groot. Maak de URL korter of stuur minder kopteksten.",
};

const body = (p: EdgeProblem) =>
  JSON.stringify({
    type: `https://verwijsindex.example/problemen/${p.code.toLowerCase().replaceAll("_", "-")}`,
    title: p.title,
    status: p.status,
    detail: p.detail,
    code: p.code,
  });

export async function startHttpServer(opts: {
  fetch: (req: Request) => Response | Promise<Response>;
  port: number;
  hostname: string;
  apiVersion: string;
  onUnexpected?: (err: unknown) => void;
}): Promise<{ server: Server; port: number }> {
  // A fresh object each time: @hono/node-server adds Content-Length to the headers object it is given.
  // A request refused here gets a request id and a trace of its own, like every answer of the app.
  const headers = () => ({
    "Content-Type": "application/problem+json",
    "API-Version": opts.apiVersion,
    "Cache-Control": "no-store",
    "X-Request-Id": randomUUID(),
    traceparent: continueTrace().traceparent,
  });
  const listener = getRequestListener(opts.fetch, {
    hostname: opts.hostname,
    // A request the adapter could not turn into a Request (e.g. an unparsable URL).
    errorHandler: (err: unknown) => {
      if ((err as Error)?.name !== "RequestError") opts.onUnexpected?.(err);
      return new Response(body(MALFORMED), { status: 400, headers: headers() });
    },
  });
  const server = createServer(listener);
  // Requests Node's parser refuses before any handler runs.
  server.on("clientError", (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const p = err.code === "HPE_HEADER_OVERFLOW" ? HEADERS_TOO_LARGE : MALFORMED;
    const text = body(p);
    socket.end(
      `HTTP/1.1 ${p.status} ${p.title}\r\n` +
        Object.entries(headers())
          .map(([k, v]) => `${k}: ${v}\r\n`)
          .join("") +
        `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.hostname, () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}
