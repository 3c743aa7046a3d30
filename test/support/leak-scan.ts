/**
 * Looking for personal data where none may be (docs/national-chain.md: no BSN, name or address leaves the residence
 * node): the needles of the demo fixture (every BSN, every name, every date of birth, the addresses), a scanner
 * that also reads what is only encoded (base64url JWS payloads and headers, PEM, JSON inside strings), and a
 * recorder of every HTTP exchange made through undici in this process (both directions, headers and bodies),
 * through undici's diagnostics channels: an observer only, nothing is changed on the way.
 */
import { X509Certificate } from "node:crypto";
import diagnostics from "node:diagnostics_channel";
import type { TLSSocket } from "node:tls";
import { DEMO_INSTITUTION_ADDRESS_IDS, DEMO_INVALID_BSN, DEMO_UNKNOWN_BSN, demoPersons, demoRegister, type BrpRecord } from "@vi/demo";

// ---------------------------------------------------------------------------------------------------------------
// Needles

export interface Needle {
  /** What was found, for the report: never the value itself when it is a BSN (the report may end up in a log). */
  what: string;
  re: RegExp;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** Digits (a BSN, a date): not part of a longer run of digits. */
const digits = (what: string, value: string): Needle => ({ what, re: new RegExp(`(?<!\\d)${escapeRegExp(value)}(?!\\d)`) });
/**
 * Words (a name, a street): case-insensitive, not part of a longer word. Letters, digits and the base64url
 * alphabet count as word characters, so random base64 never matches a short name by chance (a name inside a
 * slug such as `yusuf-el-amrani` is not found either: a limit of this scan).
 */
const words = (what: string, value: string): Needle => ({
  what,
  re: new RegExp(`(?<![\\p{L}\\p{N}_+/=-])${escapeRegExp(value).replace(/ /g, "\\s+")}(?![\\p{L}\\p{N}_+/=-])`, "iu"),
});

/**
 * Every person of the fixture (docs/demo-data.md) as the running fake BRP holds them (`lookup`): BSN, first name,
 * surname (with and without its prefix), full name, date of birth (ISO, compact, Dutch), street, postcode and
 * address id; and the fixture's unknown and invalid BSNs. A surname alone is left out when the demo register
 * itself carries it as a word (Visser: the professional Sanne Visser; Haarlem: Jeugdteam Haarlem): the register
 * is meant to be at the hub, and the full name is still looked for. Institution addresses are the register's too.
 */
export function fixtureNeedles(today: string, lookup: (bsn: string) => BrpRecord | undefined): Needle[] {
  const registerText = JSON.stringify([demoRegister("amsterdam"), demoRegister("kennemerland")]);
  const inRegister = (word: string) => words("", word).re.test(registerText);
  const needles: Needle[] = [digits("onbekend BSN", DEMO_UNKNOWN_BSN), digits("ongeldig BSN", DEMO_INVALID_BSN)];
  for (const fixture of demoPersons(today)) {
    const p = lookup(fixture.bsn);
    if (!p) throw new Error(`fixture person ${fixture.voornamen} is not in the fake BRP`);
    const who = `${p.voornamen} ${p.geslachtsnaam}`;
    needles.push(digits(`BSN of ${who}`, p.bsn));
    const surname = [p.voorvoegsel, p.geslachtsnaam].filter(Boolean).join(" ");
    const names = new Set([p.voornamen, `${p.voornamen} ${surname}`]);
    if (p.voorvoegsel) names.add(surname);
    if (!inRegister(p.geslachtsnaam)) names.add(p.geslachtsnaam);
    for (const n of names) needles.push(words(`name of ${who} (${n})`, n));
    const [y, m, d] = p.geboortedatum.split("-");
    needles.push(
      digits(`birth date of ${who}`, p.geboortedatum),
      digits(`birth date of ${who} (compact)`, `${y}${m}${d}`),
      digits(`birth date of ${who} (dd-mm-jjjj)`, `${d}-${m}-${y}`),
    );
    if (!DEMO_INSTITUTION_ADDRESS_IDS.includes(p.adres.adresseerbaarObjectId)) {
      needles.push(
        words(`street of ${who}`, p.adres.straat),
        words(`postcode of ${who}`, p.adres.postcode),
        digits(`address id of ${who}`, p.adres.adresseerbaarObjectId),
      );
    }
  }
  return needles;
}

// ---------------------------------------------------------------------------------------------------------------
// Scanning

/** A run of the base64 (or base64url) alphabet long enough to hide a BSN or a name. */
const ENCODED = /^[A-Za-z0-9+/_-]{8,}={0,2}$/;
const PEM = /-----BEGIN [A-Z ]+-----([\s\S]*?)-----END [A-Z ]+-----/g;

/** Bytes as text when they are text (valid UTF-8, no control characters but white space); else undefined. */
function asText(bytes: Buffer): string | undefined {
  if (bytes.length < 4) return undefined;
  const text = bytes.toString("utf8");
  if (!Buffer.from(text, "utf8").equals(bytes)) return undefined;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if ((code < 0x20 && ch !== "\t" && ch !== "\n" && ch !== "\r") || code === 0x7f || code === 0xfffd) return undefined;
  }
  return text;
}

