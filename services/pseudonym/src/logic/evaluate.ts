/**
 * What the pseudonym service does (docs/adr/0024): evaluate blinded elements
 * under every key version it holds (RFC 9497 BlindEvaluate), for the region's
 * nodes and the hub only; add or retire a key version, for the hub only. It
 * never sees a value, only blinded elements, and logs none.
 */
import { blindEvaluate, fromWire, OprfInputError, toWire } from "@vi/pseudonym";
import type { PseudoniemResultaat } from "@vi/events";
import type { PseudonymContext } from "../context";
import { PseudonymProblem } from "../problems";
import { KeyringError } from "../store/keyring";

function refuse(ctx: PseudonymContext, reason: string, problem: PseudonymProblem): never {
  ctx.metrics.refused[reason] = (ctx.metrics.refused[reason] ?? 0) + 1;
  throw problem;
}

export function evaluateElements(ctx: PseudonymContext, caller: string, elements: readonly string[]): PseudoniemResultaat {
  if (!ctx.callers.has(caller)) {
    ctx.log.warn({ caller }, "evaluation refused: not a node of the region or the hub");
    refuse(ctx, "niet-toegestaan", new PseudonymProblem("NIET_TOEGESTAAN", `${caller} mag geen pseudoniemen laten berekenen.`));
  }
  let points: Uint8Array[];
  try {
    points = elements.map(fromWire);
  } catch {
    refuse(ctx, "element-ongeldig", new PseudonymProblem("ELEMENT_ONGELDIG", "Een aangeboden element is geen geldig ristretto255-element."));
  }
  const versies = ctx.keyring.versions().map((k) => {
    try {
      return { versie: k.versie, elementen: points.map((p) => toWire(blindEvaluate(k.secretKey, p))) };
    } catch (e) {
      if (e instanceof OprfInputError)
        refuse(ctx, "element-ongeldig", new PseudonymProblem("ELEMENT_ONGELDIG", "Een aangeboden element is geen geldig ristretto255-element."));
      throw e;
    }
  });
  ctx.metrics.requests += 1;
  ctx.metrics.elements += elements.length;
  return { versies };
}

function assertRotator(ctx: PseudonymContext, caller: string): void {
  if (!ctx.rotators.has(caller)) {
    ctx.log.warn({ caller }, "key change refused: not the hub");
    refuse(ctx, "niet-toegestaan", new PseudonymProblem("NIET_TOEGESTAAN", `${caller} mag de sleutel niet wisselen.`));
  }
}

function keyringProblem(e: unknown): never {
  if (e instanceof KeyringError) throw new PseudonymProblem(e.code, e.message);
  throw e;
}

/**
 * Starts a rotation: a new key version, evaluated beside the current one from now on. While two versions are
 * held (a rotation runs) nothing is added: the hub resumes the rotation it began.
 */
export function addKeyVersion(ctx: PseudonymContext, caller: string): { versies: number[] } {
  assertRotator(ctx, caller);
  if (ctx.keyring.versions().length > 1) return { versies: ctx.keyring.versions().map((k) => k.versie) };
  try {
    const versie = ctx.keyring.add(ctx.now());
    ctx.log.info({ versie, by: caller }, "pseudonym key version added");
  } catch (e) {
    keyringProblem(e);
  }
  return { versies: ctx.keyring.versions().map((k) => k.versie) };
}

/** Ends a rotation: the old version is dropped (its key is gone for good). */
export function retireKeyVersion(ctx: PseudonymContext, caller: string, versie: number): { versies: number[] } {
  assertRotator(ctx, caller);
  try {
    ctx.keyring.retire(versie);
    ctx.log.info({ versie, by: caller }, "pseudonym key version retired");
  } catch (e) {
    keyringProblem(e);
  }
  return { versies: ctx.keyring.versions().map((k) => k.versie) };
}
