/** The admin side: /metrics and a service's admin routes, with the security headers; Problem Details otherwise. */
import { describe, expect, it } from "vitest";
import { createAdminApp, createLogger, SECURITY_HEADERS } from "../src/index";

const app = createAdminApp({
  log: createLogger("silent"),
  metrics: () => "vi_up 1\n",
  routes: (a) => a.get("/api/v1/nodes", (c) => c.json({ nodes: [] })),
});

describe("createAdminApp", () => {
  it("/metrics answers the Prometheus text, not cached, with the security headers", async () => {
    const res = await app.request("/metrics");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("no-store");
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) expect(res.headers.get(k)).toBe(v);
    expect(await res.text()).toBe("vi_up 1\n");
  });
  it("serves the service's admin routes; anything else is 404 Problem Details", async () => {
    expect(await (await app.request("/api/v1/nodes")).json()).toEqual({ nodes: [] });
    const res = await app.request("/api/v1/signalen");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(((await res.json()) as { code: string }).code).toBe("NIET_GEVONDEN");
  });
});