/**
 * Scans `s` as it is, and its readable forms, recursively: JSON inside is parsed and walked; each encoded part
 * is decoded and scanned when the bytes are text (a compact JWS's header and payload, a JWE's protected header,
 * base64 of a text, a PEM block). Ciphertext, signatures, pseudonyms and DER decode to bytes that are not text:
 * nothing readable is in those.
 */
function scanString(s: string, needles: Needle[], hit: (what: string) => void, depth: number): void {
  // Every needle on the string as it is. A word needle matches only where the base64 alphabet does not continue
  // on either side: in an encoded string, only when the whole string is that word.
  for (const n of needles) if (n.re.test(s)) hit(n.what);
  if (depth > 4) return;
  const trimmed = s.trim();
  if ((trimmed.startsWith("{") && trimmed.endsWith("}")) || (trimmed.startsWith("[") && trimmed.endsWith("]"))) {
    try {
      walk(JSON.parse(trimmed), needles, hit, depth + 1);
      return;
    } catch {
      // not JSON: scanned as text below
    }
  }
  const decodeAll = (parts: string[]) => {
    for (const part of parts) {
      const text = asText(Buffer.from(part, "base64"));
      if (text !== undefined) scanString(text, needles, hit, depth + 1);
    }
  };
  const parts = trimmed.split(".");
  if (parts.length > 1 && parts.every((p) => p === "" || ENCODED.test(p))) {
    decodeAll(parts.filter(Boolean)); // compact JWS/JWE
    return;
  }
  if (ENCODED.test(trimmed)) {
    decodeAll([trimmed]); // base64 of a text?
    return;
  }
  // Text: PEM blocks and the tokens between white space and punctuation that are encodings are decoded too.
  for (const m of s.matchAll(PEM)) decodeAll([m[1]!.replace(/\s+/g, "")]);
  for (const token of s.replace(PEM, " ").split(/[\s"'<>,;:()[\]{}]+/)) {
    if (token.length >= 8 && token !== trimmed) scanString(token, needles, hit, depth + 1);
  }
}

function walk(value: unknown, needles: Needle[], hit: (what: string) => void, depth: number): void {
  if (typeof value === "string") scanString(value, needles, hit, depth);
  else if (typeof value === "number" || typeof value === "bigint") scanString(String(value), needles, hit, depth);
  else if (Array.isArray(value)) for (const v of value) walk(v, needles, hit, depth);
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      scanString(k, needles, hit, depth);
      walk(v, needles, hit, depth);
    }
  }
}

/** What of `needles` occurs in `value` (a string, or JSON-like data), readable or only encoded: `where: what` each. */
export function findLeaks(where: string, value: unknown, needles: Needle[]): string[] {
  const found = new Set<string>();
  walk(value, needles, (what) => found.add(`${where}: ${what}`), 0);
  return [...found];
}

// ---------------------------------------------------------------------------------------------------------------
// Recording HTTP exchanges

export interface HttpExchange {
  origin: string;
  method: string;
  path: string;
  /** The subject CN of the certificate this side presented on the TLS connection (mutual TLS), if any. */
  from?: string;
  /** The subject CN of the certificate the other side presented, if any (for a resumed session: when it was made). */
  to?: string;
  /** The request's header block as written to the socket (without content-length). */
  requestHead: string;
  requestBody: string;
  status?: number;
  responseHeaders: Array<[string, string]>;
  responseBody: string;
  complete: boolean;
  error?: string;
}

export interface HttpRecorder {
  exchanges: HttpExchange[];
  stop(): void;
}

const cnOf = (raw: Buffer | undefined): string | undefined => {
  if (!raw?.length) return undefined;
  const line = new X509Certificate(raw).subject.split("\n").find((l) => l.startsWith("CN="));
  return line?.slice(3);
};

