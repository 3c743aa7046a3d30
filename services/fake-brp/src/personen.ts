/**
 * POST /haalcentraal/api/brp/personen: the Haal Centraal BRP Personen bevragen v2 operation
 * RaadpleegMetBurgerservicenummer, with the API's parameter validation and field selection.
 */
import type { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { anyGemeente, DATUM_ONBEKEND, leeftijdOp, volledigeNaam, type BrpRecord } from "@vi/demo";
import { problem, type InvalidParam } from "./problem";
import type { FakeBrpStore } from "./store";

export const PERSONEN_PATH = "/haalcentraal/api/brp/personen";
const TYPE = "RaadpleegMetBurgerservicenummer";

/** Top-level fields a Persoon has in the v2 API. */
const PERSOON_FIELDS = new Set([
  "aNummer",
  "adressering",
  "adresseringBinnenland",
  "burgerservicenummer",
  "datumEersteInschrijvingGBA",
  "datumInschrijvingInGemeente",
  "europeesKiesrecht",
  "geboorte",
  "gemeenteVanInschrijving",
  "geslacht",
  "gezag",
  "immigratie",
  "indicatieCurateleRegister",
  "indicatieGezagMinderjarige",
  "kinderen",
  "leeftijd",
  "naam",
  "nationaliteiten",
  "ouders",
  "overlijden",
  "partners",
  "uitsluitingKiesrecht",
  "verblijfplaats",
  "verblijfplaatsBinnenland",
  "verblijfstitel",
]);
/** Delivered automatically; the API refuses them as requested fields. */
const AUTOMATIC_FIELDS = new Set(["geheimhoudingPersoonsgegevens", "inOnderzoek", "opschortingBijhouding", "rni", "verificatie"]);
const KNOWN_PARAMS = new Set(["type", "burgerservicenummer", "fields", "gemeenteVanInschrijving"]);

const MAANDEN = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"];

function datum(d: string) {
  if (d === DATUM_ONBEKEND) return { type: "DatumOnbekend", onbekend: true, langFormaat: "onbekend" };
  const [y, m, day] = d.split("-").map(Number) as [number, number, number];
  return { type: "Datum", datum: d, langFormaat: `${day} ${MAANDEN[m - 1]} ${y}` };
}

function voorletters(voornamen: string): string {
  return voornamen
    .split(/\s+/)
    .filter(Boolean)
    .map((n) => `${n[0]!.toUpperCase()}.`)
    .join("");
}

function naam(r: Pick<BrpRecord, "voornamen" | "voorvoegsel" | "geslachtsnaam">) {
  return {
    voornamen: r.voornamen,
    ...(r.voorvoegsel ? { voorvoegsel: r.voorvoegsel } : {}),
    geslachtsnaam: r.geslachtsnaam,
    voorletters: voorletters(r.voornamen),
    volledigeNaam: volledigeNaam(r),
  };
}

const geslacht = (g: "M" | "V") => ({ code: g, omschrijving: g === "M" ? "man" : "vrouw" });

/** A BrpRecord in the Haal Centraal v2 Persoon shape (everything this fake knows). */
export function toHaalCentraal(r: BrpRecord, today: string, lookup: (bsn: string) => BrpRecord | undefined): Record<string, unknown> {
  const cbs = r.gemeenteCode.replace(/^GM/, "");
  const p: Record<string, unknown> = {
    burgerservicenummer: r.bsn,
    naam: naam(r),
    geboorte: { datum: datum(r.geboortedatum) },
    geslacht: geslacht(r.geslacht),
    gemeenteVanInschrijving: { code: cbs, omschrijving: anyGemeente(cbs)?.naam ?? cbs },
    verblijfplaats: {
      type: "Adres",
      verblijfadres: {
        officieleStraatnaam: r.adres.straat,
        korteStraatnaam: r.adres.straat.length > 24 ? r.adres.straat.slice(0, 24) : r.adres.straat,
        huisnummer: r.adres.huisnummer,
        ...(r.adres.huisletter ? { huisletter: r.adres.huisletter } : {}),
        postcode: r.adres.postcode,
        woonplaats: r.adres.woonplaats,
      },
      adresseerbaarObjectIdentificatie: r.adres.adresseerbaarObjectId,
      functieAdres: { code: "W", omschrijving: "woonadres" },
    },
  };
  if (r.ouders.length) {
    p.ouders = r.ouders.map((bsn, i) => {
      const o = lookup(bsn);
      return {
        ouderAanduiding: String(i + 1),
        burgerservicenummer: bsn,
        ...(o ? { naam: naam(o), geslacht: geslacht(o.geslacht), geboorte: { datum: datum(o.geboortedatum) } } : {}),
      };
    });
  }
  if (r.overlijdensdatum) p.overlijden = { indicatieOverleden: true, datum: datum(r.overlijdensdatum) };
  else if (r.geboortedatum !== DATUM_ONBEKEND) p.leeftijd = leeftijdOp(r.geboortedatum, today);
  return p;
}

type FieldTree = { [key: string]: FieldTree | true };

function fieldTree(fields: string[]): FieldTree {
  const root: FieldTree = {};
  for (const f of fields) {
    const parts = f.split(".");
    let node = root;
    parts.forEach((part, i) => {
      if (node[part] === true) return;
      if (i === parts.length - 1) node[part] = true;
      else node = (node[part] ??= {}) as FieldTree;
    });
  }
  return root;
}

/** Keeps only the requested paths; a polymorphic group always keeps its 'type', as the API does. */
function select(value: unknown, tree: FieldTree | true): unknown {
  if (tree === true) return value;
  if (Array.isArray(value)) return value.map((v) => select(v, tree)).filter((v) => v !== undefined);
  if (value === null || typeof value !== "object") return undefined;
  const src = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, sub] of Object.entries(tree)) {
    if (!(key in src)) continue;
    const picked = select(src[key], sub);
    // Like the API, empty values (empty groups, empty lists) are not delivered.
    const empty = Array.isArray(picked) ? picked.length === 0 : typeof picked === "object" && picked !== null && Object.keys(picked).length === 0;
    if (picked !== undefined && !empty) out[key] = picked;
  }
  if (Object.keys(out).length === 0) return undefined;
  if (typeof src.type === "string" && !("type" in out)) return { type: src.type, ...out };
  return out;
}

