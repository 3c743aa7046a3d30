/**
 * The zod schemas that validate requests and describe responses; the OpenAPI
 * document is generated from these same schemas.
 */
import { z } from "@hono/zod-openapi";
import { AVG_REMOVAL_REASONS, INFORM_TARGETS, isIsoDate, MATCH_STATUSES, NOT_INFORMED_REASONS } from "@vi/domain";
import { ProblemDetailsSchema } from "@vi/service";

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Gebruik het formaat JJJJ-MM-DD.")
  .refine(isIsoDate, "Dit is geen bestaande datum.")
  .openapi({ format: "date" });

const RedenNietGeinformeerd = z
  .enum(NOT_INFORMED_REASONS, { error: `Kies een reden uit de lijst: ${NOT_INFORMED_REASONS.join(", ")}. Een toelichting hoort in uw eigen dossier.` })
  .openapi("RedenNietGeinformeerd");

const GeinformeerdWie = z
  .enum(INFORM_TARGETS, { error: `Kies wie u informeerde: ${INFORM_TARGETS.join(", ")}.` })
  .openapi("GeinformeerdWie", { description: "Wie de professional informeerde: onder 12 de ouders, 12 tot 16 beiden, vanaf 16 de jeugdige." });

/** A youth without a BSN: the three facts the verwijsindexservicenummer is derived from (Besluit Jeugdwet ch. 7). */
export const JeugdigeZonderBsn = z
  .strictObject({
    geslachtsnaam: z
      .string()
      .max(200)
      .openapi({ description: "Geslachtsnaam (achternaam) zoals u die kent; hoofdletters, spaties en accenten tellen niet.", example: "Demir" }),
    geboortedatum: z.string().max(32).openapi({ description: "Geboortedatum, JJJJ-MM-DD.", format: "date", example: "2019-12-05" }),
    geslacht: z.string().max(8).openapi({ description: "M (man), V (vrouw) of O (onbekend of anders).", example: "M" }),
  })
  .openapi("JeugdigeZonderBsn", {
    description:
      "Voor een jeugdige die geen BSN heeft: de verwijsindex vraagt de landelijke verwijsindex het verwijsindexservicenummer van deze gegevens en registreert het signaal daarop. Er zijn dan geen BRP-gegevens.",
  });

export const SignaalAanvraag = z
  .strictObject({
    bsn: z
      .string()
      .max(32)
      .optional()
      .openapi({ description: "Burgerservicenummer van de jeugdige (9 cijfers, elfproef). Of bsn, of jeugdigeZonderBsn.", example: "999900018" }),
    jeugdigeZonderBsn: JeugdigeZonderBsn.optional(),
    einddatum: isoDate.optional().openapi({ description: "Geplande einddatum; standaard de regionale termijn, hoogstens 2 jaar.", example: "2027-06-30" }),
    geinformeerd: z.boolean().openapi({ description: "Zijn de jeugdige en/of ouders geïnformeerd over het signaal?" }),
    geinformeerdWie: GeinformeerdWie.optional().openapi({
      description: "Bij geinformeerd true: wie u informeerde (standaard wie de leeftijdsregels vragen). Moet de leeftijdsregels dekken.",
    }),
    geinformeerdOp: isoDate
      .optional()
      .openapi({ description: "Bij geinformeerd true: wanneer (standaard vandaag, nooit later dan vandaag).", example: "2026-11-27" }),
    redenNietGeinformeerd: RedenNietGeinformeerd.optional().openapi({
      description:
        "Verplicht als geinformeerd false is: waarom informeren (nu) niet veilig of mogelijk is, uit een vaste lijst. Nooit vrije tekst: de toelichting hoort in uw eigen dossier.",
    }),
  })
  .openapi("SignaalAanvraag");

export const Verlenging = z.strictObject({ einddatum: isoDate.openapi({ example: "2028-01-31" }) }).openapi("Verlenging");