/** One DER element: its tag, and where its content starts and ends. */
function derAt(der: Buffer, at: number): { tag: number; start: number; end: number } {
  const tag = der[at]!;
  let len = der[at + 1]!;
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der[start + i]!;
    start += n;
  }
  return { tag, start, end: start + len };
}

/**
 * The peer's certificate (DER) that a TLS session carries: OpenSSL's SSL_SESSION is a SEQUENCE whose field
 * `peer [3] EXPLICIT Certificate OPTIONAL` holds the certificate its full handshake verified.
 */
export function sessionPeer(session: Buffer | undefined): Buffer | undefined {
  if (!session?.length || session[0] !== 0x30) return undefined;
  const seq = derAt(session, 0);
  for (let at = seq.start; at < seq.end; ) {
    const el = derAt(session, at);
    if (el.tag === 0xa3) return session.subarray(el.start, el.end);
    at = el.end;
  }
  return undefined;
}

/**
 * Records every HTTP exchange undici makes in this process from now on (this project's HTTPS clients are undici:
 * packages/fsc's client), through undici's diagnostics channels: the header block and the body as written to the
 * socket, the answer's status, headers and body as received, and which certificates each side presented.
 */
export function recordHttpExchanges(): HttpRecorder {
  const exchanges: HttpExchange[] = [];
  const byRequest = new WeakMap<object, HttpExchange>();
  const text = (chunk: unknown) => (typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8"));
  type R = { request: { origin: string | URL; method: string; path: string } };
  const handlers: Record<string, (m: unknown) => void> = {
    "undici:request:create": (m) => {
      const { request } = m as R;
      const x: HttpExchange = {
        origin: new URL(String(request.origin)).origin,
        method: request.method,
        path: request.path,
        requestHead: "",
        requestBody: "",
        responseHeaders: [],
        responseBody: "",
        complete: false,
      };
      byRequest.set(request, x);
      exchanges.push(x);
    },
    "undici:client:sendHeaders": (m) => {
      const { request, headers, socket } = m as R & { headers: string; socket: TLSSocket };
      const x = byRequest.get(request);
      if (!x) return;
      x.requestHead += headers;
      if (typeof socket.getCertificate === "function") {
        const local = socket.getCertificate() as { raw?: Buffer } | null;
        x.from = cnOf(local?.raw);
        // A resumed session (TLS session tickets) sends no certificate, so on the client side Node has none of the
        // peer; the session itself carries the one its full handshake verified.
        x.to = cnOf(socket.getPeerCertificate()?.raw) ?? (socket.isSessionReused() ? cnOf(sessionPeer(socket.getSession())) : undefined);
      }
    },
    "undici:request:bodyChunkSent": (m) => {
      const { request, chunk } = m as R & { chunk: unknown };
      const x = byRequest.get(request);
      if (x) x.requestBody += text(chunk);
    },
    "undici:request:headers": (m) => {
      const { request, response } = m as R & { response: { statusCode: number; headers: Array<Buffer | string> } };
      const x = byRequest.get(request);
      if (!x) return;
      x.status = response.statusCode;
      for (let i = 0; i + 1 < response.headers.length; i += 2) x.responseHeaders.push([text(response.headers[i]), text(response.headers[i + 1])]);
    },
    "undici:request:bodyChunkReceived": (m) => {
      const { request, chunk } = m as R & { chunk: unknown };
      const x = byRequest.get(request);
      if (x) x.responseBody += text(chunk);
    },
    "undici:request:trailers": (m) => {
      const x = byRequest.get((m as R).request);
      if (x) x.complete = true;
    },
    "undici:request:error": (m) => {
      const { request, error } = m as R & { error: Error };
      const x = byRequest.get(request);
      if (x) x.error = error.message;
    },
  };
  for (const [name, fn] of Object.entries(handlers)) diagnostics.subscribe(name, fn);
  return {
    exchanges,
    stop() {
      for (const [name, fn] of Object.entries(handlers)) diagnostics.unsubscribe(name, fn);
    },
  };
}

/** An exchange as the fields a scan reads: its URL (path segments and query values, decoded), each header value, both bodies. */
export function exchangeFields(x: HttpExchange): Record<string, unknown> {
  const url = new URL(x.path, x.origin);
  const head = x.requestHead.split("\r\n").slice(1);
  return {
    url: [...url.pathname.split("/").map(decodeURIComponent), ...[...url.searchParams].flat()],
    requestHeaders: head.map((l) => l.slice(l.indexOf(":") + 1).trim()).filter(Boolean),
    requestBody: x.requestBody,
    responseHeaders: x.responseHeaders.map(([, v]) => v),
    responseBody: x.responseBody,
  };
}
