/**
 * CLI entry: starts the fake BRP.
 *   PORT (default 8100), HOST (default 127.0.0.1), BRP_POPULATION_YOUTHS (default 0: fixtures only),
 *   BRP_SEED (default 1), BRP_TODAY (default today in Europe/Amsterdam), BRP_API_KEY (optional), LOG_LEVEL.
 * Logs never carry a BSN: requests are logged by method, path and status (BSNs are never in a path), mutations
 * by sequence number, kind and gemeenten.
 */
import { Hono } from "hono";
import { serve } from "@hono/node-server";
import type { Server } from "node:http";
import { pino } from "pino";
import { z } from "zod";
import { isValidDate, todayInAmsterdam } from "@vi/demo";
import { createFakeBrpApp } from "./app";

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8100),
  HOST: z.string().min(1).default("127.0.0.1"),
  BRP_POPULATION_YOUTHS: z.coerce.number().int().min(0).max(4_000_000).default(0),
  BRP_SEED: z.coerce.number().int().default(1),
  BRP_TODAY: z.string().refine(isValidDate, "BRP_TODAY moet de vorm JJJJ-MM-DD hebben.").optional(),
  BRP_API_KEY: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace"]).default("info"),
});

const parsed = Env.safeParse(process.env);
if (!parsed.success) {
  console.error(`Ongeldige configuratie van de fake BRP: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  process.exit(1);
}
const env = parsed.data;
const log = pino({ name: "fake-brp", level: env.LOG_LEVEL });
const today = env.BRP_TODAY ?? todayInAmsterdam();

const started = performance.now();
const { app, store } = createFakeBrpApp({
  today,
  ...(env.BRP_POPULATION_YOUTHS > 0 ? { population: { seed: env.BRP_SEED, youths: env.BRP_POPULATION_YOUTHS, today } } : {}),
  ...(env.BRP_API_KEY ? { apiKey: env.BRP_API_KEY } : {}),
});
store.onMutation((e) => log.info({ seq: e.seq, soort: e.soort, vanGemeente: e.vanGemeente, naarGemeente: e.naarGemeente }, "mutatie"));

const root = new Hono();
root.use("*", async (c, next) => {
  const t = performance.now();
  await next();
  log.info({ method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - t) }, "verzoek");
});
root.route("/", app);

const server = serve({ fetch: root.fetch, port: env.PORT, hostname: env.HOST }, (info) => {
  log.info(
    { port: info.port, host: env.HOST, today, bulkJongeren: env.BRP_POPULATION_YOUTHS, seed: env.BRP_SEED, startMs: Math.round(performance.now() - started) },
    "fake BRP gestart",
  );
}) as Server;

function stop(signal: string) {
  log.info({ signal }, "fake BRP stopt");
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 5000).unref();
}
process.on("SIGTERM", () => stop("SIGTERM"));
process.on("SIGINT", () => stop("SIGINT"));
