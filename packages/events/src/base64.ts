/**
 * `Uint8Array.prototype.toBase64` and `Uint8Array.fromBase64` (ECMAScript's base64 methods, the TC39 proposal
 * "Uint8Array to/from base64") where the engine does not have them yet: Node 20, 22 and 24 do not. jose uses them when
 * present; without them it builds a binary string and runs `btoa`/`atob` over it, which cost about two thirds of
 * sealing and half of opening a rebuild page of 400 kB (docs/adr/0048). These run on Node's own base64 codec.
 *
 * Installed once, on import, and only where the engine lacks them: an engine that has them keeps its own. Only the
 * two methods jose uses are provided (not `setFromBase64` or the hex methods). They follow the proposal: the
 * options `alphabet` ("base64" or "base64url") and `omitPadding`; `lastChunkHandling` ("loose", "strict",
 * "stop-before-partial"); ASCII whitespace skipped; any other character outside the alphabet, a lone last
 * character, wrong padding or anything after it is a SyntaxError; a fresh Uint8Array of its own buffer.
 */

type Alphabet = "base64" | "base64url";
type LastChunkHandling = "loose" | "strict" | "stop-before-partial";

function alphabetOf(options: { alphabet?: unknown } | undefined): Alphabet {
  const alphabet = options?.alphabet ?? "base64";
  if (alphabet !== "base64" && alphabet !== "base64url") throw new TypeError(`alphabet must be "base64" or "base64url"`);
  return alphabet;
}

/** `bytes.toBase64(options)`. */
export function toBase64(bytes: Uint8Array, options?: { alphabet?: Alphabet; omitPadding?: boolean }): string {
  if (!(bytes instanceof Uint8Array)) throw new TypeError("toBase64 needs a Uint8Array");
  const alphabet = alphabetOf(options);
  const omitPadding = Boolean(options?.omitPadding);
  // A view on the same memory: no copy.
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString(alphabet);
  // Node writes base64 padded and base64url unpadded.
  if (alphabet === "base64") return omitPadding ? text.replace(/=+$/, "") : text;
  return omitPadding ? text : text + "=".repeat((4 - (text.length % 4)) % 4);
}

const WHITESPACE = /[\t\n\f\r ]/g;
const BODY: Record<Alphabet, RegExp> = { base64: /^[A-Za-z0-9+/]*$/, base64url: /^[A-Za-z0-9_-]*$/ };
const DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** The value of one base64 character (either alphabet). */
function digit(c: string): number {
  const i = DIGITS.indexOf(c);
  if (i >= 0) return i;
  return c === "+" || c === "-" ? 62 : 63;
}

/** `Uint8Array.fromBase64(text, options)`. */
export function fromBase64(text: string, options?: { alphabet?: Alphabet; lastChunkHandling?: LastChunkHandling }): Uint8Array {
  if (typeof text !== "string") throw new TypeError("fromBase64 needs a string");
  const alphabet = alphabetOf(options);
  const handling = options?.lastChunkHandling ?? "loose";
  if (handling !== "loose" && handling !== "strict" && handling !== "stop-before-partial") {
    throw new TypeError(`lastChunkHandling must be "loose", "strict" or "stop-before-partial"`);
  }
  const compact = text.replace(WHITESPACE, "");
  const padded = compact.endsWith("==") ? 2 : compact.endsWith("=") ? 1 : 0;
  let body = compact.slice(0, compact.length - padded);
  if (!BODY[alphabet].test(body)) throw new SyntaxError("not base64: a character outside the alphabet, or after the padding");
  const partial = body.length % 4;
  if (padded === 1 && partial === 2 && handling === "stop-before-partial") {
    // "xx=": a chunk whose padding may still come; stop before it.
    body = body.slice(0, body.length - partial);
  } else if (padded > 0) {
    // "xx==" or "xxx=": padding completes a chunk of two or three characters, and nothing follows it.
    if (partial + padded !== 4) throw new SyntaxError("not base64: wrong padding");
  } else if (partial !== 0) {
    if (handling === "strict") throw new SyntaxError("not base64: the last chunk is not padded");
    if (handling === "stop-before-partial") body = body.slice(0, body.length - partial);
    else if (partial === 1) throw new SyntaxError("not base64: a lone character in the last chunk");
  }
  const rest = body.length % 4;
  if (handling === "strict" && rest !== 0) {
    // The bits a partial chunk's last character carries beyond its bytes must be zero.
    const spare = digit(body[body.length - 1]!) & (rest === 2 ? 0b1111 : 0b11);
    if (spare !== 0) throw new SyntaxError("not base64: non-zero bits after the last byte");
  }
  const out = new Uint8Array(Math.floor((body.length * 3) / 4));
  if (out.length > 0) Buffer.from(out.buffer, out.byteOffset, out.byteLength).write(body, "base64");
  return out;
}

interface Base64Methods {
  toBase64?: unknown;
}

/** Installs both where the engine lacks them; true when it did. */
export function installBase64(): boolean {
  const proto = Uint8Array.prototype as Base64Methods;
  const ctor = Uint8Array as unknown as { fromBase64?: unknown };
  if (typeof proto.toBase64 === "function" && typeof ctor.fromBase64 === "function") return false;
  Object.defineProperty(Uint8Array.prototype, "toBase64", {
    value: function (this: Uint8Array, options?: { alphabet?: Alphabet; omitPadding?: boolean }) {
      return toBase64(this, options);
    },
    writable: true,
    configurable: true,
    enumerable: false,
  });
  Object.defineProperty(Uint8Array, "fromBase64", { value: fromBase64, writable: true, configurable: true, enumerable: false });
  return true;
}

installBase64();
