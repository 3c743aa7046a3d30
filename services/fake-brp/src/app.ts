/** The fake BRP as a Hono app, built from its options (no I/O until served). */
import { Hono } from "hono";
import { generatePopulation, isValidDate, type PopulationConfig } from "@vi/demo";
import { registerBeheer } from "./beheer";
import { PERSONEN_PATH, registerPersonen } from "./personen";
import { problem } from "./problem";
import { createStore, type FakeBrpStore } from "./store";

export interface FakeBrpOptions {
  /** YYYY-MM-DD (Europe/Amsterdam): the fixture ages and every 'leeftijd' are computed for this day. */
  today: string;
  /** Bulk synthetic population beside the fixture persons. */
  population?: PopulationConfig;
  /** When set, every route but /health requires this value in the X-API-KEY header. */
  apiKey?: string;
}

export function createFakeBrpApp(opts: FakeBrpOptions): { app: Hono; store: FakeBrpStore } {
  if (!isValidDate(opts.today)) throw new Error(`Ongeldige datum voor 'today': verwacht JJJJ-MM-DD.`);
  const population = opts.population ? generatePopulation(opts.population) : undefined;
  const store = createStore({ today: opts.today, ...(population ? { population } : {}) });
  const app = new Hono();

  app.get("/health", (c) => c.json({ status: "UP", today: opts.today, bulkJongeren: population?.size.youths ?? 0 }));

  if (opts.apiKey) {
    const key = opts.apiKey;
    app.use("*", async (c, next) => {
      if (c.req.path === "/health") return next();
      if (c.req.header("x-api-key") !== key) {
        return problem(c, {
          status: 401,
          title: "Niet correct geauthenticeerd.",
          detail: "Geen geldige API-sleutel in de X-API-KEY header.",
          code: "authentication",
        });
      }
      return next();
    });
  }

  registerPersonen(app, { store, today: opts.today });
  registerBeheer(app, { store });

  app.notFound((c) => problem(c, { status: 404, title: "Opgevraagde resource bestaat niet.", code: "notFound" }));
  app.onError((_err, c) => problem(c, { status: 500, title: "Interne server fout.", code: "serverError" }));
  return { app, store };
}

export { PERSONEN_PATH };
