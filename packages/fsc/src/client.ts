/**
 * The calling side (docs/national-chain.md): undici over mutual TLS (the CA, this party's certificate and key),
 * every request signed for the party asked, every answer's signature checked (the party's OIN, bound to the
 * request's nonce). An answer that fails the check is refused and counted, like a request would be.
 */
import { Agent, request } from "undici";
import type { FscMetrics } from "./metrics";
import { FscRefused, identityOin, type NonceGuard, SIGNATURE_HEADER, signMessage, verifyMessage } from "./signing";
import type { TlsMaterial } from "./server";

/** The other party could not be reached, or answered without a usable answer: try again later. */
export class FscUnreachable extends Error {
  override readonly name = "FscUnreachable";
}

export interface FscClient {
  /** Sends a signed request; returns the verified answer's status and JSON body (null when empty). */
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  close(): Promise<void>;
}

export function fscClient(o: {
  baseUrl: string;
  /** The OIN of the party asked (the `aud` of requests, the `iss` its answers must have). */
  peerOin: string;
  tls: TlsMaterial;
  nonces: NonceGuard;
  metrics: FscMetrics;
  timeoutMs?: number;
}): FscClient {
  const agent = new Agent({
    connect: { ca: o.tls.ca, cert: o.tls.identity.cert, key: o.tls.identity.key },
    headersTimeout: o.timeoutMs ?? 15_000,
    bodyTimeout: o.timeoutMs ?? 15_000,
  });
  const base = o.baseUrl.replace(/\/+$/, "");
  return {
    async call(method, path, body) {
      const url = new URL(`${base}${path}`);
      const signedPath = url.pathname + url.search;
      const text = body === undefined ? "" : JSON.stringify(body);
      const { header, jti } = await signMessage(o.tls.identity, { aud: o.peerOin, method, path: signedPath, body: text });
      let status: number;
      let answer: string;
      let signature: string | undefined;
      try {
        const res = await request(url, {
          method: method as "GET",
          dispatcher: agent,
          headers: { [SIGNATURE_HEADER]: header, ...(body === undefined ? {} : { "content-type": "application/json" }), accept: "application/json" },
          ...(body === undefined ? {} : { body: text }),
        });
        status = res.statusCode;
        answer = await res.body.text();
        const h = res.headers[SIGNATURE_HEADER.toLowerCase()];
        signature = Array.isArray(h) ? h[0] : h;
      } catch (e) {
        throw new FscUnreachable(`${url.host}: ${(e as Error).message}`);
      }
      try {
        await verifyMessage(signature, {
          ca: o.tls.ca,
          audience: identityOinOf(o.tls),
          issuer: o.peerOin,
          method,
          path: signedPath,
          body: answer,
          nonces: o.nonces,
          antw: jti,
        });
      } catch (e) {
        if (e instanceof FscRefused) {
          // A refusal of ours comes back unsigned (the other side refused before it knew us): no answer to count.
          if (signature || status < 400) o.metrics.count(e.reason);
          throw status >= 400 && !signature ? new FscUnreachable(`${url.host} refused the request: ${status} ${answer.slice(0, 300)}`) : e;
        }
        throw e;
      }
      o.metrics.accepted += 1;
      return { status, body: answer ? (JSON.parse(answer) as unknown) : null };
    },
    close: () => agent.close(),
  };
}

const identityOinOf = (tls: TlsMaterial) => identityOin(tls.identity);
