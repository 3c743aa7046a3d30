import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { fromBase64, installBase64, toBase64 } from "../src/base64";
import "../src/index";

/**
 * An oracle written from the proposal's algorithm, character by character (no Buffer, no atob), to hold the
 * Buffer-based methods against.
 */
const ALPHABETS = {
  base64: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
  base64url: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
} as const;
type Alphabet = keyof typeof ALPHABETS;
type Handling = "loose" | "strict" | "stop-before-partial";

function oracleEncode(bytes: Uint8Array, alphabet: Alphabet, omitPadding: boolean): string {
  const a = ALPHABETS[alphabet];
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const n = Math.min(3, bytes.length - i);
    const v = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const digits = [v >> 18, (v >> 12) & 63, (v >> 6) & 63, v & 63].slice(0, n + 1);
    out += digits.map((d) => a[d]).join("");
    if (n < 3 && !omitPadding) out += "=".repeat(3 - n);
  }
  return out;
}

function oracleDecode(text: string, alphabet: Alphabet, handling: Handling): number[] {
  const a = ALPHABETS[alphabet];
  const out: number[] = [];
  let chunk: number[] = [];
  const flush = (strict: boolean) => {
    const v = chunk.reduce((acc, d, i) => acc | (d << (18 - 6 * i)), 0);
    const bytes = chunk.length - 1;
    if (strict && (v & ((1 << (8 * (3 - bytes))) - 1)) !== 0) throw new SyntaxError("bits");
    for (let i = 0; i < bytes; i++) out.push((v >> (16 - 8 * i)) & 255);
  };
  const chars = [...text].filter((c) => !"\t\n\f\r ".includes(c));
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === "=") {
      if (chunk.length < 2) throw new SyntaxError("padding");
      const need = chunk.length === 2 ? 2 : 1;
      const pads = chars.slice(i, i + need).filter((x) => x === "=").length;
      if (pads < need) {
        if (handling === "stop-before-partial" && i + pads === chars.length) return out;
        throw new SyntaxError("padding");
      }
      if (i + need !== chars.length) throw new SyntaxError("after padding");
      flush(handling === "strict");
      return out;
    }
    const d = a.indexOf(c);
    if (d < 0) throw new SyntaxError("character");
    chunk.push(d);
    if (chunk.length === 4) {
      flush(false);
      chunk = [];
    }
  }
  if (chunk.length === 0 || handling === "stop-before-partial") return out;
  if (handling === "strict" || chunk.length === 1) throw new SyntaxError("partial");
  flush(false);
  return out;
}

const outcome = (f: () => Uint8Array | number[]): number[] | "SyntaxError" => {
  try {
    return [...f()];
  } catch (e) {
    if (e instanceof SyntaxError) return "SyntaxError";
    throw e;
  }
};

/** A seeded generator, so a failure can be replayed. */
function rng(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x80000000;
  };
}

describe("Uint8Array base64 methods (for jose, docs/adr/0048)", () => {
  it("encodes as the proposal does, in both alphabets, padded or not", () => {
    for (let len = 0; len < 70; len++) {
      const bytes = new Uint8Array(randomBytes(len));
      for (const alphabet of ["base64", "base64url"] as const) {
        for (const omitPadding of [false, true]) {
          expect(toBase64(bytes, { alphabet, omitPadding })).toBe(oracleEncode(bytes, alphabet, omitPadding));
        }
      }
      expect(toBase64(bytes)).toBe(oracleEncode(bytes, "base64", false));
    }
  });

  it("encodes only the view's bytes, not the rest of its buffer", () => {
    const whole = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(toBase64(whole.subarray(2, 5))).toBe(oracleEncode(new Uint8Array([3, 4, 5]), "base64", false));
  });

  it("decodes what it encodes, into a Uint8Array of its own", () => {
    for (let len = 0; len < 70; len++) {
      const bytes = new Uint8Array(randomBytes(len));
      for (const alphabet of ["base64", "base64url"] as const) {
        const decoded = fromBase64(toBase64(bytes, { alphabet, omitPadding: len % 2 === 0 }), { alphabet });
        expect(decoded).toBeInstanceOf(Uint8Array);
        expect(Buffer.isBuffer(decoded)).toBe(false);
        expect(decoded.byteOffset).toBe(0);
        expect(decoded.buffer.byteLength).toBe(len);
        expect([...decoded]).toEqual([...bytes]);
      }
    }
  });

  it("decodes, or refuses with a SyntaxError, exactly as the proposal's algorithm for every handling of the last chunk", () => {
    const next = rng(20261207);
    const pool = "AQgw+/-_=  \n.~Zz09";
    let refused = 0;
    for (let n = 0; n < 8_000; n++) {
      const length = Math.floor(next() * 11);
      let text = "";
      for (let i = 0; i < length; i++) text += pool[Math.floor(next() * pool.length)];
      for (const alphabet of ["base64", "base64url"] as const) {
        for (const lastChunkHandling of ["loose", "strict", "stop-before-partial"] as const) {
          const want = outcome(() => oracleDecode(text, alphabet, lastChunkHandling));
          const got = outcome(() => fromBase64(text, { alphabet, lastChunkHandling }));
          if (want === "SyntaxError") refused++;
          expect({ text, alphabet, lastChunkHandling, got }).toEqual({ text, alphabet, lastChunkHandling, got: want });
        }
      }
    }
    // The random strings reach both answers.
    expect(refused).toBeGreaterThan(1000);
    expect(refused).toBeLessThan(8_000 * 6 - 1000);
  });

  it("refuses options it does not know with a TypeError", () => {
    expect(() => toBase64(new Uint8Array(1), { alphabet: "hex" as "base64" })).toThrow(TypeError);
    expect(() => fromBase64("AA==", { lastChunkHandling: "lax" as "loose" })).toThrow(TypeError);
    expect(() => fromBase64(42 as unknown as string)).toThrow(TypeError);
  });

  it("is installed on Uint8Array by the package, and left alone where the engine has its own", () => {
    const proto = Uint8Array.prototype as unknown as { toBase64: (o?: object) => string };
    const ctor = Uint8Array as unknown as { fromBase64: (s: string, o?: object) => Uint8Array };
    expect(proto.toBase64.call(new Uint8Array([255, 254]), { alphabet: "base64url", omitPadding: true })).toBe("__4");
    expect([...ctor.fromBase64("__4", { alphabet: "base64url" })]).toEqual([255, 254]);
    expect(installBase64()).toBe(false);
  });
});
