/**
 * @vi/brp: client for the Haal Centraal BRP Personen bevragen API (v2, POST /personen, type
 * RaadpleegMetBurgerservicenummer).
 *
 * BSNs travel only in request bodies, never in URLs, and this module logs nothing.
 */
import { Agent, errors as undiciErrors, request, type Dispatcher } from "undici";
import { ProblemSchema, RaadpleegResponseSchema, type HcDatum, type HcPersoon } from "./schema";

export interface Persoon {
  bsn: string;
  naam: { voornamen: string; voorvoegsel?: string; geslachtsnaam: string; volledigeNaam: string };
  /** YYYY-MM-DD; for a partly unknown date the unknown parts are 01; '' when wholly unknown. */
  geboortedatum: string;
  geslacht: "M" | "V" | "O";
  /**
   * null: alive. Else the date of death (YYYY-MM-DD; a partly known date is its first possible day), or
   * OVERLIJDENSDATUM_ONBEKEND ('') when the BRP records the death without a (known) date: deceased all the same.
   */
  overlijdensdatum: string | null;
  geheimhouding: boolean;
  /** Gemeente van inschrijving, e.g. 'GM0363'; '' when the BRP gives none. */
  gemeenteCode: string;
  adres: {
    straat: string;
    huisnummer: number;
    huisletter?: string;
    postcode: string;
    woonplaats: string;
    adresseerbaarObjectId: string;
  } | null;
  /** BSNs of the parents known to the BRP. */
  ouders: string[];
}

/**
 * The date of death of someone the BRP records as deceased without saying when. The domain counts such a person
 * as deceased (isDeceased), and the node stores it as `overleden` without a date.
 */
export const OVERLIJDENSDATUM_ONBEKEND = "";

export type BrpErrorCode = "BRP_ONBEREIKBAAR" | "BRP_FOUT";

