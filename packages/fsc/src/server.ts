/**
 * The receiving side of the national chain's HTTPS (docs/national-chain.md): a TLS server that asks every client
 * for its certificate (mutual TLS), and a hono middleware that checks each request's signature against that very
 * certificate, refuses with Problem Details (counted by reason), and signs every answer it lets through.
 *
 * The TLS layer asks for a certificate but does not drop a connection without a valid one: the middleware refuses
 * the request with a Problem Details answer and counts it, so a wrong certificate is visible in the metrics rather
 * than a silent handshake failure.
 */
import { createServer as createHttpsServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";
import { X509Certificate } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { getRequestListener } from "@hono/node-server";
import type { MiddlewareHandler } from "hono";
import { Problem } from "@vi/service";
import type { FscMetrics } from "./metrics";
import { FscRefused, type FscIdentity, type NonceGuard, type RefusalReason, SIGNATURE_HEADER, signMessage, verifyMessage } from "./signing";

export interface TlsMaterial {
  /** The CA (PEM) whose certificates are trusted. */
  ca: string;
  /** This party's certificate and key (PEM). */
  identity: FscIdentity;
}

/** The Problem Details codes of a refused signed request (every service of the chain lists them). */
export const FSC_PROBLEMS = {
  HANDTEKENING_ONTBREEKT: { status: 401, title: "Handtekening ontbreekt" },
  HANDTEKENING_ONGELDIG: { status: 401, title: "Handtekening ongeldig" },
  VERZOEK_HERHAALD: { status: 401, title: "Verzoek herhaald" },
  HANDTEKENING_VERLOPEN: { status: 401, title: "Handtekening verlopen" },
  CERTIFICAAT_ONGELDIG: { status: 401, title: "Certificaat ongeldig" },
  VERKEERDE_ONTVANGER: { status: 401, title: "Verkeerde ontvanger" },
  ORGANISATIE_NIET_TOEGESTAAN: { status: 403, title: "Organisatie niet toegestaan" },
} as const;
export type FscProblemCode = keyof typeof FSC_PROBLEMS;
/**
 * What a route behind fscGuard can answer besides its own problems: every refusal of the guard, and a body that is
 * not valid (VERZOEK_ONGELDIG, in each service's catalog). For the routes' OpenAPI responses.
 */
export const SIGNED_REQUEST_PROBLEMS = [...(Object.keys(FSC_PROBLEMS) as FscProblemCode[]), "VERZOEK_ONGELDIG"] as const;

const CODE_OF: Record<RefusalReason, FscProblemCode> = {
  ontbreekt: "HANDTEKENING_ONTBREEKT",
  vervalst: "HANDTEKENING_ONGELDIG",
  herhaald: "VERZOEK_HERHAALD",
  verlopen: "HANDTEKENING_VERLOPEN",
  "verkeerd-certificaat": "CERTIFICAAT_ONGELDIG",
  "verkeerde-audience": "VERKEERDE_ONTVANGER",
  "niet-toegestaan": "ORGANISATIE_NIET_TOEGESTAAN",
};
const DETAIL_OF: Record<RefusalReason, string> = {
  ontbreekt: "Het verzoek is niet ondertekend. Onderteken methode, pad en inhoud met de sleutel van uw PKIoverheid-certificaat.",
  vervalst: "De handtekening van het verzoek klopt niet bij de inhoud, het pad of de methode.",
  herhaald: "Dit verzoek is al eerder ontvangen (dezelfde nonce). Stuur een nieuw ondertekend verzoek.",
  verlopen: "De handtekening is verlopen of nog niet geldig. Controleer de klok van uw systeem.",
  "verkeerd-certificaat": "Het certificaat is niet uitgegeven door de vertrouwde CA, niet geldig, of niet het certificaat van de TLS-verbinding.",
  "verkeerde-audience": "Het verzoek is ondertekend voor een andere ontvanger (aud).",
  "niet-toegestaan": "Deze organisatie is hier niet aangesloten.",
};

export function fscProblem(reason: RefusalReason, detail = DETAIL_OF[reason]): Problem<FscProblemCode> {
  const code = CODE_OF[reason];
  return new Problem(code, FSC_PROBLEMS[code].status, FSC_PROBLEMS[code].title, detail);
}

export type FscVariables = { fsc: { oin: string; cert: X509Certificate; jti: string } };

/** The peer's certificate of the TLS connection a request came in on; undefined when none was presented. */
function peerCertificate(incoming: IncomingMessage | undefined): X509Certificate | undefined {
  const socket = incoming?.socket as TLSSocket | undefined;
  if (!socket || typeof socket.getPeerX509Certificate !== "function") return undefined;
  return socket.getPeerX509Certificate() ?? undefined;
}

export interface GuardOptions extends TlsMaterial {
  nonces: NonceGuard;
  metrics: FscMetrics;
  /** Whether an organisation (by OIN) may call this path at all. */
  allowed?: (oin: string, path: string) => boolean;
  now?: () => Date;
  onRefused?: (reason: RefusalReason, message: string) => void;
}

/**
 * Checks mutual TLS and the request's signature, then signs the answer. Sets `fsc` (the caller's OIN and
 * certificate). A request without a TLS client certificate (plain HTTP, a test's in-process request) is refused.
 */
export function fscGuard(o: GuardOptions): MiddlewareHandler<{ Variables: FscVariables; Bindings: { incoming?: IncomingMessage } }> {
  const own = new X509Certificate(o.identity.cert);
  const ownOin = (() => {
    const line = own.subject.split("\n").find((l) => l.startsWith("serialNumber="));
    return line?.slice("serialNumber=".length) ?? "";
  })();
  return async (c, next) => {
    const url = new URL(c.req.url);
    const path = url.pathname + url.search;
    const body = ["GET", "HEAD"].includes(c.req.method) ? "" : await c.req.text();
    let caller: Awaited<ReturnType<typeof verifyMessage>>;
    try {
      const peer = peerCertificate(c.env?.incoming);
      if (!peer) throw new FscRefused("verkeerd-certificaat", "no TLS client certificate");
      caller = await verifyMessage(c.req.header(SIGNATURE_HEADER), {
        ca: o.ca,
        audience: ownOin,
        method: c.req.method,
        path,
        body,
        nonces: o.nonces,
        peer,
        ...(o.now ? { now: o.now() } : {}),
      });
      if (o.allowed && !o.allowed(caller.oin, url.pathname)) throw new FscRefused("niet-toegestaan", `OIN ${caller.oin} not allowed here`);
    } catch (e) {
      if (e instanceof FscRefused) {
        o.metrics.count(e.reason);
        o.onRefused?.(e.reason, e.message);
        throw fscProblem(e.reason);
      }
      throw e;
    }
    o.metrics.accepted += 1;
    c.set("fsc", { oin: caller.oin, cert: caller.cert, jti: caller.claims.jti });
    await next();
    // The answer, signed for the caller and bound to its request.
    const res = c.res;
    const text = await res.clone().text();
    const { header } = await signMessage(o.identity, { aud: caller.oin, method: c.req.method, path, body: text, antw: caller.claims.jti, sts: res.status });
    const headers = new Headers(res.headers);
    headers.set(SIGNATURE_HEADER, header);
    c.res = new Response(text, { status: res.status, headers });
  };
}

/** An HTTPS server that asks for the client's certificate (mutual TLS); the app checks it (fscGuard). */
export async function startFscServer(opts: {
  fetch: (req: Request, env: { incoming: IncomingMessage }) => Response | Promise<Response>;
  port: number;
  hostname: string;
  tls: TlsMaterial;
}): Promise<{ server: Server; port: number }> {
  const listener = getRequestListener(opts.fetch as (req: Request, env: unknown) => Response | Promise<Response>, { hostname: opts.hostname });
  const server = createHttpsServer(
    { ca: opts.tls.ca, cert: opts.tls.identity.cert, key: opts.tls.identity.key, requestCert: true, rejectUnauthorized: false, minVersion: "TLSv1.2" },
    listener,
  );
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.hostname, () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}
