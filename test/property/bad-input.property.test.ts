/**
 * Bad input at scale (issue 4, item 3).
 *
 * A municipal node (GM0363, real PostgreSQL) and the regional hub (in-process,
 * same database, in-memory bus) get well over 10,000 generated requests over
 * real HTTP: every route of the node's OpenAPI document plus its operational
 * endpoints, unknown paths and wrong methods, and every public endpoint of the
 * hub. Bodies are random JSON, objects with the real field names but wrong
 * types, huge strings, odd Unicode, invalid and unknown BSNs, dates and
 * non-dates, malformed JSON, wrong or missing content types; tokens are
 * missing, garbage, unsigned, expired, for another audience or issuer, forged,
 * of the docent who may not signal, or the valid token of ib@buurtschool.example
 * so the deeper code paths are reached.
 *
 * For every response: no 5xx (and no 1xx/3xx); an API-Version header; every
 * 4xx is Problem Details (application/problem+json with string code, numeric
 * status equal to the HTTP status, string title, non-empty string detail).
 * Every generated POST is invalid by construction (and checked to be so before
 * it is sent), so none may succeed; the counts of signalen, jeugdigen and
 * matches (and the hub's index) are the same after the run as before, and the
 * two signals made in the setup are untouched.
 */
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { SignJWT, base64url, generateKeyPair } from "jose";
import { sql } from "drizzle-orm";
import { addDays, addYears, isIsoDate, isNotInformedReason, NOT_INFORMED_REASONS } from "@vi/domain";
import { rowsOf } from "@vi/db";
import { createMemoryBroker } from "@vi/bus";
import { createLogger as hubLogger, parseHubConfig, startHub, type RunningHub } from "@vi/hub";
import {
  ADAM,
  BRAM,
  DAAN,
  DOCENT,
  EMMA,
  EVA,
  FATIMA,
  FINN,
  IB,
  JGZ,
  JULIA,
  LIAM,
  LOTTE,
  MILA,
  NOOR,
  SARA,
  SEM,
  TIM,
  WIJKTEAM,
  YUSUF,
} from "../support/constants";
import { startTestRegion, type TestRegion } from "../support/region";
import { stored } from "../support/rows";
import { documentedOperations } from "../support/openapi";

const GM = "GM0363";
/**
 * The GM0363 youths in the fake BRP are ADAM (IB gets an active signal in the setup) and LIAM (free). The other demo
 * persons: an adult of GM0363, youths of other gemeenten (in and out of the region), 23 yesterday, deceased, secret
 * address, institution.
 */
const OTHER_PERSONS = [SARA, DAAN, NOOR, EMMA, SEM, JULIA, MILA, FATIMA, YUSUF, LOTTE, FINN, BRAM, EVA, TIM];
const BODY_LIMIT = 16 * 1024;
const REG_KEYS = new Set(["bsn", "einddatum", "geinformeerd", "redenNietGeinformeerd"]);

/** Runs per endpoint group (one request per run); the groups run concurrently. */
const RUNS = {
  registreren: 2600,
  lijst: 600,
  lezen: 700,
  verlengen: 900,
  beeindigen: 500,
  intrekken: 500,
  informeren: 500,
  clientkaart: 600,
  inzage: 800,
  matches: 600,
  meldingen: 500,
  operationeel: 700,
  onbekend: 800,
  hub: 900,
  kopLang: 80,
  kopMethode: 60,
  kopBackslash: 60,
  /** Matchregie, the AVG desk and the handover (each route about 80 times). */
  rollen: 720,
} as const;
const MIN_REQUESTS = 10_000;

// ---------------------------------------------------------------------------------------------------------------
// The request model, sending over real HTTP, and the per-response assertions

type Target = "node" | "hub";

interface Auth {
  /** What kind of credential this is (for the report). */
  kind: string;
  header?: string;
  /** May this header be accepted as ib@buurtschool.example? Such requests must be invalid in themselves. */
  ibLike: boolean;
}

interface Req {
  target: Target;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** Send the body chunked (no Content-Length). */
  chunked?: boolean;
  /** The operation this request is aimed at, e.g. "POST /api/v1/signalen" (coverage). */
  op: string;
  auth: Auth;
  /** What makes it invalid (for the report). */
  defects: string[];
}

interface Res {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
const ports: Record<Target, number> = { node: 0, hub: 0 };
const sent = { total: 0, byOp: new Map<string, number>(), byStatus: new Map<number, number>(), byCode: new Map<string, number>(), ibReached: 0 };

function describeReq(req: Req): string {
  const preview = req.body ? req.body.toString("utf8").slice(0, 300) : "";
  const headers = Object.fromEntries(
    Object.entries(req.headers).map(([k, v]) => [k, k === "authorization" ? `${v.slice(0, 40)}…(${req.auth.kind})` : v.slice(0, 200)]),
  );
  return [
    `${req.target.toUpperCase()} ${req.method} ${req.path.length > 400 ? `${req.path.slice(0, 400)}…(${req.path.length} chars)` : req.path}`,
    `headers: ${JSON.stringify(headers)}`,
    req.body ? `body (${req.body.length} bytes${req.chunked ? ", chunked" : ""}): ${JSON.stringify(preview)}${req.body.length > 300 ? "…" : ""}` : "no body",
    `defects: ${req.defects.join(", ") || "-"}`,
  ].join("\n  ");
}

function send(req: Req): Promise<Res> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...req.headers };
    if (req.body && !req.chunked) headers["content-length"] = req.body.length;
    // Node's client frames chunks itself only for methods that usually carry a body: say it for all.
    if (req.body && req.chunked) headers["transfer-encoding"] = "chunked";
    const r = http.request({ host: "127.0.0.1", port: ports[req.target], method: req.method, path: req.path, headers, agent }, (res) => {
      const type = String(res.headers["content-type"] ?? "");
      if (type.startsWith("text/event-stream")) {
        // The live stream never ends: its status and headers are what is checked.
        res.destroy();
        resolve({ status: res.statusCode!, headers: res.headers, text: "" });
        return;
      }
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    r.setTimeout(20_000, () => r.destroy(new Error("no answer within 20 s")));
    r.on("error", reject);
    if (req.body && req.chunked) {
      const half = Math.floor(req.body.length / 2);
      r.write(req.body.subarray(0, half));
      r.end(req.body.subarray(half));
    } else r.end(req.body);
  });
}

/** The path as the server sees it (the WHATWG URL parser resolves "." and ".." segments, also "%2e%2e"). */
function normalPath(path: string): string {
  let pathname: string;
  try {
    pathname = new URL(`http://x${path}`).pathname; // as @hono/node-server builds it ("//a" stays a path)
  } catch {
    return path; // the server cannot parse it either: no route is reached
  }
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}

