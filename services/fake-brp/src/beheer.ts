/**
 * Management routes of the fake BRP (not part of the Haal Centraal API): announce relocations (also within a
 * gemeente), deaths (with or without a known date) and other changes (parents, date of birth), and a mutation feed
 * for pollers. BSNs travel in bodies only.
 */
import type { Context, Hono } from "hono";
import { z } from "zod";
import { anyGemeente, DATUM_ONBEKEND, isValidDate } from "@vi/demo";
import { problem } from "./problem";
import { StoreError, type FakeBrpStore, type RelocationEvent } from "./store";

const Bsn = z.string().regex(/^\d{9}$/, "Een burgerservicenummer bestaat uit 9 cijfers.");

const VerhuizingSchema = z.object({
  bsn: Bsn,
  naarGemeente: z.string().regex(/^GM\d{4}$/, "Gemeentecode moet de vorm GM0000 hebben."),
  adres: z.object({
    straat: z.string().min(1).max(80),
    huisnummer: z.number().int().min(1).max(99999),
    huisletter: z
      .string()
      .regex(/^[A-Za-z]$/)
      .optional(),
    postcode: z.string().regex(/^[1-9][0-9]{3}[A-Z]{2}$/, "Postcode moet de vorm 1234AB hebben."),
    woonplaats: z.string().min(1).max(80),
    adresseerbaarObjectId: z
      .string()
      .regex(/^\d{16}$/, "Adresseerbaar object identificatie bestaat uit 16 cijfers.")
      .optional(),
  }),
});

const Datum = z.string().refine((d) => d === DATUM_ONBEKEND || isValidDate(d), "Datum moet de vorm JJJJ-MM-DD hebben, of 'onbekend' zijn.");

const OverlijdenSchema = z.object({ bsn: Bsn, datum: Datum });

const WijzigingSchema = z
  .object({ bsn: Bsn, ouders: z.array(Bsn).max(2).optional(), geboortedatum: Datum.optional(), geheimhouding: z.boolean().optional() })
  .strict();

async function jsonBody(c: Context): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    return undefined;
  }
}

function invalid(c: Context, error: z.ZodError): Response {
  return problem(c, {
    status: 400,
    title: "Een of meerdere parameters zijn niet correct.",
    detail: `De foutieve parameter(s) zijn: ${[...new Set(error.issues.map((i) => i.path.join(".") || "body"))].join(", ")}.`,
    code: "paramsValidation",
    // Reasons from our own schema messages; never the offending value.
    invalidParams: error.issues.map((i) => ({ name: i.path.join(".") || "body", code: i.code, reason: i.message })),
  });
}

function refused(c: Context, e: unknown): Response {
  if (!(e instanceof StoreError)) throw e;
  if (e.code === "ONBEKEND") return problem(c, { status: 404, title: "Opgevraagde resource bestaat niet.", detail: e.message, code: "notFound" });
  if (e.code === "OVERLEDEN") return problem(c, { status: 409, title: "Conflict.", detail: e.message, code: "conflict" });
  return problem(c, { status: 400, title: "Een of meerdere parameters zijn niet correct.", detail: e.message, code: "paramsValidation" });
}

export function registerBeheer(app: Hono, deps: { store: FakeBrpStore }): void {
  let generated = 0;

  app.post("/beheer/verhuizingen", async (c) => {
    const parsed = VerhuizingSchema.safeParse(await jsonBody(c));
    if (!parsed.success) return invalid(c, parsed.error);
    const { bsn, naarGemeente, adres } = parsed.data;
    const gemeente = anyGemeente(naarGemeente);
    if (!gemeente)
      return problem(c, { status: 400, title: "Een of meerdere parameters zijn niet correct.", detail: "Onbekende gemeentecode.", code: "paramsValidation" });
    try {
      const event = deps.store.relocate(bsn, {
        gemeenteCode: naarGemeente,
        adres: {
          straat: adres.straat,
          huisnummer: adres.huisnummer,
          ...(adres.huisletter ? { huisletter: adres.huisletter.toUpperCase() } : {}),
          postcode: adres.postcode,
          woonplaats: adres.woonplaats,
          // Synthetic BAG id in a serial range the fixtures and the generator never use.
          adresseerbaarObjectId: adres.adresseerbaarObjectId ?? `${gemeente.cbs}01${String(8_000_000_000 + ++generated).padStart(10, "0")}`,
        },
      });
      return c.json(event, 201);
    } catch (e) {
      return refused(c, e);
    }
  });

  app.post("/beheer/overlijdens", async (c) => {
    const parsed = OverlijdenSchema.safeParse(await jsonBody(c));
    if (!parsed.success) return invalid(c, parsed.error);
    let event: RelocationEvent | undefined;
    const off = deps.store.onMutation((e) => (event = e));
    try {
      deps.store.markDeceased(parsed.data.bsn, parsed.data.datum);
      return c.json(event ?? null, 201);
    } catch (e) {
      return refused(c, e);
    } finally {
      off();
    }
  });

  app.post("/beheer/wijzigingen", async (c) => {
    const parsed = WijzigingSchema.safeParse(await jsonBody(c));
    if (!parsed.success) return invalid(c, parsed.error);
    const { bsn, ...patch } = parsed.data;
    try {
      return c.json(deps.store.change(bsn, patch), 201);
    } catch (e) {
      return refused(c, e);
    }
  });

  app.get("/beheer/mutaties", (c) => {
    const raw = c.req.query("vanaf") ?? "0";
    if (!/^\d{1,15}$/.test(raw)) {
      return problem(c, {
        status: 400,
        title: "Een of meerdere parameters zijn niet correct.",
        detail: "De foutieve parameter(s) zijn: vanaf.",
        code: "paramsValidation",
        invalidParams: [{ name: "vanaf", code: "integer", reason: "Waarde is geen geldig getal." }],
      });
    }
    return c.json({ mutaties: deps.store.mutationsSince(Number(raw)) });
  });
}
