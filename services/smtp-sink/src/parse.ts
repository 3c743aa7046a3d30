/**
 * A small MIME parser: enough for what nodemailer (and most other clients) send.
 * Headers (folded lines, RFC 2047 encoded words), Content-Type parameters,
 * quoted-printable / base64 / 7bit / 8bit bodies, nested multiparts. Not a
 * general-purpose parser: no attachments are kept, no RFC 2231 parameters.
 */

export interface ParsedMail {
  /** Header name (lower case) → values in order of appearance (decoded). */
  headers: Map<string, string[]>;
  messageId: string | null;
  from: string;
  to: string[];
  subject: string;
  /** The first text/plain part that is not an attachment ("" when there is none). */
  text: string;
  /** The first text/html part that is not an attachment. */
  html: string | null;
}

interface Part {
  headers: Map<string, string[]>;
  /** Body as a byte-preserving latin1 string. */
  body: string;
}

/** Parses a raw RFC 5322 message. */
export function parseMail(raw: Buffer): ParsedMail {
  const top = splitPart(raw.toString("latin1"));
  const found: { text: string | null; html: string | null } = { text: null, html: null };
  walk(top, found, 0);
  const h = (name: string) => top.headers.get(name)?.[0];
  return {
    headers: top.headers,
    messageId: h("message-id")?.trim() || null,
    from: h("from")?.trim() ?? "",
    to: (top.headers.get("to") ?? []).flatMap(splitAddressList),
    subject: h("subject")?.trim() ?? "",
    text: found.text ?? "",
    html: found.html,
  };
}

function walk(part: Part, found: { text: string | null; html: string | null }, depth: number): void {
  if (depth > 10) return;
  const ct = parseHeaderValue(part.headers.get("content-type")?.[0] ?? "text/plain; charset=us-ascii");
  const disposition = parseHeaderValue(part.headers.get("content-disposition")?.[0] ?? "");
  if (ct.value.startsWith("multipart/")) {
    const boundary = ct.params.get("boundary");
    if (!boundary) return;
    for (const child of splitMultipart(part.body, boundary)) walk(splitPart(child), found, depth + 1);
    return;
  }
  if (disposition.value === "attachment") return;
  const encoding = (part.headers.get("content-transfer-encoding")?.[0] ?? "7bit").trim().toLowerCase();
  const charset = ct.params.get("charset") ?? "us-ascii";
  if (ct.value === "text/plain" && found.text === null) found.text = decodeText(decodeBody(part.body, encoding), charset);
  else if (ct.value === "text/html" && found.html === null) found.html = decodeText(decodeBody(part.body, encoding), charset);
}

/** Splits a part (as a latin1 string) into its headers and body. */
function splitPart(s: string): Part {
  const m = /\r?\n\r?\n/.exec(s);
  const head = m ? s.slice(0, m.index) : s;
  const body = m ? s.slice(m.index + m[0].length) : "";
  const headers = new Map<string, string[]>();
  const unfolded = head.replace(/\r?\n(?=[ \t])/g, "");
  for (const line of unfolded.split(/\r?\n/)) {
    const i = line.indexOf(":");
    if (i <= 0) continue;
    const name = line.slice(0, i).trim().toLowerCase();
    const value = decodeWords(line.slice(i + 1).trim());
    const list = headers.get(name);
    if (list) list.push(value);
    else headers.set(name, [value]);
  }
  return { headers, body };
}

function splitMultipart(body: string, boundary: string): string[] {
  const lines = body.split(/\r?\n/);
  const parts: string[] = [];
  let current: string[] | null = null;
  for (const line of lines) {
    const t = line.trimEnd();
    if (t === `--${boundary}--`) {
      if (current) parts.push(current.join("\r\n"));
      return parts;
    }
    if (t === `--${boundary}`) {
      if (current) parts.push(current.join("\r\n"));
      current = [];
      continue;
    }
    current?.push(line);
  }
  if (current) parts.push(current.join("\r\n"));
  return parts;
}