/** Would this request, accepted as ib@buurtschool.example, register a signal? The generators must never make one. */
function mightRegister(req: Req, today: string): boolean {
  if (req.target !== "node" || req.method !== "POST" || !req.auth.ibLike) return false;
  if (normalPath(req.path).replace(/\/+$/, "") !== "/api/v1/signalen") return false;
  if (!req.body || req.body.length > BODY_LIMIT) return false;
  if ((req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase() !== "application/json") return false;
  let v: unknown;
  try {
    v = JSON.parse(req.body.toString("utf8").replace(/^\uFEFF/, ""));
  } catch {
    return false;
  }
  if (!v || typeof v !== "object" || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  if (Object.keys(o).some((k) => !REG_KEYS.has(k))) return false;
  if (o.bsn !== ADAM && o.bsn !== LIAM) return false;
  if (typeof o.geinformeerd !== "boolean") return false;
  if (
    o.einddatum !== undefined &&
    !(
      typeof o.einddatum === "string" &&
      /^\d{4}-\d{2}-\d{2}$/.test(o.einddatum) &&
      isIsoDate(o.einddatum) &&
      o.einddatum > today &&
      o.einddatum <= addYears(today, 2)
    )
  )
    return false;
  if (o.redenNietGeinformeerd !== undefined && !isNotInformedReason(o.redenNietGeinformeerd)) return false;
  if (!o.geinformeerd && !isNotInformedReason(o.redenNietGeinformeerd)) return false;
  return true;
}

/** Would this request, accepted as ib@buurtschool.example, change one of the setup signals? */
function mightChangeOwnSignal(req: Req, ownId: string, currentEinddatum: string, today: string): boolean {
  if (req.target !== "node" || req.method !== "POST" || !req.auth.ibLike) return false;
  const path = normalPath(req.path).toLowerCase();
  if (!path.includes(ownId.slice(0, 8).toLowerCase())) return false;
  if (/\/(beeindigen|intrekken|informeren)\/?$/.test(path)) return true;
  if (!/\/verlengen\/?$/.test(path) || !req.body) return false;
  try {
    const v = JSON.parse(req.body.toString("utf8").replace(/^\uFEFF/, "")) as Record<string, unknown>;
    const d = v?.einddatum;
    return typeof d === "string" && isIsoDate(d) && d > currentEinddatum && d <= addYears(today, 2);
  } catch {
    return false;
  }
}

/** The node's log (trace level); an "unhandled error" line explains a 500. */
const logLines: string[] = [];

function unhandledErrors(): string {
  const lines = logLines.filter((l) => l.includes('"unhandled error"')).slice(-2);
  logLines.length = 0;
  return lines
    .map((l) => {
      const e = JSON.parse(l) as { err?: { message?: string; stack?: string } };
      return `  node log: ${(e.err?.stack ?? e.err?.message ?? l).slice(0, 1500)}`;
    })
    .join("\n");
}

async function check(_group: string, req: Req, ctx: { today: string; ownId: string; ownEinddatum: string }): Promise<void> {
  if (logLines.length > 10_000) logLines.length = 0;
  if (mightRegister(req, ctx.today) || mightChangeOwnSignal(req, ctx.ownId, ctx.ownEinddatum, ctx.today)) {
    throw new Error(`test generator made a request that may be valid (it must not):\n  ${describeReq(req)}`);
  }
  let res: Res;
  try {
    res = await send(req);
  } catch (e) {
    throw new Error(
      `request failed (${(e as Error).message}${(e as { rawPacket?: Buffer }).rawPacket ? ` raw: ${JSON.stringify((e as { rawPacket: Buffer }).rawPacket.toString("latin1").slice(0, 400))}` : ""}):\n  ${describeReq(req)}`,
    );
  }
  sent.total++;
  sent.byOp.set(req.op, (sent.byOp.get(req.op) ?? 0) + 1);
  sent.byStatus.set(res.status, (sent.byStatus.get(res.status) ?? 0) + 1);
  if (req.auth.ibLike && res.status !== 401 && req.target === "node") sent.ibReached++;
  const problems: string[] = [];
  if (res.status >= 500) problems.push(`status ${res.status} (a 5xx)`);
  if (res.status < 200 || (res.status >= 300 && res.status < 400)) problems.push(`status ${res.status} (neither 2xx nor 4xx)`);
  if (res.status === 201) problems.push("201: something was created from invalid input");
  if (req.method === "POST" && res.status < 400) problems.push(`status ${res.status} for a POST that is invalid by construction`);
  if (res.headers["api-version"] !== "1.0.0") problems.push(`API-Version header is ${JSON.stringify(res.headers["api-version"])}`);
  if (res.status >= 400 && res.status < 500) {
    const type = String(res.headers["content-type"] ?? "");
    if (!type.startsWith("application/problem+json")) problems.push(`Content-Type of a ${res.status} is ${JSON.stringify(type)}, not application/problem+json`);
    if (req.method !== "HEAD") {
      let body: any;
      try {
        body = JSON.parse(res.text);
      } catch {
        problems.push("the body of a 4xx is not JSON");
      }
      if (body !== undefined) {
        if (typeof body !== "object" || body === null) problems.push("the body of a 4xx is not an object");
        else {
          sent.byCode.set(String(body.code), (sent.byCode.get(String(body.code)) ?? 0) + 1);
          if (typeof body.code !== "string" || body.code === "") problems.push("no string code");
          if (body.status !== res.status) problems.push(`body status ${JSON.stringify(body.status)} ≠ HTTP status ${res.status}`);
          if (typeof body.title !== "string") problems.push("no string title");
          if (typeof body.detail !== "string" || body.detail.trim() === "") problems.push("no non-empty string detail");
        }
      }
    }
  } else if (res.status === 200 && req.method === "GET" && String(res.headers["content-type"] ?? "").startsWith("application/json")) {
    try {
      JSON.parse(res.text);
    } catch {
      problems.push("a 200 application/json answer that is not JSON");
    }
  }
  if (problems.length) {
    throw new Error(
      `${problems.join("; ")}\n  ${describeReq(req)}\n  answer: ${res.status} ${String(res.headers["content-type"] ?? "")} ${res.text.slice(0, 500)}\n${res.status >= 500 ? unhandledErrors() : ""}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Generators of strings, values, ids, dates and BSNs

const ODD_CHARS = [
  "\u0000",
  "\u0001",
  "\u001f",
  "\u007f",
  "\u0085",
  "\u00a0",
  "\u00ad",
  "\u200b",
  "\u200c",
  "\u200d",
  "\u200e",
  "\u200f",
  "\u202a",
  "\u202b",
  "\u202c",
  "\u202d",
  "\u202e",
  "\u2066",
  "\u2067",
  "\u2068",
  "\u2069",
  "\u2028",
  "\u2029",
  "\u3000",
  "\ufeff",
  "\ufffd",
  "\ufffe",
  "\uffff",
  "\u0301",
  "\u{1f600}",
  "\u{10ffff}",
  "\u{e0001}",
  "٣",
  "０",
  "𝟗",
  "\\",
  '"',
  "'",
  "%",
  "%00",
  "\r\n",
  "\t",
  "'; drop table signalen; --",
  "${x}",
  "{{x}}",
  "../",
  "null",
];
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const oddString = fc
  .array(fc.oneof(fc.string({ unit: "binary", maxLength: 6 }), loneSurrogate, fc.constantFrom(...ODD_CHARS), fc.string({ maxLength: 6 })), { maxLength: 10 })
  .map((parts) => parts.join(""));
const hugeString = fc
  .tuple(fc.integer({ min: 1_000, max: 70_000 }), fc.constantFrom("x", "9", " ", "é", "\u202e", "\u0000", "😀", "\ud800", "ab\u200bcd"))
  .map(([n, unit]) => unit.repeat(Math.ceil(n / unit.length)));
const anyString = fc.oneof({ weight: 3, arbitrary: fc.string({ maxLength: 40 }) }, { weight: 4, arbitrary: oddString }, { weight: 1, arbitrary: hugeString });

/** A JSON-able value that is not a string. */
const nonString = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
);
const nonBoolean = fc.oneof(fc.constantFrom("true", "false", "ja", "1", "0", "", 1, 0, null, [], {}, [true], { waarde: true }), anyString);

function elfproefSum(d: string): number {
  let s = 0;
  for (let i = 0; i < 8; i++) s += (9 - i) * (d.charCodeAt(i) - 48);
  return s - (d.charCodeAt(8) - 48);
}
const nineDigits = fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: 9, maxLength: 9 });

const pad2 = (n: number) => String(n).padStart(2, "0");
/** YYYY-MM-DD shaped, also impossible ones (month 0 or 13, day 0 or 32, year 0000). */
const dateShaped = fc
  .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }))
  .map(([y, m, d]) => `${String(y).padStart(4, "0")}-${pad2(m)}-${pad2(d)}`);
const notADate = fc.oneof(
  fc.constantFrom(
    "28-11-2027",
    "2027/11/28",
    "2027-1-1",
    "20271128",
    "2027-11-28T00:00:00Z",
    "2027-11-28 ",
    " 2027-11-28",
    "2027-11-28\n",
    "+02027-11-28",
    "２０２７-１１-２８",
    "٢٠٢٧-١١-٢٨",
    "2027-11-28\u0000",
    "\u202e2027-11-28",
    "morgen",
    "",
    "NaN",
    "Infinity",
    "9999999999-01-01",
  ),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.date({ noInvalidDate: true }).map((d) => d.toString()),
  dateShaped.filter((s) => !isIsoDate(s)),
  anyString.filter((s) => !isIsoDate(s)),
);

const uuidLike = fc.oneof(
  fc.uuid(),
  fc.uuid({ version: [1, 4, 7] }),
  fc.uuid().map((u) => u.toUpperCase()),
  fc.constantFrom("00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff"),
);
const notUuid = fc.oneof(
  fc.constantFrom(
    "999900018",
    "1",
    "0",
    "-1",
    "null",
    "undefined",
    "true",
    "[]",
    "{}",
    ".",
    "..",
    "%",
    "%zz",
    "%00",
    "%2F",
    "%2e%2e",
    "00000000-0000-0000-0000-00000000000g",
  ),
  fc.uuid().map((u) => u.replaceAll("-", "")),
  fc.uuid().map((u) => `{${u}}`),
  fc.uuid().map((u) => `${u} `),
  fc.uuid().map((u) => `${u}\u0000`),
  fc.uuid().map((u) => `\u202e${u}`),
  fc.uuid().map((u) => u.slice(0, 35)),
  fc.uuid().map((u) => `${u}0`),
  fc.uuid().map((u) => `urn:uuid:${u}`),
  oddString,
  fc.string({ maxLength: 40 }),
  fc.integer({ min: 100, max: 4_000 }).map((n) => "a".repeat(n)),
);

/** Percent-encodes a path segment or query part; lone surrogates as their (invalid) WTF-8 bytes. */
function enc(s: string): string {
  let out = "";
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c >= 0xd800 && c <= 0xdfff)
      out += `%${(0xe0 | (c >> 12)).toString(16).toUpperCase()}%${(0x80 | ((c >> 6) & 0x3f)).toString(16).toUpperCase()}%${(0x80 | (c & 0x3f)).toString(16).toUpperCase()}`;
    else out += encodeURIComponent(ch);
  }
  return out;
}
/** A path segment: encoded, or (for the raw-safe ones) as is, so "%zz", ".." and "%00" reach the server verbatim. */
const segment = (a: fc.Arbitrary<string>) => fc.tuple(a, fc.boolean()).map(([s, raw]) => (raw && /^[\x21-\x7e]*$/.test(s) && !/[?#/\\]/.test(s) ? s : enc(s)));

const queryString = (known: Record<string, string[]>) =>
  fc
    .array(
      fc.oneof(
        fc.tuple(
          fc.constantFrom(...Object.keys(known), "status", "soort", "voor", "signaalId", "toestemmingJeugdige", "bsn"),
          fc.oneof(
            fc.constantFrom(...Object.values(known).flat(), "", "true", "TRUE", "actief ", "client,gezin"),
            uuidLike,
            anyString.filter((s) => s.length < 2000),
          ),
        ),
        fc.tuple(oddString, oddString),
      ),
      { maxLength: 4 },
    )
    .chain((pairs) =>
      fc.constantFrom(
        pairs.length ? `?${pairs.map(([k, v]) => `${enc(k)}=${enc(v)}`).join("&")}`.slice(0, 6_000) : "",
        pairs.length ? `?${pairs.map(([k]) => enc(k)).join("&")}`.slice(0, 6_000) : "?",
        `?${pairs
          .map(([k, v]) => `${enc(k)}=${enc(v)}`)
          .join("&")
          .slice(0, 6_000)}&%zz=%&=&&a=b=c`,
      ),
    );

// ---------------------------------------------------------------------------------------------------------------
// Bodies

interface Body {
  body?: Buffer;
  contentType?: string;
  chunked?: boolean;
  defects: string[];
}

const jsonTypes = fc.constantFrom("application/json", "application/json; charset=utf-8", "Application/JSON", "application/json;charset=UTF-8");
const wrongTypes = fc
  .oneof(
    fc.constantFrom(
      "text/plain",
      "text/plain;charset=UTF-8",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/xml",
      "application/json-patch+json",
      "application/problem+json",
      "application/jsonx",
      "json",
      "*/*",
      "application/*",
      ";application/json",
      "application/json\u00a0",
      "application/vnd.api+json",
    ),
    fc.string({
      unit: fc
        .integer({ min: 0x20, max: 0xff })
        .filter((c) => c !== 0x7f)
        .map((c) => String.fromCharCode(c)),
      maxLength: 40,
    }),
  )
  .filter((t) => t.split(";")[0]!.trim().toLowerCase() !== "application/json");

/** Serialises a JSON value with an optional whitespace padding (keeps the value, changes the size). */
const jsonText = (value: unknown) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constant(JSON.stringify(value) ?? "null") },
    { weight: 1, arbitrary: fc.constant(JSON.stringify(value, null, 2) ?? "null") },
    { weight: 1, arbitrary: fc.constant(`\uFEFF${JSON.stringify(value)}`) },
    {
      weight: 1,
      arbitrary: fc.integer({ min: -40, max: 40 }).map((delta) => {
        const text = JSON.stringify(value) ?? "null";
        const n = Math.max(0, BODY_LIMIT + delta - Buffer.byteLength(text));
        return `${" ".repeat(n)}${text}`;
      }),
    },
  );

const malformed = (text: string) =>
  fc
    .oneof(
      fc.integer({ min: 0, max: Math.max(0, text.length - 1) }).map((n) => text.slice(0, n)),
      fc.constantFrom(
        `${text},`,
        `${text}}`,
        `${text} x`,
        `{${text}`,
        text.replaceAll('"', "'"),
        `${text.slice(0, -1)},}`,
        `/* c */${text}`,
        `${text}\u0000`,
        "NaN",
        "undefined",
        "{bsn: 999900018}",
        "[1,]",
        "{'a':1}",
        "\u0000",
        '{"bsn":"\\ud800\\u"}',
        '{"a":01}',
        '{"a":1e999999999999}',
      ),
      fc.string({ maxLength: 60 }),
    )
    .filter((t) => {
      try {
        JSON.parse(t.replace(/^\uFEFF/, ""));
        return false;
      } catch {
        return true;
      }
    });

/**
 * A body for a JSON route: `base` is a possibly valid value; the defects (at
 * least `minDefects`) make it invalid in the given ways; then the encoding.
 */
function bodyFor(
  base: fc.Arbitrary<Record<string, unknown>>,
  valueDefects: fc.Arbitrary<(v: Record<string, unknown>) => [unknown, string]>,
  minDefects: number,
): fc.Arbitrary<Body> {
  const transport = fc.constantFrom(
    "json",
    "json",
    "json",
    "json",
    "json",
    "json",
    "json",
    "json",
    "malformed",
    "wrong-type",
    "no-type",
    "oversize",
    "bytes",
    "empty",
  );
  // Mostly one defect, so most requests get as deep as that one defect lets them.
  const defectCount = fc.constantFrom(0, 1, 1, 1, 1, 2, 3);
  return fc
    .tuple(
      base,
      defectCount.chain((n) => fc.array(valueDefects, { minLength: n, maxLength: n })),
      transport,
      fc.boolean(),
      fc.boolean(),
    )
    .map(
      ([b, ds, t, chunked, randomValue]) =>
        [b, ds, ds.length + (t === "json" ? 0 : 1) >= minDefects ? t : ("malformed" as const), chunked, randomValue] as const,
    )
    .chain(([b, ds, t, chunked, randomValue]) => {
      let value: unknown = b;
      const defects: string[] = [];
      for (const d of ds) {
        const [v, name] = d(value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {});
        value = v;
        defects.push(name);
      }
      if (t !== "json" && randomValue && minDefects === 0) value = undefined;
      const seed = value === undefined ? fc.jsonValue() : fc.constant(value);
      return seed.chain((v): fc.Arbitrary<Body> => {
        const text = JSON.stringify(v) ?? "null";
        switch (t) {
          case "json":
            return fc.tuple(jsonText(v), jsonTypes).map(([s, ct]) => ({ body: Buffer.from(s), contentType: ct, chunked, defects }));
          case "malformed":
            return fc
              .tuple(malformed(text), jsonTypes)
              .map(([s, ct]) => ({ body: Buffer.from(s), contentType: ct, chunked, defects: [...defects, "malformed JSON"] }));
          case "wrong-type":
            return wrongTypes.map((ct) => ({ body: Buffer.from(text), contentType: ct, chunked, defects: [...defects, "wrong content type"] }));
          case "no-type":
            return fc.constant<Body>({ body: Buffer.from(text.length ? text : "{}"), chunked, defects: [...defects, "no content type"] });
          case "oversize":
            return fc.tuple(fc.integer({ min: BODY_LIMIT + 1, max: 4 * BODY_LIMIT }), jsonTypes, fc.constantFrom(" ", "\n", "\t")).map(([size, ct, ws]) => ({
              body: Buffer.from(`${text}${ws.repeat(Math.max(0, size - Buffer.byteLength(text)))}`),
              contentType: ct,
              chunked,
              defects: [...defects, "over the body limit"],
            }));
          case "bytes":
            return fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 200 }), jsonTypes).map(([bytes, ct]) => {
              let b = Buffer.from(bytes);
              try {
                JSON.parse(b.toString("utf8").replace(/^\uFEFF/, ""));
                b = Buffer.concat([Buffer.from("{"), b]); // a lucky valid JSON text becomes invalid
              } catch {
                /* invalid as intended */
              }
              return { body: b, contentType: ct, chunked, defects: [...defects, "random bytes"] };
            });
          default:
            return jsonTypes.map((ct) => ({ body: Buffer.alloc(0), contentType: ct, defects: [...defects, "empty body"] }));
        }
      });
    });
}

// ---------------------------------------------------------------------------------------------------------------
// The test

let r: TestRegion;
let hub: RunningHub;
let today: string;
let ownId: string; // IB's active signal on Adam, einddatum today + 2 years
let otherId: string; // JGZ's signal on Adam (not IB's)
let ownEinddatum: string;
let auths: fc.Arbitrary<Auth>;
let openapiOps: string[] = [];
const hubPaths = ["/health", "/ready", "/metrics", "/.well-known/jwks.json", "/api/v1/vertrouwen/jwks.json", "/api/v1/nodes", "/api/v1/openapi.json"];
const extraOps = ["GET /health", "GET /ready", "GET /metrics", "GET /.well-known/jwks.json", "GET /api/v1/meldingen/stream", "GET /api/v1/openapi.json"];

async function hubCounts(): Promise<Record<string, number>> {
  const [row] = rowsOf<Record<string, number>>(
    await r.database.db.execute(
      sql.raw(
        `select (select count(*)::int from hub.index_signalen) as index, (select count(*)::int from hub.hub_matches) as matches, (select count(*)::int from hub.outbox) as outbox`,
      ),
    ),
  );
  return row!;
}

beforeAll(async () => {
  r = await startTestRegion({ gemeenten: [GM], logLines });
  today = r.today;
  ports.node = r.node(GM).port;
  hub = await startHub({
    config: parseHubConfig({ PORT: "0", NODES: `${GM}=http://127.0.0.1:${ports.node}`, NODES_REFRESH_SECONDS: "0", LOG_LEVEL: "silent" }),
    database: r.database,
    bus: createMemoryBroker().connect("hub"),
    log: hubLogger("silent"),
  });
  ports.hub = hub.port;
  // Open the whole pool (5 connections, shared by node and hub) now: the PostgreSQL server is shared with other
  // suites, and a connection refused mid-run ("too many clients") would be a 500 that has nothing to do with input.
  await Promise.all(Array.from({ length: 5 }, () => r.database.db.execute(sql`select pg_sleep(0.2)`)));

  // Valid setup (before the counts are taken): IB and JGZ signal on Adam, so there is a match, meldingen and a real id.
  ownEinddatum = addYears(today, 2);
  const own = await r.call(GM, IB, "POST", "/api/v1/signalen", { bsn: ADAM, geinformeerd: true, einddatum: ownEinddatum });
  expect(own.status).toBe(201);
  ownId = own.body.signaal.id;
  const other = await r.call(GM, JGZ, "POST", "/api/v1/signalen", { bsn: ADAM, geinformeerd: true });
  expect(other.status).toBe(201);
  otherId = other.body.signaal.id;
  expect(other.body.matches).toHaveLength(1);

  const doc = await r.call(GM, undefined, "GET", "/api/v1/openapi.json");
  expect(doc.status).toBe(200);
  // The document's paths are relative to its servers (docs/adr/0008): read back as served.
  openapiOps = documentedOperations(doc.body);

  // Credentials: the valid one of IB and many that must not identify IB.
  const ib = await r.token(IB);
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub: IB, email: IB, iss: r.issuer.issuer, aud: r.issuer.audience, iat: now, exp: now + 3600 };
  const { privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519" });
  const forged = await new SignJWT({ email: IB })
    .setProtectedHeader({ alg: "EdDSA", kid: r.issuer.jwks.keys[0]!.kid })
    .setSubject(IB)
    .setIssuer(r.issuer.issuer)
    .setAudience(r.issuer.audience)
    .setIssuedAt()
    .setExpirationTime("1h")
    .sign(privateKey);
  const [h, , s] = (await r.token(DOCENT)).split(".");
  const bad: Record<string, string> = {
    expired: await r.issuer.sign(IB, { expiresInSec: -3600 }),
    "wrong audience": await r.issuer.sign(IB, { audience: "een-andere-dienst" }),
    "other issuer": await r.issuer.sign(IB, { issuer: "https://evil.example" }),
    forged,
    "alg none": `${base64url.encode(JSON.stringify({ alg: "none", typ: "JWT" }))}.${base64url.encode(JSON.stringify(claims))}.`,
    "alg HS256 header": `${base64url.encode(JSON.stringify({ alg: "HS256", typ: "JWT" }))}.${base64url.encode(JSON.stringify(claims))}.${s}`,
    "payload altered": `${h}.${base64url.encode(JSON.stringify(claims))}.${s}`,
    "signature cut": ib.slice(0, -6),
    "not yet valid": await r.issuer.sign(IB, { extra: { nbf: now + 3600 } }),
    docent: await r.token(DOCENT),
    "unknown account": await r.issuer.sign("onbekend@nergens.example"),
    "not connected (Zaanstad)": await r.issuer.sign(WIJKTEAM),
    "odd e-mail claim": await r.issuer.sign(`ib\u202e@buurtschool.example\u200b`),
  };
  const headerChars = fc.string({
    unit: fc
      .integer({ min: 0x20, max: 0xff })
      .filter((c) => c !== 0x7f)
      .map((c) => String.fromCharCode(c)),
    maxLength: 200,
  });
  auths = fc.oneof(
    { weight: 12, arbitrary: fc.constant<Auth>({ kind: "valid IB", header: `Bearer ${ib}`, ibLike: true }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom<Auth>(
        { kind: "IB, lower-case scheme", header: `bearer ${ib}`, ibLike: true },
        { kind: "IB, two spaces", header: `Bearer  ${ib}`, ibLike: true },
        { kind: "IB, trailing tab", header: `Bearer ${ib}\t`, ibLike: true },
      ),
    },
    { weight: 2, arbitrary: fc.constant<Auth>({ kind: "none", ibLike: false }) },
    { weight: 6, arbitrary: fc.constantFrom(...Object.entries(bad)).map(([kind, t]) => ({ kind, header: `Bearer ${t}`, ibLike: false })) },
    {
      weight: 3,
      arbitrary: fc.oneof(
        headerChars.map((g) => ({ kind: "garbage", header: g, ibLike: false })),
        headerChars.map((g) => ({ kind: "Bearer garbage", header: `Bearer ${g}`, ibLike: false })),
        fc
          .constantFrom(
            "Bearer",
            "Bearer ",
            "Basic aWI6d2FjaHR3b29yZA==",
            "Bearer a.b.c",
            "Bearer ..",
            "Bearer eyJ",
            `Bearer ${ib}.${ib}`,
            `Bearer ${ib} ${ib}`,
            "Digest x",
            "Bearer null",
          )
          .map((g) => ({ kind: "malformed", header: g, ibLike: false })),
        fc
          .jsonValue()
          .map((v) => ({ kind: "JSON as token", header: `Bearer ${base64url.encode(JSON.stringify(v) ?? "null")}.${base64url.encode("{}")}.`, ibLike: false })),
      ),
    },
  );
}, 120_000);

afterAll(async () => {
  await hub?.stop();
  await r?.close();
  agent.destroy();
});

const methodsAll = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "PROPFIND", "PURGE", "SEARCH", "LOCK"];
const extraHeaders = fc.dictionary(
  fc.constantFrom("accept", "accept-language", "accept-encoding", "x-request-id", "origin", "if-none-match", "range", "x-forwarded-for", "cookie"),
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 60 }),
  { maxKeys: 2 },
);

