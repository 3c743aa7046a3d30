/**
 * The pseudonym service's HTTP side: health, readiness and its own signing
 * keys (JWKS, fetched by the hub for the region's trust registry). No API:
 * evaluations travel over the bus only (rpc.pseudoniem). The admin side has
 * the metrics.
 */
import { createAdminApp, createServiceApp, type Logger, type ServiceApp } from "@vi/service";
import type { EventMetrics, ServiceKeys } from "@vi/events";
import type { PseudonymContext } from "../context";

const API_VERSION = "1.0.0";

export function createPseudonymApp(deps: { ctx: PseudonymContext; keys: ServiceKeys; isReady: () => boolean }): ServiceApp {
  const app = createServiceApp({
    apiVersion: API_VERSION,
    log: deps.ctx.log,
    bodyLimitBytes: 1024,
    ready: async () => deps.isReady(),
    readyBody: { service: "pseudoniem" },
  });
  app.get("/.well-known/jwks.json", (c) => {
    c.header("Cache-Control", "public, max-age=60");
    return c.json(deps.keys.jwks());
  });
  return app;
}

export function createPseudonymAdminApp(ctx: PseudonymContext, events: EventMetrics, log: Logger) {
  return createAdminApp({
    log,
    metrics: () => {
      const lines = [
        events.toPrometheus("pseudoniem").trimEnd(),
        "# HELP vi_pseudoniem_requests_total Evaluation requests answered.",
        "# TYPE vi_pseudoniem_requests_total counter",
        `vi_pseudoniem_requests_total ${ctx.metrics.requests}`,
        "# HELP vi_pseudoniem_elements_total Blinded elements evaluated (per request, under every key version held).",
        "# TYPE vi_pseudoniem_elements_total counter",
        `vi_pseudoniem_elements_total ${ctx.metrics.elements}`,
        "# HELP vi_pseudoniem_refused_total Requests refused, by reason.",
        "# TYPE vi_pseudoniem_refused_total counter",
        ...Object.entries(ctx.metrics.refused).map(([r, n]) => `vi_pseudoniem_refused_total{reason="${r}"} ${n}`),
        "# HELP vi_pseudoniem_key_versions Key versions held (2 during a rotation).",
        "# TYPE vi_pseudoniem_key_versions gauge",
        `vi_pseudoniem_key_versions ${ctx.keyring.versions().length}`,
      ];
      return `${lines.join("\n")}\n`;
    },
  });
}

export { API_VERSION };
