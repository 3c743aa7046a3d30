import { base64url, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";
import { evaluatePseudonym, keyOfVersion } from "@vi/pseudonym";
import { loadOrCreateServiceKeys, matchId, memoryKeyStore, type EventData, type EventType, type KeyStore, type ServiceKeys } from "../src/index";

/** A pseudonym key as the pseudonym service holds it (version 1 of a fixed test seed). */
export const PSEUDONYM_KEY = keyOfVersion(new Uint8Array(32).fill(9), "regio", 1).secretKey;

export async function service(iss: string, now?: () => Date): Promise<{ keys: ServiceKeys; store: KeyStore }> {
  const store = memoryKeyStore();
  const keys = await loadOrCreateServiceKeys({ iss, store, now });
  return { keys, store };
}

/** The service's published signing keys (the JWKS also holds its encryption key, `use` enc). */
export function signingJwks(keys: ServiceKeys) {
  return keys.jwks().keys.filter((k) => k.use === "sig");
}

/** The kid of the service's published encryption key. */
export function encKidOf(keys: ServiceKeys): string {
  const k = keys.jwks().keys.find((j) => j.use === "enc");
  if (!k?.kid) throw new Error("no encryption key");
  return k.kid;
}

export function kidOf(keys: ServiceKeys): string {
  const k = signingJwks(keys).at(-1);
  if (!k?.kid) throw new Error("no key");
  return k.kid;
}

export function decodePart(token: string, i: 0 | 1): Record<string, unknown> {
  return JSON.parse(new TextDecoder().decode(base64url.decode(token.split(".")[i]!))) as Record<string, unknown>;
}

export function encodePart(obj: unknown): string {
  return base64url.encode(new TextEncoder().encode(JSON.stringify(obj)));
}

export async function strangerKey(): Promise<{ privateKey: CryptoKey; publicJwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair("EdDSA", { crv: "Ed25519" });
  return { privateKey, publicJwk: await exportJWK(publicKey) };
}

/** Signs an arbitrary payload/header with a raw key, bypassing ServiceKeys. */
export async function rawSign(
  key: CryptoKey | Uint8Array,
  header: { alg: string; kid?: string; typ?: string },
  payload: Record<string, unknown>,
): Promise<string> {
  return new SignJWT(payload).setProtectedHeader(header).sign(key);
}

const professional = {
  email: "a.jansen@jeugdzorg.example.nl",
  naam: "A. Jansen",
  functie: "Jeugdconsulent",
  telefoon: "020-1234567",
  organisatie: "Jeugdzorg Amsterdam",
  domein: "jeugdhulp",
};

const registerPersoonSample = {
  sub: "5f0d6a52-1c7e-4f57-9a0e-2f8c3b7d1e55",
  email: professional.email,
  naam: professional.naam,
  functie: professional.functie,
  telefoon: professional.telefoon,
  organisatieId: "org-1",
  rol: "professional" as const,
  signaleringsbevoegd: true,
  medisch: false,
  aangewezenOp: "2025-01-01",
};

export const SAMPLE_DATA: { [T in EventType]: EventData<T> } = {
  "signaal.index": {
    signaalId: "5b6c2f0e-8f1d-4c39-9d43-0c1b7a2e9f10",
    node: "GM0363",
    entryNode: "GM0363",
    status: "actief",
    versie: 1_735_689_600_000,
    jeugdige: evaluatePseudonym(PSEUDONYM_KEY, { kind: "jeugdige", value: "999990019" }),
    ouders: [evaluatePseudonym(PSEUDONYM_KEY, { kind: "ouder", value: "999990020" })],
    adres: null,
    sleutelversie: 1,
    professional,
  },
  "brug.index": {
    signaalId: "5b6c2f0e-8f1d-4c39-9d43-0c1b7a2e9f10",
    entryNode: "GM0363",
    status: "actief",
    versie: 1_735_689_600_000,
    landelijk: {
      jeugdige: evaluatePseudonym(PSEUDONYM_KEY, { kind: "jeugdige", value: "999990019" }),
      ouders: [],
      adres: null,
      sleutelversie: 1,
    },
    professional,
  },
  "match.melding": {
    matchId: matchId("sig-a", "sig-b"),
    soort: "gezin",
    viaArchief: false,
    aangemaaktOp: "2025-01-01T10:00:00.000Z",
    voor: { email: professional.email, signaalId: "sig-a" },
    betrokkene: { ...professional, email: "b.de.vries@school.example.nl", eerderBetrokken: true },
  },
  "match.verwijderd": { matchIds: [matchId("sig-a", "sig-b")] },
  "verhuizing.melding": {
    signaalId: null,
    voor: { email: professional.email },
    vanGemeente: "GM0363",
    naarGemeente: "GM0344",
    datum: "2025-02-01",
  },
  "match.herinnering": {
    matchId: "6f1c2b8e-1d3a-4c6e-9b7f-2a4d6e8f0a1c",
    soort: "client",
    aangemaaktOp: "2025-01-01T10:00:00Z",
    dagen: 14,
    voor: { email: professional.email, signaalId: "sig-a" },
  },
  "match.regie": {
    matchId: "6f1c2b8e-1d3a-4c6e-9b7f-2a4d6e8f0a1c",
    soort: "gezin",
    aangemaaktOp: "2025-01-01T10:00:00Z",
    signaalId: "0b5d2c1e-7a3f-4e2d-9c8b-1a2b3c4d5e6f",
    ander: professional,
  },
  "signaal.ref": { signaalId: "sig-a", residentie: "GM0344", status: "gearchiveerd", einddatum: "2025-03-01" },
  "rpc.request": {
    op: "signalen.zoek",
    actor: {
      email: professional.email,
      naam: professional.naam,
      functie: professional.functie,
      telefoon: professional.telefoon,
      rol: "professional",
      signaleringsbevoegd: true,
      medisch: false,
      organisatie: { id: "org-1", naam: "Jeugdzorg Amsterdam", domein: "jeugdhulp" },
    },
    args: { jeugdige: "x" },
  },
  "rpc.reply": { ok: false, problem: { code: "NIET_GEVONDEN", status: 404, detail: "Geen signaal gevonden." } },
  "register.volledig": {
    versie: 3,
    organisaties: [{ id: "org-1", naam: "Jeugdzorg Amsterdam", domein: "jeugdhulp", aangeslotenBij: ["GM0363"] }],
    professionals: [registerPersoonSample],
    instellingsadressen: [{ adresId: "0363200000000001" }],
  },
  "register.bijgewerkt": {
    versie: 4,
    organisaties: [],
    professionals: [{ ...registerPersoonSample, signaleringsbevoegd: false, ingetrokkenOp: "2025-02-01" }],
  },
  "register.verzoek": { node: "GM0363" },
  "auditketen.kop": { node: "GM0363", regelId: 42, hash: "a".repeat(64), tijdstip: "2025-01-01T10:00:00.000Z" },
};