function request(
  target: Target,
  op: string,
  method: string,
  path: string,
  auth: Auth,
  body: Body | undefined,
  extra: Record<string, string>,
  defects: string[] = [],
): Req {
  const headers: Record<string, string> = { ...extra };
  if (auth.header !== undefined) headers.authorization = auth.header;
  if (body?.contentType !== undefined) headers["content-type"] = body.contentType;
  const req: Req = {
    target,
    op,
    method,
    path,
    headers,
    auth,
    body: body?.body,
    chunked: body?.chunked,
    defects: [...defects, ...(body?.defects ?? []), ...(auth.ibLike ? [] : [`token: ${auth.kind}`])],
  };
  // fast-check prints a counterexample with this (the request as sent, bodies abbreviated).
  Object.defineProperty(req, fc.toStringMethod, { value: () => describeReq(req), enumerable: false });
  return req;
}

describe("bad input at scale: the node and the hub answer every generated request without a 5xx, with Problem Details, storing nothing", () => {
  it(`sends ≥ ${MIN_REQUESTS} generated requests to every public endpoint`, async () => {
    const ctx = { today, ownId, ownEinddatum };
    const before = await stored(r.database.db, GM);
    const hubBefore = await hubCounts();
    const started = performance.now();

    // --- registration bodies -------------------------------------------------------------------------------
    const unknownBsn = nineDigits.filter((d) => d !== "000000000" && elfproefSum(d) % 11 === 0 && r.brp.store.get(d) === undefined);
    const failsElfproef = nineDigits.filter((d) => elfproefSum(d) % 11 !== 0);
    const invalidBsn = fc.oneof(
      failsElfproef,
      fc.constantFrom(
        "000000000",
        "",
        "99990001",
        "9999000188",
        "99990001a",
        "999 900 018",
        "999.900.018",
        " 999900018",
        "999900018 ",
        "999900018\n",
        "٩٩٩٩٠٠٠١٨",
        "９９９９０００１８",
        "\u202e999900018",
        "999900018\u0000",
        "𝟗𝟗𝟗𝟗𝟎𝟎𝟎𝟏𝟖",
        "0999900018",
      ),
      fc.string({ unit: fc.constantFrom(..."0123456789"), maxLength: 40 }).filter((d) => d.length !== 9),
      fc.stringMatching(/^[0-9a-zA-Z]{9}$/).filter((d) => /[a-zA-Z]/.test(d)),
      oddString.filter((d) => !/^[0-9]{9}$/.test(d)),
      hugeString,
    );
    const validDate = fc
      .integer({ min: 1, max: 730 })
      .map((n) => addDays(today, n))
      .filter((d) => d <= addYears(today, 2));
    const baseRegistration: fc.Arbitrary<Record<string, unknown>> = fc
      .record({
        bsn: fc.constantFrom(LIAM, ADAM),
        geinformeerd: fc.boolean(),
        einddatum: fc.option(validDate, { nil: undefined }),
        reden: fc.constantFrom(...NOT_INFORMED_REASONS),
      })
      .map(({ bsn, geinformeerd, einddatum, reden }) => ({
        bsn,
        geinformeerd,
        ...(einddatum ? { einddatum } : {}),
        ...(geinformeerd ? {} : { redenNietGeinformeerd: reden }),
      }));
    type Defect = (v: Record<string, unknown>) => [unknown, string];
    const without = (v: Record<string, unknown>, k: string) => Object.fromEntries(Object.entries(v).filter(([key]) => key !== k));
    const registrationDefects: fc.Arbitrary<Defect> = fc.oneof(
      {
        arbitrary: invalidBsn.map(
          (b): Defect =>
            (v) => [{ ...v, bsn: b }, "invalid BSN"],
        ),
        weight: 4,
      },
      {
        arbitrary: unknownBsn.map(
          (b): Defect =>
            (v) => [{ ...v, bsn: b }, "BSN unknown to the BRP"],
        ),
        weight: 3,
      },
      {
        arbitrary: fc.constantFrom(...OTHER_PERSONS).map(
          (b): Defect =>
            (v) => [{ ...v, bsn: b }, "BSN of no youth of GM0363"],
        ),
        weight: 3,
      },
      nonString.map(
        (b): Defect =>
          (v) => [{ ...v, bsn: b }, "bsn not a string"],
      ),
      fc.constant<Defect>((v) => [without(v, "bsn"), "bsn missing"]),
      nonBoolean.map(
        (g): Defect =>
          (v) => [{ ...v, geinformeerd: g }, "geinformeerd not a boolean"],
      ),
      fc.constant<Defect>((v) => [without(v, "geinformeerd"), "geinformeerd missing"]),
      notADate.map(
        (d): Defect =>
          (v) => [{ ...v, einddatum: d }, "einddatum not a date"],
      ),
      nonString.map(
        (d): Defect =>
          (v) => [{ ...v, einddatum: d }, "einddatum not a string"],
      ),
      {
        arbitrary: dateShaped
          .filter((d) => isIsoDate(d) && (d <= today || d > addYears(today, 2)))
          .map(
            (d): Defect =>
              (v) => [{ ...v, einddatum: d }, "einddatum out of range"],
          ),
        weight: 2,
      },
      fc.constantFrom(today, addDays(today, -1), addDays(addYears(today, 2), 1), "0001-01-01", "9999-12-31", "2027-02-29", "2028-02-30").map(
        (d): Defect =>
          (v) => [{ ...v, einddatum: d }, "einddatum at or beyond a bound"],
      ),
      {
        arbitrary: fc.constantFrom("", " ", "\t\n", "\u00a0", "\u3000", "\ufeff", "\u2028").map(
          (x): Defect =>
            (v) => [{ ...v, geinformeerd: false, redenNietGeinformeerd: x }, "blank reden while not informed"],
        ),
        weight: 2,
      },
      fc.constant<Defect>((v) => [{ ...without(v, "redenNietGeinformeerd"), geinformeerd: false }, "no reden while not informed"]),
      fc.string({ minLength: 1, maxLength: 80 }).map(
        (x): Defect =>
          (v) => [{ ...v, geinformeerd: false, redenNietGeinformeerd: `toelichting: ${x}` }, "reden in free text"],
      ),
      fc.integer({ min: 501, max: 15_000 }).map(
        (n): Defect =>
          (v) => [{ ...v, geinformeerd: false, redenNietGeinformeerd: "r".repeat(n) }, "reden too long"],
      ),
      nonString.map(
        (x): Defect =>
          (v) => [{ ...v, redenNietGeinformeerd: x }, "reden not a string"],
      ),
      fc
        .tuple(
          fc.oneof(
            fc.constantFrom("__proto__", "constructor", "prototype", "BSN", "bsn ", "Geinformeerd", "reden", "id", "status", ""),
            fc.string({ maxLength: 12 }),
            oddString,
          ),
          fc.jsonValue({ maxDepth: 2 }),
        )
        .filter(([k]) => !REG_KEYS.has(k))
        .map(
          ([k, x]): Defect =>
            (v) => [Object.defineProperty({ ...v }, k, { value: x, enumerable: true, configurable: true, writable: true }), "unknown field"],
        ),
      fc.oneof(fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }), fc.integer(), fc.string({ maxLength: 20 }), fc.boolean(), fc.constant(null)).map(
        (x): Defect =>
          () => [x, "not an object"],
      ),
      fc.jsonValue().map(
        (x): Defect =>
          () => [x, "random JSON value"],
      ),
      fc.object({ maxDepth: 2 }).map(
        (x): Defect =>
          () => [JSON.parse(JSON.stringify(x) ?? "null"), "random object"],
      ),
    );
    // A random JSON value or object is only a valid registration by a miracle; the guard in check() would notice.

    const registreren = fc
      .tuple(auths, extraHeaders, fc.constantFrom("", "", "", "?x=1", "?bsn=999900079"))
      .chain(([auth, extra, query]) =>
        bodyFor(baseRegistration, registrationDefects, auth.ibLike ? 1 : 0).map((body) =>
          request("node", "POST /api/v1/signalen", "POST", `/api/v1/signalen${query}`, auth, body, extra),
        ),
      );

    // --- the other node routes -----------------------------------------------------------------------------
    const anyId = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(ownId, otherId) }, { weight: 3, arbitrary: uuidLike }, { weight: 4, arbitrary: notUuid });
    /** Ids for commands that would change IB's signal: the real one only with a token that cannot be IB's. */
    const commandId = (auth: Auth) =>
      auth.ibLike ? fc.oneof(fc.constant(otherId), uuidLike, notUuid).filter((id) => !id.toLowerCase().includes(ownId.slice(0, 8))) : anyId;
    const idPath = (id: fc.Arbitrary<string>) => segment(id);
    const optionalJunkBody = fc.option(
      bodyFor(
        fc.constant({}),
        fc.constant<Defect>((v) => [v, "a body where none is taken"]),
        0,
      ),
      { nil: undefined },
    );

    const lijst = fc
      .tuple(auths, extraHeaders, queryString({ status: ["actief", "gearchiveerd"] }), fc.constantFrom("GET", "GET", "GET", "HEAD"))
      .map(([auth, extra, q, m]) => request("node", "GET /api/v1/signalen", m, `/api/v1/signalen${q}`, auth, undefined, extra));
    const lezen = fc
      .tuple(auths, extraHeaders, idPath(anyId), queryString({}), fc.constantFrom("GET", "GET", "HEAD"))
      .map(([auth, extra, id, q, m]) => request("node", "GET /api/v1/signalen/{id}", m, `/api/v1/signalen/${id}${q}`, auth, undefined, extra));
    const verlengenDefects: fc.Arbitrary<Defect> = fc.oneof(
      notADate.map(
        (d): Defect =>
          (v) => [{ ...v, einddatum: d }, "einddatum not a date"],
      ),
      nonString.map(
        (d): Defect =>
          (v) => [{ ...v, einddatum: d }, "einddatum not a string"],
      ),
      fc.constant<Defect>(() => [{}, "einddatum missing"]),
      fc
        .tuple(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 1 }))
        .filter(([k]) => k !== "einddatum")
        .map(
          ([k, x]): Defect =>
            (v) => [{ ...v, [k]: x }, "unknown field"],
        ),
      fc.jsonValue().map(
        (x): Defect =>
          () => [x, "random JSON value"],
      ),
    );
    const verlengen = fc
      .tuple(auths, extraHeaders)
      .chain(([auth, extra]) =>
        fc.tuple(
          fc.constant(auth),
          fc.constant(extra),
          // With IB's real id every well-formed date is refused (its einddatum is already the maximum); other ids may take any date.
          idPath(auth.ibLike ? fc.oneof(fc.constant(ownId), commandId(auth)) : anyId),
          bodyFor(
            fc.oneof(dateShaped, validDate).map((d) => ({ einddatum: d })),
            verlengenDefects,
            0,
          ),
        ),
      )
      .map(([auth, extra, id, body]) => request("node", "POST /api/v1/signalen/{id}/verlengen", "POST", `/api/v1/signalen/${id}/verlengen`, auth, body, extra));
    const command = (name: "beeindigen" | "intrekken") =>
      fc
        .tuple(auths, extraHeaders)
        .chain(([auth, extra]) => fc.tuple(fc.constant(auth), fc.constant(extra), idPath(commandId(auth)), optionalJunkBody))
        .map(([auth, extra, id, body]) => request("node", `POST /api/v1/signalen/{id}/${name}`, "POST", `/api/v1/signalen/${id}/${name}`, auth, body, extra));
    // Informing recorded later: never on ib's own signal (that would be a valid change), so every request is refused.
    const informeren = fc
      .tuple(auths, extraHeaders)
      .chain(([auth, extra]) =>
        fc.tuple(
          fc.constant(auth),
          fc.constant(extra),
          idPath(commandId(auth)),
          bodyFor(
            fc.record({ wie: fc.constantFrom("ouders", "jeugdige", "ouders-en-jeugdige") }, { requiredKeys: [] }),
            fc.oneof(
              fc.string({ maxLength: 12 }).map(
                (x): Defect =>
                  (v) => [{ ...v, wie: x }, "wie not one of the list"],
              ),
              notADate.map(
                (d): Defect =>
                  (v) => [{ ...v, op: d }, "op not a date"],
              ),
              fc.jsonValue().map(
                (x): Defect =>
                  () => [x, "random JSON value"],
              ),
            ),
            0,
          ),
        ),
      )
      .map(([auth, extra, id, body]) =>
        request("node", "POST /api/v1/signalen/{id}/informeren", "POST", `/api/v1/signalen/${id}/informeren`, auth, body, extra),
      );
    const clientkaart = fc
      .tuple(auths, extraHeaders, idPath(anyId), queryString({}), fc.constantFrom("clientkaart", "clientkaart/archief"))
      .map(([auth, extra, id, q, part]) =>
        request("node", `GET /api/v1/signalen/{id}/${part}`, "GET", `/api/v1/signalen/${id}/${part}${q}`, auth, undefined, extra),
      );
    const inzage = fc
      .tuple(auths, extraHeaders, idPath(anyId), queryString({ voor: ["ouders", "jeugdige"], toestemmingJeugdige: ["true", "false"] }))
      .map(([auth, extra, id, q]) => request("node", "GET /api/v1/signalen/{id}/inzage", "GET", `/api/v1/signalen/${id}/inzage${q}`, auth, undefined, extra));
    const matches = fc
      .tuple(auths, extraHeaders, queryString({ soort: ["client", "gezin"], signaalId: [ownId, otherId] }))
      .map(([auth, extra, q]) => request("node", "GET /api/v1/matches", "GET", `/api/v1/matches${q}`, auth, undefined, extra));
    const meldingen = fc
      .tuple(
        auths,
        extraHeaders,
        queryString({}),
        fc.constantFrom("/api/v1/meldingen", "/api/v1/meldingen", "/api/v1/meldingen", "/api/v1/meldingen/stream"),
        fc.constantFrom("GET", "GET", "HEAD"),
      )
      .map(([auth, extra, q, p, m]) => request("node", `GET ${p}`, m, `${p}${q}`, auth, undefined, extra));
    const operationeel = fc
      .tuple(
        fc.option(auths, { nil: undefined }),
        extraHeaders,
        fc.constantFrom("/", "/health", "/ready", "/metrics", "/.well-known/jwks.json", "/api/v1/openapi.json"),
        queryString({}),
        fc.constantFrom("GET", "GET", "GET", "HEAD"),
      )
      .map(([auth, extra, p, q, m]) => request("node", `GET ${p}`, m, `${p}${q}`, auth ?? { kind: "none", ibLike: false }, undefined, extra));

    // --- the routes of matchregie, the AVG desk and the handover ----------------------------------------------
    // As IB (neither matchregisseur, privacy officer nor coordinator) or with a bad token: every request is refused;
    // the ids are signal ids, never a match's, so a professional's status on a match is never set either.
    const fieldDefects = (keys: string[]): fc.Arbitrary<Defect> =>
      fc.oneof(
        fc.tuple(fc.constantFrom(...keys), nonString).map(
          ([k, x]): Defect =>
            (v) => [{ ...v, [k]: x }, `${k} not a string`],
        ),
        fc.tuple(fc.constantFrom(...keys), oddString).map(
          ([k, x]): Defect =>
            (v) => [{ ...v, [k]: x }, `${k} odd`],
        ),
        fc.constantFrom(...keys).map(
          (k): Defect =>
            (v) => [without(v, k), `${k} missing`],
        ),
        fc
          .tuple(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 1 }))
          .filter(([k]) => !keys.includes(k))
          .map(
            ([k, x]): Defect =>
              (v) => [{ ...v, [k]: x }, "unknown field"],
          ),
        fc.jsonValue().map(
          (x): Defect =>
            () => [x, "random JSON value"],
        ),
      );
    const roleRoutes: Array<{ op: string; method: string; path: (id: string) => string; body?: fc.Arbitrary<Record<string, unknown>>; keys?: string[] }> = [
      { op: "GET /api/v1/matchregie/matches", method: "GET", path: () => "/api/v1/matchregie/matches" },
      { op: "GET /api/v1/matchregie/matches/{id}", method: "GET", path: (id) => `/api/v1/matchregie/matches/${id}` },
      {
        op: "POST /api/v1/matchregie/matches/{id}/regievoerder",
        method: "POST",
        path: (id) => `/api/v1/matchregie/matches/${id}/regievoerder`,
        body: uuidLike.map((signaalId) => ({ signaalId })),
        keys: ["signaalId"],
      },
      {
        op: "POST /api/v1/matchregie/matches/{id}/status",
        method: "POST",
        path: (id) => `/api/v1/matchregie/matches/${id}/status`,
        body: fc.constantFrom("geen-contact", "contact-gelegd", "afgestemd", "regie-belegd").map((status) => ({ status })),
        keys: ["status"],
      },
      {
        op: "POST /api/v1/matches/{id}/status",
        method: "POST",
        path: (id) => `/api/v1/matches/${id}/status`,
        body: fc.constantFrom("geen-contact", "contact-gelegd", "afgestemd", "regie-belegd").map((status) => ({ status })),
        keys: ["status"],
      },
      {
        op: "POST /api/v1/avg/zoeken",
        method: "POST",
        path: () => "/api/v1/avg/zoeken",
        body: fc.record({ bsn: fc.constantFrom(ADAM, LIAM), doel: fc.constantFrom("inzien", "export-json", "export-pdf") }),
        keys: ["bsn", "doel"],
      },
      {
        op: "POST /api/v1/avg/rectificeren",
        method: "POST",
        path: () => "/api/v1/avg/rectificeren",
        body: fc.constantFrom(ADAM, LIAM).map((bsn) => ({ bsn })),
        keys: ["bsn"],
      },
      {
        op: "POST /api/v1/avg/signalen/{id}/verwijderen",
        method: "POST",
        path: (id) => `/api/v1/avg/signalen/${id}/verwijderen`,
        body: fc.constantFrom("verkeerde-jeugdige", "geen-betrokkenheid", "geen-grondslag", "verzoek-toegewezen").map((reden) => ({ reden })),
        keys: ["reden"],
      },
      {
        op: "POST /api/v1/overdrachten",
        method: "POST",
        path: () => "/api/v1/overdrachten",
        body: fc.constantFrom(
          { van: "ib@buurtschool.example", naar: "docent@buurtschool.example" },
          { van: "jgz@ggd.example", naar: "ib@buurtschool.example" },
        ),
        keys: ["van", "naar"],
      },
    ];
    const rollen = fc
      .tuple(auths, extraHeaders, fc.constantFrom(...roleRoutes), idPath(anyId), queryString({ status: ["geen-contact", "contact-gelegd"] }))
      .chain(([auth, extra, route, id, q]) =>
        (route.body && route.keys ? bodyFor(route.body, fieldDefects(route.keys), 0) : fc.constant(undefined)).map((body) =>
          request("node", route.op, route.method, `${route.path(id)}${route.method === "GET" ? q : ""}`, auth, body, extra),
        ),
      );

    // --- unknown paths and wrong methods (node) --------------------------------------------------------------
    const knownTemplates = [
      "/api/v1/signalen",
      "/api/v1/signalen/{id}",
      "/api/v1/signalen/{id}/verlengen",
      "/api/v1/signalen/{id}/beeindigen",
      "/api/v1/signalen/{id}/intrekken",
      "/api/v1/signalen/{id}/informeren",
      "/api/v1/signalen/{id}/clientkaart",
      "/api/v1/signalen/{id}/clientkaart/archief",
      "/api/v1/signalen/{id}/inzage",
      "/api/v1/matches",
      "/api/v1/meldingen",
      "/api/v1/meldingen/stream",
      "/api/v1/openapi.json",
      "/health",
      "/ready",
      "/metrics",
      "/.well-known/jwks.json",
      "/",
    ];
    const wrongMethod = fc
      .tuple(fc.constantFrom(...knownTemplates), fc.constantFrom(...methodsAll))
      .filter(([p, m]) => !openapiOps.includes(`${m} ${p}`) && !(m === "GET" || m === "HEAD"))
      .map(([p, m]) => ({ p, m, defect: "wrong method" }));
    const unknownPath = fc
      .oneof(
        fc.constantFrom(
          "/",
          "/api",
          "/api/v1",
          "/api/v1/",
          "/api/v2/signalen",
          "/API/V1/SIGNALEN",
          "/api/v1/signalen/",
          "//api/v1/signalen",
          "/api/v1/./signalen",
          "/api/v1/signalen/../matches",
          "/api/v1/%2e%2e/matches",
          "/api/v1/signalen%2F",
          "/.well-known/",
          "/metrics/",
          "/health/x",
          "/api/v1/openapi.yaml",
          "/api/v1/signalen/{id}",
          "/api/v1/jeugdigen/999900018",
          "/api/v1/signalen?bsn=999900018",
          "/%00",
          "/%zz",
          "/api/v1/signalen/x/y/z",
        ),
        fc.array(segment(fc.oneof(fc.string({ maxLength: 12 }), oddString)), { minLength: 1, maxLength: 5 }).map((segs) => `/api/v1/${segs.join("/")}`),
        fc.array(segment(fc.oneof(fc.string({ maxLength: 12 }), oddString)), { minLength: 1, maxLength: 5 }).map((segs) => `/${segs.join("/")}`),
      )
      .filter((p) => !knownTemplates.includes(p.split("?")[0]!))
      .map((p) => ({ p, m: "", defect: "unknown path" }));
    const onbekend = fc
      .tuple(auths, extraHeaders, fc.oneof(wrongMethod, unknownPath), fc.constantFrom(...methodsAll), segment(anyId), optionalJunkBody)
      .map(([auth, extra, { p, m, defect }, m2, id, body]) => {
        const method = m || m2;
        const withBody = body && !["GET", "HEAD"].includes(method) ? body : undefined;
        // An unknown path or a wrong method may carry any body: no such route exists to take it.
        return request("node", `${defect}`, method, p.replace("{id}", auth.ibLike && id.includes(ownId.slice(0, 8)) ? otherId : id), auth, withBody, extra, [
          defect,
        ]);
      });

    // --- the hub ---------------------------------------------------------------------------------------------
    const hubReq = fc
      .tuple(
        fc.option(auths, { nil: undefined }),
        extraHeaders,
        fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...hubPaths) }, { weight: 1, arbitrary: unknownPath.map((u) => u.p) }),
        queryString({ node: ["GM0363"], status: ["gereed"] }),
        fc.constantFrom("GET", "GET", "GET", ...methodsAll),
        optionalJunkBody,
      )
      .map(([auth, extra, p, q, m, body]) =>
        request(
          "hub",
          hubPaths.includes(p) ? `hub ${p}` : "hub unknown path",
          m,
          `${p}${q}`,
          auth ?? { kind: "none", ibLike: false },
          body && !["GET", "HEAD"].includes(m) ? body : undefined,
          extra,
        ),
      );

    // --- the request head itself: over-long request lines and headers, unknown methods, a backslash in the path
    const head = (variant: fc.Arbitrary<{ kind: string; query: string; header?: string; method: string; backslash: string }>) =>
      fc
        .tuple(
          fc.constantFrom<Target>("node", "hub"),
          auths,
          fc.constantFrom("/api/v1/signalen", "/api/v1/matches", "/health", "/api/v1/nodes", "/api/v1/signalen/{id}/clientkaart"),
          variant,
        )
        .map(([target, auth, p, v]) =>
          request(
            target,
            `${target} request head: ${v.kind}`,
            v.method,
            `${p.replace("{id}", otherId)}${v.backslash}${v.query}`,
            auth,
            undefined,
            v.header ? { "x-opvulling": v.header } : {},
            [v.kind],
          ),
        );
    const kopLang = head(
      fc.oneof(
        fc.integer({ min: 8_000, max: 40_000 }).map((n) => ({ kind: "long request line", query: `?q=${"a".repeat(n)}`, method: "GET", backslash: "" })),
        fc.integer({ min: 8_000, max: 40_000 }).map((n) => ({ kind: "long header", query: "", header: "x".repeat(n), method: "GET", backslash: "" })),
      ),
    );
    const kopMethode = head(fc.constantFrom("FOO", "BREW", "GETT").map((m) => ({ kind: "unknown method", query: "", method: m, backslash: "" })));
    const kopBackslash = head(fc.constantFrom("\\", "\\..\\", "\\x").map((b) => ({ kind: "backslash in path", query: "", method: "GET", backslash: b })));

    const groups: Array<[keyof typeof RUNS, fc.Arbitrary<Req>]> = [
      ["kopLang", kopLang],
      ["kopMethode", kopMethode],
      ["kopBackslash", kopBackslash],
      ["registreren", registreren],
      ["lijst", lijst],
      ["lezen", lezen],
      ["verlengen", verlengen],
      ["beeindigen", command("beeindigen")],
      ["intrekken", command("intrekken")],
      ["informeren", informeren],
      ["clientkaart", clientkaart],
      ["inzage", inzage],
      ["matches", matches],
      ["meldingen", meldingen],
      ["operationeel", operationeel],
      ["onbekend", onbekend],
      ["rollen", rollen],
      ["hub", hubReq],
    ];
    const outcomes = await Promise.allSettled(
      groups.map(([name, arb]) =>
        fc.assert(
          fc.asyncProperty(arb, (req) => check(name, req, ctx)),
          { numRuns: RUNS[name] },
        ),
      ),
    );
    const failures = outcomes.flatMap((o, i) =>
      o.status === "rejected"
        ? [`group ${groups[i]![0]}: ${(o.reason as Error).message}\nCaused by: ${((o.reason as Error).cause as Error | undefined)?.message ?? "-"}`]
        : [],
    );

    const seconds = (performance.now() - started) / 1000;
    const after = await stored(r.database.db, GM);
    const hubAfter = await hubCounts();
    // eslint-disable-next-line no-console
    console.log(
      `bad input: ${sent.total} requests in ${seconds.toFixed(1)} s (${Math.round(sent.total / seconds)}/s); ${sent.ibReached} past authentication as IB; statuses ${JSON.stringify(Object.fromEntries([...sent.byStatus].sort((a, b) => a[0] - b[0])))}\n` +
        `codes: ${JSON.stringify(Object.fromEntries([...sent.byCode].sort()))}\n` +
        `per operation: ${JSON.stringify(Object.fromEntries([...sent.byOp].sort()))}`,
    );
    // Nothing stored from invalid input (checked first: it matters most, also when a group failed).
    expect(after).toMatchObject({ signalen: before.signalen, jeugdigen: before.jeugdigen, matches: before.matches });
    expect(hubAfter).toEqual(hubBefore);
    const mine = await r.call(GM, IB, "GET", `/api/v1/signalen/${ownId}`);
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ status: "actief", einddatum: ownEinddatum, gearchiveerdOp: null });
    const theirs = await r.call(GM, JGZ, "GET", `/api/v1/signalen/${otherId}`);
    expect(theirs.body).toMatchObject({ status: "actief", gearchiveerdOp: null });

    // Each group's counterexample (fast-check shrinks it; the request is printed as sent).
    if (failures.length) throw new Error(failures.join("\n\n"));

    expect(sent.total).toBeGreaterThanOrEqual(MIN_REQUESTS);
    // Every operation of the node's OpenAPI document, its other endpoints and every hub endpoint got a fair share.
    for (const op of [...openapiOps, ...extraOps]) expect(sent.byOp.get(op) ?? 0, `requests to the node's ${op}`).toBeGreaterThanOrEqual(50);
    for (const p of hubPaths) expect(sent.byOp.get(`hub ${p}`) ?? 0, `requests to the hub's ${p}`).toBeGreaterThanOrEqual(50);
    expect(sent.ibReached, "requests that got past authentication as IB (deeper code paths)").toBeGreaterThanOrEqual(MIN_REQUESTS / 4);
    expect(seconds).toBeLessThan(120);
  }, 300_000);
});