export const Signaal = z
  .object({
    id: z.string().uuid(),
    status: z.enum(["actief", "gearchiveerd"]),
    jeugdige: z.object({
      bsn: z.string().optional().openapi({
        description:
          "Ontbreekt in het overzicht bij een signaal dat in een andere gemeente staat (de woongemeente van de jeugdige): deze verwijsindex bewaart dat BSN niet. Open het signaal om het te zien.",
      }),
      naam: z.string(),
      geboortedatum: isoDate.optional().openapi({ description: "Ontbreekt in het overzicht bij een signaal dat in een andere gemeente staat, zoals bsn." }),
      verwijsindexservicenummer: z.string().optional().openapi({
        description:
          "Alleen bij een jeugdige zonder BSN (zonderBsn): het nummer dat de landelijke verwijsindex aan geslachtsnaam, geboortedatum en geslacht gaf.",
      }),
      zonderBsn: z.literal(true).optional().openapi({ description: "Geregistreerd zonder BSN: er zijn geen BRP-gegevens van deze jeugdige." }),
    }),
    organisatie: z.object({ id: z.string(), naam: z.string() }),
    geregistreerdOp: z.string().openapi({ format: "date-time" }),
    startdatum: isoDate,
    einddatum: isoDate,
    geinformeerd: z.boolean(),
    geinformeerdWie: GeinformeerdWie.nullable().openapi({ description: "Wie is geïnformeerd; null als (nog) niet, of bij een signaal van voor deze versie." }),
    geinformeerdOp: isoDate.nullable(),
    redenNietGeinformeerd: RedenNietGeinformeerd.nullable(),
    gearchiveerdOp: isoDate.nullable(),
  })
  .openapi("Signaal");

export const Informeren = z
  .strictObject({
    wie: GeinformeerdWie.optional().openapi({ description: "Wie u informeerde; standaard wie de leeftijdsregels vragen." }),
    op: isoDate.optional().openapi({ description: "Wanneer; standaard vandaag, nooit later dan vandaag.", example: "2026-11-28" }),
  })
  .openapi("Informeren", { description: "Leg vast dat u de jeugdige en/of ouders (alsnog) hebt geïnformeerd." });

export const Registratie = z
  .object({
    signaal: Signaal,
    matches: z.array(z.object({ id: z.string().uuid(), soort: z.enum(["client", "gezin"]), viaArchief: z.boolean() })),
  })
  .openapi("Registratie");

export const SignaalLijst = z.object({ signalen: z.array(Signaal) }).openapi("SignaalLijst");

export const Betrokkene = z.object({
  naam: z.string(),
  functie: z.string(),
  organisatie: z.string(),
  domein: z.string(),
  telefoon: z.string(),
  email: z.string(),
  eerderBetrokken: z.boolean(),
});

export const MatchStatus = z.enum(MATCH_STATUSES, { error: `Kies een status uit de lijst: ${MATCH_STATUSES.join(", ")}.` }).openapi("MatchStatus", {
  description:
    "De opvolging van een match: geen-contact, contact-gelegd (de professionals spraken elkaar), afgestemd (zij stemden de hulp af), regie-belegd (er is een regievoerder die de hulp coördineert).",
});

/** The follow-up of a match as a professional of it sees it (only for a match held by this node). */
export const Regie = z
  .object({
    status: MatchStatus,
    regievoerder: z.object({ naam: z.string(), organisatie: z.string() }).nullable().openapi({ description: "De bevestigde regievoerder, als die er is." }),
  })
  .openapi("Regie");

export const Match = z
  .object({
    id: z.string().uuid(),
    soort: z.enum(["client", "gezin"]).openapi({ description: "client: dezelfde jeugdige; gezin: een andere jeugdige in het gezin (wie blijft geheim)." }),
    aangemaaktOp: z.string().openapi({ format: "date-time" }),
    viaArchief: z.boolean(),
    mijnSignaal: z.object({ id: z.string().uuid(), jeugdige: z.object({ naam: z.string() }) }),
    betrokkenen: z.array(Betrokkene),
    regie: Regie.nullable().optional().openapi({
      description:
        "Status en regievoerder van de match, als de verwijsindex van de woongemeente die bijhoudt en het deze verwijsindex is; ontbreekt anders. Wijzig de status met POST /matches/{id}/status.",
    }),
  })
  .openapi("Match");