/** `text/plain; charset="utf-8"` → value and lower-cased parameter names. */
export function parseHeaderValue(v: string): { value: string; params: Map<string, string> } {
  const [first = "", ...rest] = splitOutsideQuotes(v, ";");
  const params = new Map<string, string>();
  for (const p of rest) {
    const i = p.indexOf("=");
    if (i <= 0) continue;
    let val = p.slice(i + 1).trim();
    if (val.startsWith('"') && val.endsWith('"') && val.length >= 2) val = val.slice(1, -1).replace(/\\(.)/g, "$1");
    params.set(p.slice(0, i).trim().toLowerCase(), val);
  }
  return { value: first.trim().toLowerCase(), params };
}

function splitOutsideQuotes(s: string, sep: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === "\\" && quoted && i + 1 < s.length) {
      cur += c + s[++i];
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === sep && !quoted) {
      out.push(cur);
      cur = "";
    } else cur += c;
  }
  out.push(cur);
  return out;
}

function splitAddressList(v: string): string[] {
  return splitOutsideQuotes(v, ",")
    .map((a) => a.trim())
    .filter(Boolean);
}

/** Body (latin1 string) → bytes, per Content-Transfer-Encoding. */
export function decodeBody(body: string, encoding: string): Buffer {
  if (encoding === "base64") return Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ""), "base64");
  if (encoding === "quoted-printable") return decodeQuotedPrintable(body);
  return Buffer.from(body, "latin1");
}

export function decodeQuotedPrintable(s: string): Buffer {
  // Transport-added trailing whitespace goes first; then soft line breaks ("=" at the end of a line).
  return decodeHexEscapes(s.replace(/[ \t]+(?=\r?\n|$)/g, "").replace(/=\r?\n/g, ""));
}

/** "=XX" → byte XX; every other character is one byte (latin1). */
function decodeHexEscapes(s: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "=" && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(s.charCodeAt(i) & 0xff);
  }
  return Buffer.from(bytes);
}

function decodeText(bytes: Buffer, charset: string): string {
  let text: string;
  try {
    text = new TextDecoder(charset.toLowerCase() === "us-ascii" ? "utf-8" : charset).decode(bytes);
  } catch {
    text = new TextDecoder("utf-8").decode(bytes);
  }
  // Line endings as the sender meant them: CRLF on the wire, LF in memory.
  return text.replace(/\r\n/g, "\n");
}

const ENCODED_WORD = /=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=/g;

/**
 * RFC 2047: decodes encoded words. Adjacent encoded words (separated only by whitespace) are joined at the byte
 * level first, so a multi-byte character split over two words still decodes correctly.
 */
export function decodeWords(v: string): string {
  if (!v.includes("=?")) return v;
  let out = "";
  let last = 0;
  let pending: { charset: string; bytes: Buffer[] } | null = null;
  const flush = () => {
    if (pending) out += decodeText(Buffer.concat(pending.bytes), pending.charset);
    pending = null;
  };
  for (const m of v.matchAll(ENCODED_WORD)) {
    const between = v.slice(last, m.index);
    const charset = m[1]!.split("*")[0]!.toLowerCase();
    const bytes = m[2]!.toLowerCase() === "b" ? Buffer.from(m[3]!, "base64") : decodeHexEscapes(m[3]!.replace(/_/g, " "));
    const p = pending as { charset: string; bytes: Buffer[] } | null;
    if (p && /^\s*$/.test(between)) {
      // Whitespace between two encoded words is not part of the text.
      if (p.charset === charset) p.bytes.push(bytes);
      else {
        flush();
        pending = { charset, bytes: [bytes] };
      }
    } else {
      flush();
      out += between;
      pending = { charset, bytes: [bytes] };
    }
    last = m.index + m[0].length;
  }
  flush();
  return out + v.slice(last);
}
