/**
 * Pseudonyms from the OPRF (docs/adr/0024): the pseudonym of a value of a
 * kind (`jeugdige`, `ouder`, `adres`) under key version v is
 *
 *     base64url(first 32 bytes of OPRF_v("<kind>:" + value))
 *
 * (43 characters), where OPRF_v is RFC 9497's OPRF(ristretto255, SHA-512)
 * under the key DeriveKeyPair(seed_v, "<scope>/v<v>"). The client (a node)
 * blinds its inputs, the pseudonym service evaluates the blinded elements
 * with the key, the client finalizes: the service never sees a value, the
 * client never holds the key. One scope per key holder (`regio`, and the
 * national index's `landelijk`), so the same seed can never give two services
 * the same pseudonyms by mistake.
 */
import { blind, deriveKeyPair, evaluate, finalize, type KeyPair } from "./oprf";

/** `vsn-feiten`: the normalised facts (surname, birth date, sex) of a youth without a BSN, for the national key only. */
export type PseudonymKind = "jeugdige" | "ouder" | "adres" | "vsn-feiten";
export const PSEUDONYM_KINDS: readonly PseudonymKind[] = ["jeugdige", "ouder", "adres", "vsn-feiten"];
/** What a blinded or evaluated element looks like on the wire: base64url of 32 bytes. */
export const ELEMENT_PATTERN = /^[A-Za-z0-9_-]{43}$/;
/** The most elements one request may carry. */
export const MAX_ELEMENTS_PER_REQUEST = 2000;

const enc = new TextEncoder();

export interface PseudonymItem {
  kind: PseudonymKind;
  value: string;
}

/** The OPRF input of a value of a kind: the UTF-8 bytes of "<kind>:<value>" (normalise the value first). */
export function pseudonymInput(item: PseudonymItem): Uint8Array {
  if (!PSEUDONYM_KINDS.includes(item.kind)) throw new Error(`Unknown pseudonym kind "${String(item.kind)}"`);
  if (typeof item.value !== "string" || item.value.length === 0) throw new TypeError("a pseudonym value must be a non-empty string");
  return enc.encode(`${item.kind}:${item.value}`);
}

/** The pseudonym of an OPRF output: its first 32 bytes, base64url (43 characters, as the index events expect). */
export function pseudonymOf(output: Uint8Array): string {
  return Buffer.from(output.subarray(0, 32)).toString("base64url");
}

export const toWire = (bytes: Uint8Array): string => Buffer.from(bytes).toString("base64url");
export function fromWire(text: string): Uint8Array {
  if (typeof text !== "string" || !ELEMENT_PATTERN.test(text)) throw new TypeError("not an element (43 base64url characters)");
  return Uint8Array.from(Buffer.from(text, "base64url"));
}

/** The key of version `versie` of a scope: DeriveKeyPair(seed, "<scope>/v<versie>"). */
export function keyOfVersion(seed: Uint8Array, scope: string, versie: number): KeyPair {
  if (!Number.isInteger(versie) || versie < 1) throw new Error("a key version is a positive integer");
  return deriveKeyPair(seed, enc.encode(`vi-pseudoniem/${scope}/v${versie}`));
}

/**
 * The client's half: blinds every item (one blinded element each, in order);
 * `finish` turns the service's evaluated elements (same order) into pseudonyms.
 */
export function blindItems(items: readonly PseudonymItem[]): { elements: string[]; finish(evaluated: readonly string[]): string[] } {
  const inputs = items.map(pseudonymInput);
  const blinded = inputs.map((input) => blind(input));
  return {
    elements: blinded.map((b) => toWire(b.blindedElement)),
    finish(evaluated) {
      if (evaluated.length !== inputs.length) throw new Error(`expected ${inputs.length} evaluated elements, got ${evaluated.length}`);
      return evaluated.map((e, i) => pseudonymOf(finalize(inputs[i]!, blinded[i]!.blind, fromWire(e))));
    },
  };
}

/** The pseudonym computed directly by a holder of the key (the service's own checks and tests; never a node). */
export function evaluatePseudonym(secretKey: Uint8Array, item: PseudonymItem): string {
  return pseudonymOf(evaluate(secretKey, pseudonymInput(item)));
}