export const StatusWijziging = z.strictObject({ status: MatchStatus }).openapi("StatusWijziging");

export const RegievoerderKeuze = z
  .strictObject({
    signaalId: z
      .string()
      .uuid("Een signaal-id is een UUID.")
      .openapi({ description: "Het signaal van de professional die regievoerder wordt (een van de betrokkenen van de match)." }),
  })
  .openapi("RegievoerderKeuze");

export const MatchId = z.strictObject({
  id: z
    .string()
    .uuid("Een match-id is een UUID.")
    .openapi({ param: { name: "id", in: "path" }, example: "5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b" }),
});

const RegieBetrokkene = z.object({
  signaalId: z.string().uuid(),
  naam: z.string(),
  functie: z.string(),
  organisatie: z.string(),
  domein: z.string(),
  telefoon: z.string(),
  email: z.string(),
  actief: z.boolean().openapi({ description: "false: het signaal is beëindigd (eerder betrokken)." }),
  geregistreerdOp: z.string().openapi({ format: "date-time" }),
  andereGemeente: z.boolean().openapi({
    description:
      "true: het signaal van deze professional staat bij een jeugdige in een andere gemeente (gezinsmatch tussen gemeenten); wie dat is blijft geheim. Actief en geregistreerdOp zijn dan zoals de hub ze bij de match kende.",
  }),
});

export const MatchregieMatch = z
  .object({
    id: z.string().uuid(),
    soort: z.enum(["client", "gezin"]).openapi({ description: "client: dezelfde jeugdige; gezin: jeugdigen in hetzelfde gezin of op hetzelfde adres." }),
    aangemaaktOp: z.string().openapi({ format: "date-time" }),
    viaArchief: z.boolean(),
    tussenGemeenten: z.boolean().openapi({
      description:
        "true: een gezinsmatch tussen gemeenten, gemaakt door de regionale hub. Deze gemeente volgt de kant van haar eigen jeugdige op; de andere gemeente de andere kant.",
    }),
    status: MatchStatus,
    statusGewijzigd: z
      .object({ op: z.string().openapi({ format: "date-time" }), door: z.string() })
      .nullable()
      .openapi({ description: "Wanneer en door wie (e-mailadres) de status het laatst is gewijzigd." }),
    teLangZonderContact: z.boolean().openapi({ description: "Nog geen contact, en de match is ouder dan het ingestelde aantal dagen." }),
    herinneringVerstuurdOp: z
      .string()
      .nullable()
      .openapi({ format: "date-time", description: "Wanneer de professionals een herinnering kregen (eenmalig), of null." }),
    betrokkenen: z.array(RegieBetrokkene),
    voorgesteldeRegievoerder: z
      .string()
      .uuid()
      .nullable()
      .openapi({ description: "Het signaal (een van de betrokkenen) dat de regel van de regio als regievoerder voorstelt; een persoon bevestigt." }),
    regievoerder: z
      .object({ signaalId: z.string().uuid(), bevestigdOp: z.string().openapi({ format: "date-time" }), bevestigdDoor: z.string() })
      .nullable()
      .openapi({ description: "De bevestigde regievoerder (een van de betrokkenen), of null." }),
  })
  .openapi("MatchregieMatch");

export const MatchregieLijst = z
  .object({
    matches: z.array(MatchregieMatch),
    herinneringNaDagen: z.number().int().openapi({ description: "Na hoeveel dagen zonder contact een herinnering gaat (0: nooit)." }),
  })
  .openapi("MatchregieLijst");

export const MatchregieDetail = MatchregieMatch.extend({
  jeugdigen: z
    .array(z.object({ naam: z.string() }))
    .openapi({ description: "De naam van de jeugdige (bij een gezinsmatch: van beide jeugdigen). Alleen bij het openen van één match, gelogd." }),
}).openapi("MatchregieDetail");

export const MatchregieFilter = z.strictObject({
  status: MatchStatus.optional(),
  soort: z.enum(["client", "gezin"]).optional(),
  aantal: z.coerce.number().int().min(1).max(500).default(100).openapi({ description: "Hoeveel matches (nieuwste eerst), 1 tot 500; standaard 100." }),
});

