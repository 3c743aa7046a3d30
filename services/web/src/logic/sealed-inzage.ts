/**
 * Secure mail of an inzage: the PDF is sealed (AES-256-GCM) with a key derived
 * (scrypt) from a code the professional gives the parents or youth
 * separately; the web keeps only the sealed bytes, under a random link id,
 * until the link expires. The e-mail carries only the link. Five wrong codes
 * destroy the link; an expired link is gone.
 */
import { createCipheriv, createDecipheriv, randomBytes, randomInt, scryptSync } from "node:crypto";

/** Letters and digits that cannot be mistaken for each other when read aloud or copied (no 0/O, 1/I/L). */
const CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
export const CODE_LENGTH = 10;
export const MAX_ATTEMPTS = 5;

interface Sealed {
  salt: Buffer;
  iv: Buffer;
  tag: Buffer;
  data: Buffer;
  expiresAt: number;
  attempts: number;
}

export type OpenResult = { ok: true; pdf: Uint8Array } | { ok: false; reason: "onbekend" | "verlopen" | "code-onjuist" | "te-vaak"; attemptsLeft?: number };

export interface SealedInzageStore {
  seal(pdf: Uint8Array, validHours: number): { id: string; code: string; expiresAt: Date };
  open(id: string, code: string): OpenResult;
  /** Whether the link still exists (not expired or used up). */
  exists(id: string): boolean;
}

const keyOf = (code: string, salt: Buffer) => scryptSync(normaliseCode(code), salt, 32, { N: 2 ** 14, r: 8, p: 1 });

export function normaliseCode(code: string): string {
  return code.toUpperCase().replace(/[^A-Z0-9]/g, "");
}

export function createSealedInzageStore(opts: { now?: () => number } = {}): SealedInzageStore {
  const now = opts.now ?? Date.now;
  const store = new Map<string, Sealed>();
  const sweep = () => {
    for (const [id, s] of store) if (s.expiresAt <= now()) store.delete(id);
  };
  return {
    seal(pdf, validHours) {
      sweep();
      const code = Array.from({ length: CODE_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join("");
      const salt = randomBytes(16);
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", keyOf(code, salt), iv);
      const data = Buffer.concat([cipher.update(pdf), cipher.final()]);
      const expiresAt = now() + validHours * 3_600_000;
      const id = randomBytes(24).toString("base64url");
      store.set(id, { salt, iv, tag: cipher.getAuthTag(), data, expiresAt, attempts: 0 });
      return { id, code: `${code.slice(0, 5)}-${code.slice(5)}`, expiresAt: new Date(expiresAt) };
    },
    open(id, code) {
      const s = store.get(id);
      if (!s) return { ok: false, reason: "onbekend" };
      if (s.expiresAt <= now()) {
        store.delete(id);
        return { ok: false, reason: "verlopen" };
      }
      try {
        const decipher = createDecipheriv("aes-256-gcm", keyOf(code, s.salt), s.iv);
        decipher.setAuthTag(s.tag);
        return { ok: true, pdf: new Uint8Array(Buffer.concat([decipher.update(s.data), decipher.final()])) };
      } catch {
        s.attempts += 1;
        if (s.attempts >= MAX_ATTEMPTS) {
          store.delete(id);
          return { ok: false, reason: "te-vaak" };
        }
        return { ok: false, reason: "code-onjuist", attemptsLeft: MAX_ATTEMPTS - s.attempts };
      }
    },
    exists(id) {
      const s = store.get(id);
      return Boolean(s && s.expiresAt > now());
    },
  };
}
