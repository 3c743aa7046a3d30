/**
 * The part of the Haal Centraal BRP Personen bevragen (v2) response this client reads, validated with zod.
 * Unknown fields are allowed (the API may deliver more than asked for, e.g. inOnderzoek or rni).
 */
import { z } from "zod";

/** Polymorphic date: { type: 'Datum' | 'JaarMaandDatum' | 'JaarDatum' | 'DatumOnbekend', datum?, jaar?, maand?, langFormaat }. */
export const DatumSchema = z.looseObject({
  type: z.string(),
  datum: z.string().optional(),
  jaar: z.number().int().optional(),
  maand: z.number().int().optional(),
  onbekend: z.boolean().optional(),
  langFormaat: z.string().optional(),
});

const Waardetabel = z.looseObject({ code: z.string(), omschrijving: z.string().optional() });

export const PersoonSchema = z.looseObject({
  burgerservicenummer: z.string().regex(/^\d{9}$/),
  naam: z
    .looseObject({
      voornamen: z.string().optional(),
      voorvoegsel: z.string().optional(),
      geslachtsnaam: z.string().optional(),
      volledigeNaam: z.string().optional(),
    })
    .optional(),
  geboorte: z.looseObject({ datum: DatumSchema.optional() }).optional(),
  geslacht: Waardetabel.optional(),
  overlijden: z.looseObject({ datum: DatumSchema.optional(), indicatieOverleden: z.boolean().optional() }).optional(),
  // v2 delivers `true` when set; older gateways deliver the GBA indication 1..7.
  geheimhoudingPersoonsgegevens: z.union([z.boolean(), z.number().int()]).optional(),
  gemeenteVanInschrijving: Waardetabel.optional(),
  verblijfplaats: z
    .looseObject({
      type: z.string(),
      verblijfadres: z
        .looseObject({
          officieleStraatnaam: z.string().optional(),
          korteStraatnaam: z.string().optional(),
          huisnummer: z.number().int().optional(),
          huisletter: z.string().optional(),
          postcode: z.string().optional(),
          woonplaats: z.string().optional(),
        })
        .optional(),
      adresseerbaarObjectIdentificatie: z.string().optional(),
    })
    .optional(),
  ouders: z.array(z.looseObject({ burgerservicenummer: z.string().optional() })).optional(),
});

export const RaadpleegResponseSchema = z.looseObject({
  type: z.literal("RaadpleegMetBurgerservicenummer"),
  personen: z.array(PersoonSchema),
});

export type HcPersoon = z.infer<typeof PersoonSchema>;
export type HcDatum = z.infer<typeof DatumSchema>;

/** RFC 7807 problem details as the Haal Centraal APIs send them. */
export const ProblemSchema = z.looseObject({
  type: z.string().optional(),
  title: z.string().optional(),
  status: z.number().int().optional(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  code: z.string().optional(),
  invalidParams: z.array(z.looseObject({ name: z.string().optional(), code: z.string().optional(), reason: z.string().optional() })).optional(),
});
