/**
 * Oblivious pseudonyms (docs/adr/0024): RFC 9497's OPRF over ristretto255
 * with SHA-512, and the pseudonyms the region's index (and the national
 * index) match on. The key holder (the pseudonym service) evaluates blinded
 * elements; the clients (the nodes) blind and finalize.
 */
export {
  blind,
  blindEvaluate,
  CONTEXT_STRING,
  deriveKeyPair,
  deserializeElement,
  deserializeScalar,
  ELEMENT_BYTES,
  evaluate,
  finalize,
  generateKeyPair,
  GROUP_ORDER,
  OprfInputError,
  OUTPUT_BYTES,
  SCALAR_BYTES,
  serializeElement,
  serializeScalar,
  type Blinded,
  type KeyPair,
} from "./oprf";
export {
  blindItems,
  ELEMENT_PATTERN,
  evaluatePseudonym,
  fromWire,
  keyOfVersion,
  MAX_ELEMENTS_PER_REQUEST,
  PSEUDONYM_KINDS,
  pseudonymInput,
  pseudonymOf,
  toWire,
  type PseudonymItem,
  type PseudonymKind,
} from "./pseudonym";
