/**
 * Every API we serve, built in-process the way the services build themselves (createApp, createHubApp), with
 * only what their OpenAPI document needs: the gemeente and a logger. Anything else the app would touch while it
 * is built throws, so a document that starts to depend on more is noticed here.
 *
 * Used by scripts/openapi-export.ts (npm run lint:api) and test/openapi.test.ts.
 */
import type { HubContext } from "@vi/hub";
import { createHubApp } from "@vi/hub";
import type { NodeContext } from "@vi/node";
import { createApp } from "@vi/node";
import { createLogger } from "@vi/service";
import type { TokenVerifier } from "@vi/auth";
import { createNationalApp, type NationalContext } from "@vi/national-index";
import { createBridgeNationalApp } from "@vi/lvi-bridge";
import { createNationalPseudonymApp } from "@vi/pseudonym-service";
import { FscMetrics } from "@vi/fsc";

/** One served API: its app (to enumerate its routes) and its document as served at /api/v1/openapi.json. */
export interface ServedApi {
  name: string;
  app: { routes: { method: string; path: string }[]; request(path: string): Response | Promise<Response> };
  document(): Promise<Record<string, unknown>>;
}

function only<T extends object>(what: string, given: Partial<T>): T {
  return new Proxy(given, {
    get(target, key) {
      if (typeof key === "symbol" || key in target || key === "then") return Reflect.get(target, key);
      throw new Error(`building the ${what} app for its OpenAPI document touched ctx.${String(key)}`);
    },
  }) as T;
}

const log = createLogger("silent", "openapi-export");
const noVerifier: TokenVerifier = {
  verify: async () => {
    throw new Error("no request is signed in while the document is exported");
  },
};

const served = (name: string, app: ServedApi["app"]): ServedApi => ({
  name,
  app,
  async document() {
    const res = await app.request("/api/v1/openapi.json");
    if (res.status !== 200) throw new Error(`${name}: /api/v1/openapi.json answered ${res.status}`);
    return (await res.json()) as Record<string, unknown>;
  },
});

export function servedApis(): ServedApi[] {
  const node = createApp({ ctx: only<NodeContext>("node", { gemeente: { code: "GM0363", naam: "Amsterdam" }, log }), verifier: noVerifier });
  const hub = createHubApp({ ctx: only<HubContext>("hub", { log }) });
  const national = createNationalApp({ ctx: only<NationalContext>("national index", { log, metrics: new FscMetrics(), tls: undefined as never }) });
  const bridge = createBridgeNationalApp({ log });
  const pseudonyms = createNationalPseudonymApp({
    log,
    allowed: new Set(),
    keyring: undefined as never,
    metrics: new FscMetrics(),
    counts: { requests: 0, elements: 0 },
  });
  return [
    served("node", node),
    served("hub", hub),
    served("national-index", national),
    served("lvi-bridge", bridge),
    served("national-pseudonym-service", pseudonyms),
  ];
}
