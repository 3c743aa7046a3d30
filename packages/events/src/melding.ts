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
  /**
   * For the new gemeente's matchregisseur: what arrived, so they can act (issue 12): how many signals, which
   * organisations, and the matches (by id and kind) now in their matchregie. Absent in a professional's melding and
   * from nodes of an older version.
   */
  aantalSignalen: z.number().int().min(0).max(10_000).optional(),
  organisaties: z.array(z.string().max(200)).max(1000).optional(),
  matches: z
    .array(z.object({ id: z.uuid(), soort: z.enum(["client", "gezin"]) }))
    .max(1000)
    .optional(),
});

/** A match of the professional's still has no contact recorded after the region's number of days (matchregie): sent once. */
export const herinneringInhoud = z.object({
  matchId: z.uuid(),
  soort: z.enum(["client", "gezin"]),
  /** When the match was made. */
  aangemaaktOp: z.iso.datetime({ offset: true }),
  /** The region's number of days without contact. */
  dagen: z.number().int().min(1).max(3650),
  /** The professional's own youth (never the other youth of a family match). */
  jeugdigeNaam: z.string().max(1000),
});

/** A leaving colleague's active signals were handed to this professional by their organisation's coordinator. */
export const overdrachtInhoud = z.object({
  van: z.object({ naam: z.string().max(1000), email: z.string().max(320) }),
  organisatie: z.string().max(1000),
  signalen: z.number().int().nonnegative(),
  aangemaaktOp: z.iso.datetime({ offset: true }),
});

export const MELDING_INHOUD = { match: matchInhoud, verhuizing: verhuizingInhoud, herinnering: herinneringInhoud, overdracht: overdrachtInhoud } as const;

export type MeldingSoort = keyof typeof MELDING_INHOUD;
export type MatchInhoud = z.infer<typeof matchInhoud>;
export type VerhuizingInhoud = z.infer<typeof verhuizingInhoud>;
export type HerinneringInhoud = z.infer<typeof herinneringInhoud>;
export type OverdrachtInhoud = z.infer<typeof overdrachtInhoud>;
export type MeldingInhoud<S extends MeldingSoort = MeldingSoort> = z.infer<(typeof MELDING_INHOUD)[S]>;
