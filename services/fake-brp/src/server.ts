/** Starting and stopping the fake BRP as an HTTP server. */
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { serve } from "@hono/node-server";
import { todayInAmsterdam, type PopulationConfig } from "@vi/demo";
import { createFakeBrpApp } from "./app";
import type { FakeBrpStore } from "./store";

export interface StartFakeBrpOptions {
  /** Default 8100; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default: today's date in Europe/Amsterdam. */
  today?: string;
  population?: PopulationConfig;
  apiKey?: string;
}

export interface RunningFakeBrp {
  /** Server root, e.g. 'http://127.0.0.1:8100'. */
  url: string;
  /** Base URL for the BRP client: `${url}/haalcentraal/api/brp`. */
  baseUrl: string;
  store: FakeBrpStore;
  close(): Promise<void>;
}

export async function startFakeBrp(opts: StartFakeBrpOptions = {}): Promise<RunningFakeBrp> {
  const today = opts.today ?? todayInAmsterdam();
  const { app, store } = createFakeBrpApp({
    today,
    ...(opts.population ? { population: opts.population } : {}),
    ...(opts.apiKey ? { apiKey: opts.apiKey } : {}),
  });
  const host = opts.host ?? "127.0.0.1";
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: opts.port ?? 8100, hostname: host }) as Server;
    s.once("listening", () => resolve(s));
    s.once("error", reject);
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  const url = `http://${shownHost}:${port}`;
  return {
    url,
    baseUrl: `${url}/haalcentraal/api/brp`,
    store,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