export const MatchLijst = z.object({ matches: z.array(Match) }).openapi("MatchLijst");

export const MatchFilter = z.strictObject({
  soort: z.enum(["client", "gezin"]).optional(),
  signaalId: z.string().uuid().optional(),
});

export const SignaalFilter = z.strictObject({ status: z.enum(["actief", "gearchiveerd"]).optional() });

export const SignaalId = z.strictObject({
  id: z
    .string()
    .uuid("Een signaal-id is een UUID.")
    .openapi({ param: { name: "id", in: "path" }, example: "0b9d6c3e-4f55-4c7a-9d2e-0e1f2a3b4c5d" }),
});

const Contactgegevens = z.object({ naam: z.string(), functie: z.string(), telefoon: z.string(), email: z.string() });

const BetrokkenheidSchema = z.object({ organisatie: z.string(), domein: z.string(), startdatum: isoDate, einddatum: isoDate });

const EerderBetrokkene = BetrokkenheidSchema.extend({
  professional: Contactgegevens.nullable().openapi({
    description: "Alleen bij een gearchiveerd signaal waarmee uw signaal een match heeft (zoals de match via het archief): wie eerder betrokken was.",
  }),
});

export const Clientkaart = z
  .object({
    jeugdige: z.object({
      bsn: z.string().optional().openapi({ description: "Ontbreekt bij een jeugdige zonder BSN (zonderBsn)." }),
      verwijsindexservicenummer: z.string().optional().openapi({ description: "Alleen bij een jeugdige zonder BSN." }),
      zonderBsn: z
        .literal(true)
        .optional()
        .openapi({ description: "Geen BRP-gegevens: geregistreerd zonder BSN op geslachtsnaam, geboortedatum en geslacht. Geen adres, geen ouders." }),
      naam: z.string(),
      geboortedatum: isoDate,
      leeftijd: z.number().int(),
      geslacht: z.string(),
      gemeente: z.string(),
      adres: z
        .object({ straat: z.string(), huisnummer: z.number().int(), huisletter: z.string().optional(), postcode: z.string(), woonplaats: z.string() })
        .nullable(),
      geheimAdres: z.boolean(),
    }),
    informeren: z.enum(["ouders", "ouders-en-jeugdige", "jeugdige"]),
    actiefBetrokken: z.array(BetrokkenheidSchema.extend({ professional: Contactgegevens.nullable() })),
    eerderBetrokkenheid: z
      .object({ aanwezig: z.boolean() })
      .openapi({ description: "Of er eerdere betrokkenheid (archief) is. Wie en wanneer staat in GET /api/v1/signalen/{id}/clientkaart/archief (gelogd)." }),
    eerderBetrokken: z.array(EerderBetrokkene).max(0).openapi({
      deprecated: true,
      description:
        "Altijd leeg: het archief wordt alleen op verzoek getoond (GET /api/v1/signalen/{id}/clientkaart/archief). Blijft voor bestaande clients; zie eerderBetrokkenheid.",
    }),
  })
  .openapi("Clientkaart");

export const Archief = z
  .object({ eerderBetrokken: z.array(EerderBetrokkene) })
  .openapi("Archief", { description: "De eerdere betrokkenheid bij de jeugdige (gearchiveerde signalen), op verzoek getoond en gelogd." });

export const InzageQuery = z.strictObject({
  voor: z.enum(["ouders", "jeugdige"]).openapi({ description: "Voor wie de inzage is." }),
  toestemmingJeugdige: z
    .enum(["true", "false"])
    .optional()
    .transform((v) => v === "true")
    .openapi({ description: "Heeft de jeugdige toestemming gegeven voor inzage door de ouders?" }),
});