export class BrpError extends Error {
  override name = "BrpError";
  constructor(
    message: string,
    readonly code: BrpErrorCode,
    /** HTTP status of the BRP's answer; 503 when the BRP could not be reached, 504 on a timeout. */
    readonly status: number,
    /** The problem+json body the BRP sent, if any. Never contains a BSN from us (the API names parameters by index). */
    readonly problem?: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface BrpClient {
  /** Looks persons up by BSN. Unknown BSNs are simply absent from the map. Splits into batches of 20. */
  raadpleeg(bsns: string[]): Promise<Map<string, Persoon>>;
  close(): Promise<void>;
}

export interface BrpClientOptions {
  /** e.g. 'http://localhost:8100/haalcentraal/api/brp' (no trailing /personen). */
  baseUrl: string;
  apiKey?: string;
  /** Per request; default 5000 ms. */
  timeoutMs?: number;
  /** Own dispatcher (e.g. a MockAgent or a shared Agent); the client then does not close it. */
  dispatcher?: Dispatcher;
}

/** The API accepts at most 20 BSNs per request. */
export const MAX_BSNS_PER_REQUEST = 20;
/** Batches in flight at once for one raadpleeg call. */
const MAX_PARALLEL_BATCHES = 4;

/**
 * Only what the verwijsindex derives (data minimisation). geheimhoudingPersoonsgegevens is not asked for: the API
 * delivers it automatically and refuses it as a field.
 */
export const BRP_FIELDS = [
  "burgerservicenummer",
  "naam.voornamen",
  "naam.voorvoegsel",
  "naam.geslachtsnaam",
  "naam.volledigeNaam",
  "geboorte.datum",
  "geslacht",
  "overlijden.datum",
  "gemeenteVanInschrijving",
  "verblijfplaats.verblijfadres",
  "verblijfplaats.adresseerbaarObjectIdentificatie",
  "ouders.burgerservicenummer",
] as const;

export function createBrpClient(opts: BrpClientOptions): BrpClient {
  const base = new URL(`${opts.baseUrl.replace(/\/+$/, "")}/personen`);
  const timeoutMs = opts.timeoutMs ?? 5000;
  const ownDispatcher = opts.dispatcher ? undefined : new Agent({ keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000, connections: 16, pipelining: 1 });
  const dispatcher: Dispatcher = opts.dispatcher ?? ownDispatcher!;
  const headers: Record<string, string> = {
    "content-type": "application/json; charset=utf-8",
    accept: "application/json, application/problem+json",
  };
  if (opts.apiKey) headers["x-api-key"] = opts.apiKey;

  async function batch(bsns: string[]): Promise<HcPersoon[]> {
    const body = JSON.stringify({ type: "RaadpleegMetBurgerservicenummer", burgerservicenummer: bsns, fields: BRP_FIELDS });
    let res: Dispatcher.ResponseData;
    try {
      res = await request(base, {
        method: "POST",
        dispatcher,
        headers,
        body,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      throw unreachable(e);
    }
    let text: string;
    try {
      text = await res.body.text();
    } catch (e) {
      throw unreachable(e);
    }
    if (res.statusCode !== 200) throw httpError(res.statusCode, res.headers["content-type"], text);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new BrpError("De BRP gaf een antwoord dat geen geldige JSON is.", "BRP_FOUT", 502, undefined, { cause: e });
    }
    const parsed = RaadpleegResponseSchema.safeParse(json);
    if (!parsed.success) {
      // The zod issues name paths, never values, so no BSN ends up in the message.
      const where = parsed.error.issues
        .slice(0, 3)
        .map((i) => i.path.join(".") || "(root)")
        .join(", ");
      throw new BrpError(`De BRP gaf een antwoord in een onverwachte vorm (${where}).`, "BRP_FOUT", 502);
    }
    return parsed.data.personen;
  }

  return {
    async raadpleeg(bsns: string[]): Promise<Map<string, Persoon>> {
      const unique = [...new Set(bsns)];
      if (unique.some((b) => !/^\d{9}$/.test(b))) {
        throw new BrpError("Een burgerservicenummer moet uit precies 9 cijfers bestaan.", "BRP_FOUT", 400);
      }
      const batches: string[][] = [];
      for (let i = 0; i < unique.length; i += MAX_BSNS_PER_REQUEST) batches.push(unique.slice(i, i + MAX_BSNS_PER_REQUEST));
      const result = new Map<string, Persoon>();
      const wanted = new Set(unique);
      let next = 0;
      async function worker() {
        while (next < batches.length) {
          const mine = batches[next++]!;
          for (const p of await batch(mine)) {
            if (wanted.has(p.burgerservicenummer)) result.set(p.burgerservicenummer, toPersoon(p));
          }
        }
      }
      await Promise.all(Array.from({ length: Math.min(MAX_PARALLEL_BATCHES, batches.length) }, worker));
      return result;
    },
    async close() {
      if (ownDispatcher) await ownDispatcher.close();
    },
  };
}

function unreachable(e: unknown): BrpError {
  const timeout =
    e instanceof undiciErrors.HeadersTimeoutError ||
    e instanceof undiciErrors.BodyTimeoutError ||
    e instanceof undiciErrors.ConnectTimeoutError ||
    (e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError"));
  return timeout
    ? new BrpError("De BRP antwoordde niet op tijd.", "BRP_ONBEREIKBAAR", 504, undefined, { cause: e })
    : new BrpError("De BRP is niet bereikbaar.", "BRP_ONBEREIKBAAR", 503, undefined, { cause: e });
}

function httpError(status: number, contentType: string | string[] | undefined, text: string): BrpError {
  let problem: unknown;
  const ct = String(contentType ?? "");
  if (ct.includes("json")) {
    try {
      const parsed = ProblemSchema.safeParse(JSON.parse(text));
      if (parsed.success) problem = parsed.data;
    } catch {
      /* not JSON after all */
    }
  }
  const title = (problem as { title?: string } | undefined)?.title;
  const code: BrpErrorCode = status === 502 || status === 503 || status === 504 ? "BRP_ONBEREIKBAAR" : "BRP_FOUT";
  const message =
    code === "BRP_ONBEREIKBAAR"
      ? `De BRP is tijdelijk niet beschikbaar (status ${status}).`
      : `De BRP weigerde het verzoek (status ${status}${title ? `: ${title}` : ""}).`;
  return new BrpError(message, code, status, problem);
}

function datum(d: HcDatum | undefined): string | null {
  if (!d) return null;
  if (d.datum) return d.datum;
  if (d.jaar !== undefined) return `${String(d.jaar).padStart(4, "0")}-${String(d.maand ?? 1).padStart(2, "0")}-01`;
  return null;
}

/** Deceased when the BRP delivers an overlijden with a date of any kind (even DatumOnbekend) or the indication. */
function overlijdensdatum(o: HcPersoon["overlijden"]): string | null {
  if (!o) return null;
  const known = datum(o.datum);
  if (known) return known;
  return o.datum || o.indicatieOverleden ? OVERLIJDENSDATUM_ONBEKEND : null;
}

/** Maps a Haal Centraal persoon to the verwijsindex's view of a person. */
export function toPersoon(p: HcPersoon): Persoon {
  const voornamen = p.naam?.voornamen ?? "";
  const geslachtsnaam = p.naam?.geslachtsnaam ?? "";
  const voorvoegsel = p.naam?.voorvoegsel;
  const naam: Persoon["naam"] = {
    voornamen,
    geslachtsnaam,
    volledigeNaam: p.naam?.volledigeNaam ?? [voornamen, voorvoegsel, geslachtsnaam].filter(Boolean).join(" "),
  };
  if (voorvoegsel) naam.voorvoegsel = voorvoegsel;
  const code = p.geslacht?.code;
  const va = p.verblijfplaats?.verblijfadres;
  let adres: Persoon["adres"] = null;
  if (p.verblijfplaats?.type === "Adres" && va) {
    adres = {
      straat: va.officieleStraatnaam ?? va.korteStraatnaam ?? "",
      huisnummer: va.huisnummer ?? 0,
      postcode: va.postcode ?? "",
      woonplaats: va.woonplaats ?? "",
      adresseerbaarObjectId: p.verblijfplaats.adresseerbaarObjectIdentificatie ?? "",
    };
    if (va.huisletter) adres.huisletter = va.huisletter;
  }
  const gemeente = p.gemeenteVanInschrijving?.code;
  const geheim = p.geheimhoudingPersoonsgegevens;
  return {
    bsn: p.burgerservicenummer,
    naam,
    geboortedatum: datum(p.geboorte?.datum) ?? "",
    geslacht: code === "M" || code === "V" ? code : "O",
    overlijdensdatum: overlijdensdatum(p.overlijden),
    geheimhouding: geheim === true || (typeof geheim === "number" && geheim > 0),
    gemeenteCode: gemeente && /^\d{4}$/.test(gemeente) ? `GM${gemeente}` : "",
    adres,
    ouders: (p.ouders ?? []).map((o) => o.burgerservicenummer).filter((b): b is string => typeof b === "string"),
  };
}
