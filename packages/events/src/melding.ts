/**
 * The content (`inhoud`) of each kind of melding a professional receives, as
 * stored at their entry node and shown in the API. One schema per kind: every
 * writer builds it through these, every reader parses it with them.
 */
import { z } from "zod";
import { betrokkene } from "./types";

const serviceId = z.string().min(1).max(64);

export const matchInhoud = z.object({
  matchId: z.uuid(),
  soort: z.enum(["client", "gezin"]),
  viaArchief: z.boolean(),
  aangemaaktOp: z.iso.datetime({ offset: true }),
  /** The professional's own youth (never the other youth of a family match). */
  jeugdigeNaam: z.string().max(1000),
  betrokkene,
  /** The service that made the match, when it was not this node (another node, or the hub). */
  bron: serviceId.optional(),
});

export const verhuizingInhoud = z.object({
  signaalId: z.string().min(1).max(200).nullable(),
  vanGemeente: serviceId,
  naarGemeente: serviceId,
  naarGemeenteNaam: z.string().max(200),
  datum: z.union([z.iso.date(), z.iso.datetime({ offset: true })]),
});

/** A leaving colleague's active signals were handed to this professional by their organisation's coordinator. */
export const overdrachtInhoud = z.object({
  van: z.object({ naam: z.string().max(1000), email: z.string().max(320) }),
  organisatie: z.string().max(1000),
  signalen: z.number().int().nonnegative(),
  aangemaaktOp: z.iso.datetime({ offset: true }),
});

export const MELDING_INHOUD = { match: matchInhoud, verhuizing: verhuizingInhoud, overdracht: overdrachtInhoud } as const;

export type MeldingSoort = keyof typeof MELDING_INHOUD;
export type MatchInhoud = z.infer<typeof matchInhoud>;
export type VerhuizingInhoud = z.infer<typeof verhuizingInhoud>;
export type OverdrachtInhoud = z.infer<typeof overdrachtInhoud>;
export type MeldingInhoud<S extends MeldingSoort = MeldingSoort> = z.infer<(typeof MELDING_INHOUD)[S]>;
