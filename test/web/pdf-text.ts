/**
 * The text of a PDF that pdf-lib wrote with a standard font: each content stream inflated, each shown string
 * (hex `<...> Tj` or literal `(...) Tj`) decoded as WinAnsi (Latin-1 for the letters Dutch uses).
 */
import { inflateSync } from "node:zlib";

export function pdfText(pdf: Uint8Array): string {
  const raw = Buffer.from(pdf);
  const parts: string[] = [];
  let at = 0;
  for (;;) {
    const start = raw.indexOf("stream", at, "latin1");
    if (start < 0) break;
    let from = start + "stream".length;
    if (raw[from] === 0x0d) from++;
    if (raw[from] === 0x0a) from++;
    const end = raw.indexOf("endstream", from, "latin1");
    if (end < 0) break;
    const header = raw.subarray(Math.max(0, start - 200), start).toString("latin1");
    let body = raw.subarray(from, end);
    if (header.includes("/FlateDecode")) {
      try {
        body = inflateSync(body);
      } catch {
        body = Buffer.alloc(0);
      }
    }
    const content = body.toString("latin1");
    for (const m of content.matchAll(/<([0-9A-Fa-f\s]+)>\s*Tj|\(((?:\\.|[^\\)])*)\)\s*Tj/g)) {
      if (m[1] !== undefined) parts.push(Buffer.from(m[1].replace(/\s+/g, ""), "hex").toString("latin1"));
      else parts.push(m[2]!.replace(/\\(.)/g, "$1"));
    }
    at = end + "endstream".length;
  }
  return parts.join("\n");
}