export const Inzage = z
  .object({
    voor: z.enum(["ouders", "jeugdige"]),
    jeugdige: z.object({ naam: z.string(), geboortedatum: isoDate }),
    actiefBetrokken: z.array(BetrokkenheidSchema),
    eerderBetrokken: z.array(BetrokkenheidSchema),
    nietAllesGetoond: z.boolean().openapi({
      description: "Voor de professional: true als een of meer organisaties zijn weggelaten omdat zij de jeugdige en/of ouders nog niet informeerden.",
    }),
    toelichting: z.string().nullable().openapi({ description: "Voor de professional: uitleg als niet alles is getoond." }),
    opgesteldOp: isoDate,
  })
  .openapi("Inzage");

/** Problem Details: the kit's one schema for every service. */
export const ProblemDetails = ProblemDetailsSchema;

/** A JSON Web Key Set: the node's public signing keys. */
export const Jwks = z
  .object({ keys: z.array(z.record(z.string(), z.unknown()).openapi({ description: "Een publieke sleutel (JWK, Ed25519)." })) })
  .openapi("Jwks");

export const Melding = z
  .object({
    id: z.string().uuid(),
    soort: z.enum(["match", "verhuizing", "herinnering", "overdracht"]).openapi({
      description:
        "match: een nieuwe match; verhuizing: een jeugdige verhuisde; herinnering: bij een match van u is na het ingestelde aantal dagen nog geen contact vastgelegd; overdracht: de coördinator droeg de signalen van een vertrekkende collega aan u over.",
    }),
    aangemaaktOp: z.string(),
    signaalId: z.string().uuid().nullable(),
    inhoud: z.record(z.string(), z.unknown()),
  })
  .openapi("Melding");

export const MeldingLijst = z.object({ meldingen: z.array(Melding) });

// Every response type is inferred from the schema that validates and documents it.
export type SignaalAanvraag = z.infer<typeof SignaalAanvraag>;
export type InformerenAanvraag = z.infer<typeof Informeren>;
export type SignalView = z.infer<typeof Signaal>;
export type RegisterResult = z.infer<typeof Registratie>;
export type MatchView = z.infer<typeof Match>;
export type Betrokkene = z.infer<typeof Betrokkene>;
export type ClientCardView = z.infer<typeof Clientkaart>;
export type ArchiveView = z.infer<typeof Archief>;
export type InzageView = z.infer<typeof Inzage>;
export type NoticeView = z.infer<typeof Melding>;
export type MatchFilter = z.infer<typeof MatchFilter>;
export type MatchregieView = z.infer<typeof MatchregieMatch>;
export type MatchregieDetailView = z.infer<typeof MatchregieDetail>;
export type MatchregieFilter = z.infer<typeof MatchregieFilter>;
export type RegieView = z.infer<typeof Regie>;
export type SignaalFilter = z.infer<typeof SignaalFilter>;

// ---------------------------------------------------------------------------------------------------------------
// The gemeente's AVG desk (privacy officer) and the organisation coordinator's handover

const Bsn = z
  .string()
  .max(32)
  .openapi({ description: "Burgerservicenummer van de jeugdige (9 cijfers, elfproef). Alleen in de body, nooit in een URL.", example: "999900018" });

export const AvgZoekVraag = z
  .strictObject({
    bsn: Bsn,
    doel: z
      .enum(["inzien", "export-json", "export-pdf"])
      .default("inzien")
      .openapi({ description: "Waarvoor: inzien op het scherm, of een export (JSON of PDF). Wordt gelogd." }),
  })
  .openapi("AvgZoekVraag");

export const AvgBsn = z.strictObject({ bsn: Bsn }).openapi("AvgBsn");

export const AvgVerwijdering = z
  .strictObject({
    reden: z
      .enum(AVG_REMOVAL_REASONS, {
        error: `Kies een reden uit de lijst: ${AVG_REMOVAL_REASONS.join(", ")}. De toelichting hoort in het dossier van het verzoek.`,
      })
      .openapi({ description: "Waarom het signaal er niet had mogen staan (vaste lijst, nooit vrije tekst)." }),
  })
  .openapi("AvgVerwijdering");