interface ValidRequest {
  bsns: string[];
  fields: string[];
  gemeente?: string;
}

function validate(body: unknown): { ok: true; req: ValidRequest } | { ok: false; invalid: InvalidParam[] } {
  const invalid: InvalidParam[] = [];
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    return { ok: false, invalid: [{ name: "body", code: "object", reason: "Het verzoek is geen JSON-object." }] };
  }
  const b = body as Record<string, unknown>;
  for (const key of Object.keys(b)) {
    if (!KNOWN_PARAMS.has(key)) invalid.push({ name: key, code: "unknownParam", reason: "Parameter is niet verwacht." });
  }
  if (b.type === undefined) invalid.push({ name: "type", code: "required", reason: "Parameter is verplicht." });
  else if (b.type !== TYPE) invalid.push({ name: "type", code: "value", reason: "Waarde is geen geldig zoek type." });

  const bsns = b.burgerservicenummer;
  if (bsns === undefined) invalid.push({ name: "burgerservicenummer", code: "required", reason: "Parameter is verplicht." });
  else if (!Array.isArray(bsns)) invalid.push({ name: "burgerservicenummer", code: "array", reason: "Parameter is geen array." });
  else if (bsns.length < 1) invalid.push({ name: "burgerservicenummer", code: "minItems", reason: "Array bevat minder dan 1 items." });
  else if (bsns.length > 20) invalid.push({ name: "burgerservicenummer", code: "maxItems", reason: "Array bevat meer dan 20 items." });
  else
    bsns.forEach((v, i) => {
      if (typeof v !== "string" || !/^[0-9]{9}$/.test(v)) {
        invalid.push({ name: `burgerservicenummer[${i}]`, code: "pattern", reason: "Waarde voldoet niet aan patroon ^[0-9]{9}$." });
      }
    });

  const fields = b.fields;
  if (fields === undefined) invalid.push({ name: "fields", code: "required", reason: "Parameter is verplicht." });
  else if (!Array.isArray(fields)) invalid.push({ name: "fields", code: "array", reason: "Parameter is geen array." });
  else if (fields.length < 1) invalid.push({ name: "fields", code: "minItems", reason: "Array bevat minder dan 1 items." });
  else if (fields.length > 130) invalid.push({ name: "fields", code: "maxItems", reason: "Array bevat meer dan 130 items." });
  else
    fields.forEach((f, i) => {
      const name = `fields[${i}]`;
      if (typeof f !== "string" || !/^[a-zA-Z0-9._]{1,200}$/.test(f) || f.split(".").some((s) => s === "")) {
        invalid.push({ name, code: "pattern", reason: "Waarde voldoet niet aan patroon ^[a-zA-Z0-9\\._]{1,200}$." });
        return;
      }
      const top = f.split(".")[0]!;
      if (AUTOMATIC_FIELDS.has(top)) invalid.push({ name, code: "fields", reason: "Parameter bevat een niet toegestane veldnaam." });
      else if (!PERSOON_FIELDS.has(top)) invalid.push({ name, code: "fields", reason: "Parameter bevat een niet bestaande veldnaam." });
    });

  const gemeente = b.gemeenteVanInschrijving;
  if (gemeente !== undefined && (typeof gemeente !== "string" || !/^[0-9]{4}$/.test(gemeente))) {
    invalid.push({ name: "gemeenteVanInschrijving", code: "pattern", reason: "Waarde voldoet niet aan patroon ^[0-9]{4}$." });
  }
  if (invalid.length) return { ok: false, invalid };
  return {
    ok: true,
    req: {
      bsns: bsns as string[],
      fields: fields as string[],
      ...(typeof gemeente === "string" ? { gemeente } : {}),
    },
  };
}

