/**
 * The national chain's REST contract (docs/national-chain.md): what a bridge sends the national index, and what
 * the national index delivers to a bridge. Pseudonyms are held to their exact shape (43 base64url characters), so
 * no BSN or address can travel in one; the professional's contact details travel only as a JWE to the bridges.
 */
import { z } from "@hono/zod-openapi";

const pseudonym = z.string().regex(/^[A-Za-z0-9_-]{43}$/, "not a pseudonym");
/** A JWE (general JSON serialisation, several recipients) or compact; opaque here. */
const jwe = z.string().min(20).max(20_000);
const text = z.string().max(1000);

export const RecordIn = z
  .discriminatedUnion("status", [
    z.object({
      signaalId: z.uuid(),
      status: z.enum(["actief", "gearchiveerd"]),
      versie: z.number().int().nonnegative(),
      jeugdige: pseudonym,
      ouders: z.array(pseudonym).max(20),
      adres: pseudonym.nullable(),
      sleutelversie: z.number().int().min(1).max(1_000_000),
      organisatie: text,
      domein: text,
      contact: jwe,
    }),
    z.object({ signaalId: z.uuid(), status: z.literal("verwijderd"), versie: z.number().int().nonnegative() }),
  ])
  .openapi("LandelijkSignaal", { description: "Een signaal van de regio, met alleen landelijke pseudoniemen en versleutelde contactgegevens." });
export type RecordIn = z.infer<typeof RecordIn>;

export const SignalenIn = z.object({ signalen: z.array(RecordIn).min(1).max(500) }).openapi("LandelijkeSignalen");
export const SignalenVerwerkt = z
  .object({ verwerkt: z.number().int(), matches: z.number().int().openapi({ description: "Nieuwe matches over regio's heen." }) })
  .openapi("SignalenVerwerkt");

export const MatchBericht = z.object({
  soort: z.literal("melding"),
  matchId: z.uuid(),
  matchSoort: z.enum(["client", "gezin"]),
  viaArchief: z.boolean(),
  aangemaaktOp: z.iso.datetime({ offset: true }),
  /** This region's side: the signal and its contact details (the bridge finds the entry node and professional in them). */
  eigen: z.object({ signaalId: z.uuid(), contact: jwe }),
  /** The other region's side. */
  ander: z.object({ regio: z.string().max(64), organisatie: text, domein: text, contact: jwe, eerderBetrokken: z.boolean() }),
});
export const VerwijderdBericht = z.object({ soort: z.literal("verwijderd"), matchIds: z.array(z.uuid()).min(1).max(1000) });
const gemeenteCode = z.string().regex(/^GM\d{4}$/, "not a gemeente code");
/** A sealed notice of a node to a node of another region (docs/adr/0042): opaque here and at the bridges. */
const sealed = z.string().min(20).max(100_000);
export const DoorgestuurdBericht = z.object({ soort: z.literal("doorgestuurd"), id: z.uuid(), aan: gemeenteCode, van: gemeenteCode, token: sealed });
export const Bericht = z.discriminatedUnion("soort", [MatchBericht, VerwijderdBericht, DoorgestuurdBericht]).openapi("LandelijkBericht");
export type Bericht = z.infer<typeof Bericht>;
export type MatchBericht = z.infer<typeof MatchBericht>;
export const Berichten = z.object({ berichten: z.array(Bericht).min(1).max(500) }).openapi("LandelijkeBerichten");

/** A node's notice to a node of another region, for the national index to deliver to that region's bridge. */
export const MeldingDoorsturen = z
  .object({
    aan: gemeenteCode.openapi({ description: "De gemeente van de node waaraan de melding versleuteld is." }),
    van: gemeenteCode.openapi({ description: "De gemeente van de node die haar ondertekende, in de regio van de brug." }),
    token: sealed.openapi({ description: "De melding, ondertekend en versleuteld aan de ontvangende node; hier niet te openen." }),
  })
  .openapi("MeldingDoorsturen");

/** A request of a node to a node of another region, relayed synchronously (docs/adr/0042). */
export const Doorgifte = z
  .object({
    onderwerp: z
      .string()
      .regex(/^rpc\.GM\d{4}$/, "not a node's subject")
      .openapi({ description: "De node die het verzoek beantwoordt (rpc.<gemeentecode>).", example: "rpc.GM0392" }),
    token: z.string().min(1).max(500_000).openapi({ description: "Het verzoek, ondertekend door de vragende node en versleuteld aan de gevraagde." }),
    tijdMs: z.number().int().min(100).max(30_000).openapi({ description: "De tijd die het antwoord nog heeft (ms)." }),
  })
  .openapi("Doorgifte");
export const DoorgifteAntwoord = z
  .object({ token: z.string().max(500_000).openapi({ description: "Het antwoord, ondertekend door de gevraagde node en versleuteld aan de vrager." }) })
  .openapi("DoorgifteAntwoord");

/** Public node keys (JWK) of a region: Ed25519 to verify, X25519 to encrypt to; each with its gemeente as `iss`. */
const publicJwk = z
  .object({
    kty: z.literal("OKP"),
    crv: z.enum(["Ed25519", "X25519"]),
    x: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
    kid: z.string().min(1).max(200),
    iss: gemeenteCode,
    alg: z.enum(["EdDSA", "ECDH-ES"]),
    use: z.enum(["sig", "enc"]),
  })
  .strip();
export const NodeSleutels = z.object({ sleutels: z.array(publicJwk).min(1).max(500) }).openapi("NodeSleutels");
export const NodeSleutelsLijst = z.object({ regios: z.array(z.object({ regio: z.string(), sleutels: z.array(publicJwk) })) }).openapi("NodeSleutelsLijst");

export const Brug = z.object({ regio: z.string(), oin: z.string(), certificaat: z.string() }).openapi("Brug");
export const BruggenLijst = z.object({ bruggen: z.array(Brug) }).openapi("Bruggen");

export const VsnVraag = z
  .object({ feiten: pseudonym.openapi({ description: "Het landelijke pseudoniem van de genormaliseerde feiten." }) })
  .openapi("VsnVraag");
export const VsnAntwoord = z.object({ vsn: z.string().regex(/^\d{9}$/) }).openapi("VsnAntwoord");

/** The national pseudonym service's evaluation: blinded elements in, evaluated elements and the key version out. */
const element = z.string().regex(/^[A-Za-z0-9_-]{43}$/, "not an element");
export const EvaluatieVraag = z.object({ elementen: z.array(element).min(1).max(2000) }).openapi("EvaluatieVraag");
export const EvaluatieAntwoord = z.object({ elementen: z.array(element), sleutelversie: z.number().int().min(1) }).openapi("EvaluatieAntwoord");
