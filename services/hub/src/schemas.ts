/** The zod schemas of the hub API's responses; the OpenAPI document is generated from them, and the types below are inferred from them. */
import { z } from "@hono/zod-openapi";

export const Jwks = z.object({
  keys: z.array(z.record(z.string(), z.unknown()).openapi({ description: "Een publieke sleutel (JWK) met de dienst (iss) waarvan hij is." })),
});

export const NodeOverzicht = z.object({
  code: z.string().openapi({ example: "GM0363" }),
  naam: z.string().openapi({ example: "Amsterdam" }),
  url: z.string(),
  status: z.string().openapi({ description: "gereed, onbereikbaar of onbekend" }),
  laatstGezien: z.string().nullable().openapi({ format: "date-time" }),
});

export const NodeLijst = z.object({ nodes: z.array(NodeOverzicht) });

export type NodeOverview = z.infer<typeof NodeOverzicht>;

const gemeenteCode = z.string().regex(/^GM\d{4}$/);

export const Organisatie = z
  .object({
    id: z.string().min(1).max(200).openapi({ example: "buurtschool" }),
    naam: z.string().min(1).max(200).openapi({ example: "De Buurtschool" }),
    domein: z.string().min(1).max(100).openapi({ description: "De categorie van de organisatie.", example: "onderwijs" }),
    aangeslotenBij: z
      .array(gemeenteCode)
      .max(1000)
      .openapi({ description: "De gemeenten waarmee de organisatie een convenant heeft.", example: ["GM0363"] }),
  })
  .openapi("Organisatie");

export const OrganisatieInvoer = Organisatie.omit({ id: true }).openapi("OrganisatieInvoer");
export const OrganisatieLijst = z.object({ organisaties: z.array(Organisatie) });

export const Rol = z.enum(["professional", "coordinator", "matchregisseur", "privacyfunctionaris", "convenantmanager", "systeem"]);

export const Persoon = z
  .object({
    sub: z.string().openapi({ description: "De vaste identiteit (sub) die de identiteitsprovider deze persoon geeft." }),
    email: z.string(),
    naam: z.string(),
    functie: z.string(),
    telefoon: z.string(),
    organisatieId: z.string(),
    rol: Rol,
    gemeente: z.string().nullable().optional().openapi({ description: "Voor een matchregisseur of privacyfunctionaris: de gemeente." }),
    signaleringsbevoegd: z.boolean(),
    medisch: z.boolean(),
    aangewezenOp: z.string().nullable().optional().openapi({ format: "date" }),
    ingetrokkenOp: z.string().nullable().optional().openapi({ format: "date" }),
  })
  .openapi("Persoon");

export const PersoonInvoer = z
  .object({
    email: z
      .string()
      .max(320)
      .regex(/^[^@\s]+@[^@\s]+$/, "geen e-mailadres"),
    naam: z.string().min(1).max(200),
    functie: z.string().max(200),
    telefoon: z.string().max(50),
    organisatieId: z.string().min(1).max(200),
    rol: Rol,
    gemeente: gemeenteCode.nullable().optional(),
  })
  .openapi("PersoonInvoer");

export const PersoonLijst = z.object({ personen: z.array(Persoon) });
export const Aanwijzing = z
  .object({ medisch: z.boolean().default(false).openapi({ description: "Een medisch professional (bijvoorbeeld een huisarts)." }) })
  .openapi("Aanwijzing");
export const Wijziging = z.object({
  versie: z.number().int(),
  tijdstip: z.string().openapi({ format: "date-time" }),
  actor: z.string(),
  soort: z.string(),
  object: z.string(),
});
export const WijzigingLijst = z.object({ wijzigingen: z.array(Wijziging) });
export const Gewijzigd = z.object({ versie: z.number().int().openapi({ description: "De versie van het register na deze wijziging." }) });
export const OndertekendRegister = z.object({
  versie: z.number().int(),
  token: z.string().openapi({ description: "Het hele register als ondertekend bericht (JWS, type register.volledig) aan de vragende node." }),
});

/** A count as published to the convenantmanager: the number, or null with weergave "< 5" (small-cell suppression). */
export const GepubliceerdAantal = z
  .object({
    aantal: z.number().int().nullable().openapi({ description: "Het aantal; null als het 1 tot en met 4 is (of daaruit af te leiden zou zijn)." }),
    weergave: z.string().openapi({ example: "12", description: 'Zoals het getoond wordt: het getal, of "< 5".' }),
  })
  .openapi("GepubliceerdAantal");

export const CijferRij = z
  .object({
    gemeente: z.string().openapi({ description: "CBS-code van de gemeente, of regio voor de hele regio.", example: "GM0363" }),
    maand: z.string().openapi({ description: "JJJJ-MM, of jaar voor het hele jaar.", example: "2026-03" }),
    domein: z.string().openapi({ description: "De categorie van de organisaties, of alle.", example: "onderwijs" }),
    signalen: GepubliceerdAantal,
    clientmatches: GepubliceerdAantal,
    gezinsmatches: GepubliceerdAantal,
    /** Matches in the gemeente's matchregie at least the term old (their follow-up can be judged). */
    opvolgbareMatches: GepubliceerdAantal,
    /** Of those, the matches with contact recorded within the term. */
    contactBinnenTermijn: GepubliceerdAantal,
    opvolgingPercentage: z.number().nullable().openapi({
      description:
        "Opvolging: van de matches in de matchregie die minstens de opvolgtermijn oud zijn (opvolgbareMatches), het aandeel met contact binnen die termijn (contactBinnenTermijn), in procenten; null als het een klein aantal zou verraden.",
    }),
  })
  .openapi("CijferRij");

export const RegioCijfers = z
  .object({
    jaar: z.number().int(),
    opvolgtermijnDagen: z.number().int().openapi({ description: "De opvolgtermijn in dagen (OPVOLGING_DAGEN van de hub)." }),
    maanden: z.array(z.string()),
    domeinen: z.array(z.string()),
    gemeenten: z.array(z.object({ code: z.string(), naam: z.string(), beantwoord: z.boolean() })),
    rijen: z.array(CijferRij),
  })
  .openapi("RegioCijfers");

export const NodeGezondheid = z
  .object({
    code: z.string().openapi({ example: "GM0363" }),
    naam: z.string().openapi({ example: "Amsterdam" }),
    status: z.enum(["bereikbaar", "achter", "onbereikbaar"]),
    laatstGezien: z.string().nullable().openapi({ format: "date-time" }),
    indexAchterstandSeconden: z.number().int().nullable().openapi({ description: "Hoe ver de index van de hub achterloopt op de signalen van de node." }),
  })
  .openapi("NodeGezondheid");
export const NodeGezondheidLijst = z.object({ nodes: z.array(NodeGezondheid) });