export function registerPersonen(app: Hono, deps: { store: FakeBrpStore; today: string }): void {
  app.post(
    PERSONEN_PATH,
    bodyLimit({
      maxSize: 64 * 1024,
      onError: (c) =>
        problem(c, { status: 400, title: "Een of meerdere parameters zijn niet correct.", detail: "Het verzoek is te groot.", code: "paramsValidation" }),
    }),
    async (c) => {
      let body: unknown;
      try {
        body = JSON.parse(await c.req.text());
      } catch {
        return problem(c, {
          status: 400,
          title: "Een of meerdere parameters zijn niet correct.",
          detail: "Het verzoek bevat geen geldige JSON.",
          code: "paramsValidation",
          invalidParams: [],
        });
      }
      const v = validate(body);
      if (!v.ok) {
        const combination = v.invalid.some((p) => p.code === "required");
        return problem(c, {
          status: 400,
          title: combination ? "Minimale combinatie van parameters moet worden opgegeven." : "Een of meerdere parameters zijn niet correct.",
          detail: `De foutieve parameter(s) zijn: ${v.invalid.map((p) => p.name).join(", ")}.`,
          code: combination ? "paramsCombination" : "paramsValidation",
          invalidParams: v.invalid,
        });
      }
      const { bsns, fields, gemeente } = v.req;
      const tree = fieldTree(fields);
      const personen: unknown[] = [];
      for (const bsn of new Set(bsns)) {
        const rec = deps.store.get(bsn);
        if (!rec) continue;
        if (gemeente && rec.gemeenteCode !== `GM${gemeente}`) continue;
        const full = toHaalCentraal(rec, deps.today, (b) => deps.store.get(b));
        const out = (select(full, tree) ?? {}) as Record<string, unknown>;
        // Automatically delivered, whatever the fields (only when set, as the API does).
        if (rec.geheimhouding) out.geheimhoudingPersoonsgegevens = true;
        personen.push(out);
      }
      return c.json({ type: TYPE, personen });
    },
  );
}
