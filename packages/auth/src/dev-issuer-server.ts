/** Serves the dev issuer's discovery document and JWKS over HTTP. */
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import type { AddressInfo } from "node:net";
import type { DevIssuer } from "./dev-issuer";

export async function startDevIssuerServer(issuer: DevIssuer, opts: { port: number; host?: string }) {
  const app = new Hono();
  app.get("/.well-known/openid-configuration", (c) =>
    c.json({ issuer: issuer.issuer, jwks_uri: `${issuer.issuer}/jwks.json`, id_token_signing_alg_values_supported: ["EdDSA"] }),
  );
  app.get("/jwks.json", (c) => c.json(issuer.jwks));
  const server = serve({ fetch: app.fetch, port: opts.port, hostname: opts.host ?? "127.0.0.1" });
  await new Promise<void>((resolve) => server.once("listening", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://localhost:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