const AvgSignaal = z.object({
  id: z.string().uuid(),
  status: z.enum(["actief", "gearchiveerd"]),
  organisatie: z.object({ naam: z.string(), domein: z.string() }),
  professional: z.object({ naam: z.string(), functie: z.string(), email: z.string(), telefoon: z.string() }),
  geregistreerdOp: z.string().openapi({ format: "date-time" }),
  startdatum: isoDate,
  einddatum: isoDate,
  geinformeerd: z.boolean(),
  geinformeerdWie: z.string().nullable(),
  geinformeerdOp: isoDate.nullable(),
  redenNietGeinformeerd: z.string().nullable(),
  gearchiveerdOp: isoDate.nullable(),
  archiefReden: z.string().nullable(),
  aangemeldVia: z.string().openapi({ description: "De gemeente (CBS-code) via wier verwijsindex de professional het signaal afgaf." }),
});

export const AvgDossier = z
  .object({
    bekend: z.boolean().openapi({ description: "False als deze verwijsindex niets over dit BSN bewaart." }),
    gemeente: z.object({ code: z.string(), naam: z.string() }),
    opgesteldOp: z.string().openapi({ format: "date-time" }),
    jeugdige: z
      .object({
        bsn: z.string(),
        naam: z.string(),
        geboortedatum: isoDate,
        geslacht: z.string(),
        gemeente: z.string(),
        overleden: z.boolean(),
        geheimAdres: z.boolean(),
        brpOpgehaaldOp: z.string().openapi({ format: "date-time" }),
      })
      .nullable(),
    signalen: z.array(AvgSignaal),
    matches: z.array(
      z.object({
        id: z.string().uuid(),
        soort: z.enum(["client", "gezin"]),
        aangemaaktOp: z.string().openapi({ format: "date-time" }),
        viaArchief: z.boolean(),
        signaalId: z.string().uuid().openapi({ description: "Het signaal op deze jeugdige. Bij een gezinsmatch nooit wie de andere jeugdige is." }),
      }),
    ),
    logboek: z
      .array(
        z.object({
          id: z.number().int(),
          tijdstip: z.string().openapi({ format: "date-time" }),
          actie: z.string(),
          actor: z.string(),
          namens: z.string().nullable(),
          signaalId: z.string().nullable(),
          details: z.record(z.string(), z.unknown()).nullable(),
          hash: z.string().nullable(),
        }),
      )
      .openapi({ description: "Iedere regel van het logboek over deze jeugdige en haar signalen, oudste eerst." }),
  })
  .openapi("AvgDossier");

export const AvgRectificatie = z
  .object({
    gewijzigd: z.array(z.string()).openapi({ description: "Welke gegevens de BRP anders had (naam, geboortedatum, ouders, adres, ...)." }),
    gezinGewijzigd: z.boolean(),
    nieuweMatches: z.number().int(),
    verhuisdNaar: z.string().nullable().openapi({ description: "De gemeente waarheen de signalen gingen, als de jeugdige volgens de BRP elders woont." }),
  })
  .openapi("AvgRectificatie");

export const OverdrachtAanvraag = z
  .strictObject({
    van: z.string().email().max(320).openapi({ description: "E-mailadres (register) van de professional die vertrekt.", example: "ib@buurtschool.example" }),
    naar: z
      .string()
      .email()
      .max(320)
      .openapi({ description: "E-mailadres van de signaleringsbevoegde collega die de signalen overneemt.", example: "ib2@buurtschool.example" }),
  })
  .openapi("OverdrachtAanvraag");

export const Overdracht = z
  .object({
    overgedragen: z.number().int().openapi({ description: "Actieve signalen die nu op naam van de collega staan." }),
    alBetrokken: z.number().int().openapi({ description: "Signalen op een jeugdige waarop de collega zelf al een actief signaal heeft: niet overgedragen." }),
    elders: z
      .number()
      .int()
      .openapi({ description: "Signalen die via of bij een andere gemeente lopen: draag die over via de verwijsindex van die gemeente." }),
  })
  .openapi("Overdracht");

export type AvgDossierView = z.infer<typeof AvgDossier>;
export type AvgRectificatieView = z.infer<typeof AvgRectificatie>;
export type OverdrachtView = z.infer<typeof Overdracht>;
