/**
 * The OPRF key versions: a 32-byte secret seed per version, from which the
 * key is derived (RFC 9497 DeriveKeyPair, info "vi-pseudoniem/<scope>/v<n>").
 * Kept in a file (mode 0600, replaced atomically) or, for tests and the
 * embedded demo, in memory. Normally one version; two during a rotation.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { keyOfVersion } from "@vi/pseudonym";
import { z } from "zod";

const StoredKeys = z.object({
  versies: z
    .array(
      z.object({
        versie: z.number().int().min(1),
        seed: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
        aangemaaktOp: z.string(),
      }),
    )
    .min(1),
});
export type StoredKeys = z.infer<typeof StoredKeys>;

export interface KeyFile {
  load(): StoredKeys | undefined;
  save(keys: StoredKeys): void;
}

export function fileKeys(path: string): KeyFile {
  return {
    load() {
      if (!existsSync(path)) return undefined;
      const parsed = StoredKeys.safeParse(JSON.parse(readFileSync(path, "utf8")));
      if (!parsed.success) throw new Error(`${path} is not a pseudonym key file`);
      return parsed.data;
    },
    save(keys) {
      mkdirSync(dirname(path), { recursive: true });
      const tmp = `${path}.${process.pid}.tmp`;
      writeFileSync(tmp, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
      renameSync(tmp, path);
    },
  };
}

export function memoryKeys(initial?: StoredKeys): KeyFile {
  let held = initial;
  return {
    load: () => held,
    save: (keys) => void (held = keys),
  };
}

export interface KeyVersion {
  versie: number;
  secretKey: Uint8Array;
}

export interface Keyring {
  /** Every version held, oldest first. */
  versions(): KeyVersion[];
  /** Adds the next version (a fresh random seed); returns it. */
  add(now: Date): number;
  /** Drops a version; the last one is never dropped. */
  retire(versie: number): void;
}

const MAX_VERSIONS = 2;

export class KeyringError extends Error {
  override readonly name = "KeyringError";
  constructor(
    readonly code: "SLEUTELVERSIE_ONBEKEND" | "LAATSTE_SLEUTELVERSIE" | "ROTATIE_LOOPT_AL",
    message: string,
  ) {
    super(message);
  }
}

/** The keyring of a key file, created with version 1 when the file holds none. */
export function openKeyring(file: KeyFile, scope: string, now: Date = new Date()): Keyring {
  let stored = file.load();
  if (!stored) {
    stored = { versies: [{ versie: 1, seed: randomBytes(32).toString("base64url"), aangemaaktOp: now.toISOString() }] };
    file.save(stored);
  }
  let derived: KeyVersion[] = [];
  const derive = () => {
    derived = [...stored!.versies]
      .sort((a, b) => a.versie - b.versie)
      .map((v) => ({ versie: v.versie, secretKey: keyOfVersion(Buffer.from(v.seed, "base64url"), scope, v.versie).secretKey }));
  };
  derive();
  return {
    versions: () => derived,
    add(at) {
      if (stored!.versies.length >= MAX_VERSIONS) throw new KeyringError("ROTATIE_LOOPT_AL", "Er loopt al een sleutelwissel: trek eerst de oude versie in.");
      const versie = Math.max(...stored!.versies.map((v) => v.versie)) + 1;
      stored = { versies: [...stored!.versies, { versie, seed: randomBytes(32).toString("base64url"), aangemaaktOp: at.toISOString() }] };
      file.save(stored);
      derive();
      return versie;
    },
    retire(versie) {
      if (!stored!.versies.some((v) => v.versie === versie)) throw new KeyringError("SLEUTELVERSIE_ONBEKEND", `Sleutelversie ${versie} is hier niet bekend.`);
      if (stored!.versies.length === 1) throw new KeyringError("LAATSTE_SLEUTELVERSIE", "De laatste sleutelversie kan niet worden ingetrokken.");
      stored = { versies: stored!.versies.filter((v) => v.versie !== versie) };
      file.save(stored);
      derive();
    },
  };
}
