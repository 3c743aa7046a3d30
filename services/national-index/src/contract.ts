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
export const Bericht = z.discriminatedUnion("soort", [MatchBericht, VerwijderdBericht]).openapi("LandelijkBericht");
export type Bericht = z.infer<typeof Bericht>;
export type MatchBericht = z.infer<typeof MatchBericht>;
export const Berichten = z.object({ berichten: z.array(Bericht).min(1).max(500) }).openapi("LandelijkeBerichten");

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
