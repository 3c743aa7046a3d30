/**
 * The municipal node's tables.
 *
 * Every service keeps its tables in its own PostgreSQL schema (one per node,
 * e.g. "gm0363"), so a whole region can share one database server or one
 * embedded PGlite. The tables are therefore built by a factory from the schema
 * name; drizzle-kit generates the SQL migrations from the reference instance
 * `vi_node` (see ./generated.ts), and the migrator rewrites that name.
 */
import { sql } from "drizzle-orm";
import { auditLogTable } from "./audit-chain";
import { outboxTable, receivedEventsTable } from "./common";
import { bigint, integer, check, boolean, date, index, jsonb, pgSchema, text, timestamp, unique, uniqueIndex, uuid } from "drizzle-orm/pg-core";

/** A youth's pseudonyms kept at the node, by key version (the column `jeugdigen.pseudoniemen`, docs/adr/0047). */
export type KeptPseudonyms = Record<string, { j: string; o: string[]; a?: string }>;

export const REFERENCE_SCHEMA = "vi_node";

export function nodeTables(schemaName: string) {
  const schema = pgSchema(schemaName);

  /** Organisations with a convenant with this gemeente. */
  const organisaties = schema.table("organisaties", {
    id: text("id").primaryKey(),
    naam: text("naam").notNull(),
    domein: text("domein").notNull(),
    actief: boolean("actief").notNull().default(true),
    /**
     * False for an organisation that may not process BSNs (Jeugdwet 7.1.4.2): its professionals register by name,
     * date of birth and address, and never see a BSN (docs/adr/0038).
     */
    bsnBevoegd: boolean("bsn_bevoegd").notNull().default(true),
  });

  /** Professionals of those organisations (identity comes from the token; authorisation lives here). */
  const professionals = schema.table("professionals", {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull().unique(),
    naam: text("naam").notNull(),
    functie: text("functie").notNull(),
    telefoon: text("telefoon").notNull(),
    organisatieId: text("organisatie_id")
      .notNull()
      .references(() => organisaties.id),
    rol: text("rol").notNull(),
    /** False for a professional known here only through a signal routed from another node. */
    lokaal: boolean("lokaal").notNull().default(true),
    signaleringsbevoegd: boolean("signaleringsbevoegd").notNull(),
    medisch: boolean("medisch").notNull().default(false),
  });

  /**
   * Youths with at least one signal here. Only what matching and retention
   * need is kept; names and addresses are read from the BRP when shown.
   */
  const jeugdigen = schema.table(
    "jeugdigen",
    {
      id: uuid("id").primaryKey().defaultRandom(),
      /** The BSN; for a youth registered without one (zonderBsn) the verwijsindexservicenummer. Unique per kind. */
      bsn: text("bsn").notNull(),
      /** Display name as last derived from the BRP (never typed in). */
      naam: text("naam").notNull(),
      geslacht: text("geslacht").notNull(),
      geboortedatum: date("geboortedatum", { mode: "string" }).notNull(),
      overlijdensdatum: date("overlijdensdatum", { mode: "string" }),
      /** Deceased by the BRP, also when it records the death without a date (overlijdensdatum then null). */
      overleden: boolean("overleden").notNull().default(false),
      gemeenteCode: text("gemeente_code").notNull(),
      ouders: text("ouders").array().notNull().default(sql`'{}'::text[]`),
      adresId: text("adres_id"),
      geheimhouding: boolean("geheimhouding").notNull().default(false),
      brpOpgehaaldOp: timestamp("brp_opgehaald_op", { withTimezone: true }).notNull(),
      /**
       * Registered without a BSN (docs/adr/0038): `bsn` holds the verwijsindexservicenummer the national index gave
       * the youth's facts; naam is the surname as entered, and there is no BRP data (no address, no parents).
       */
      zonderBsn: boolean("zonder_bsn").notNull().default(false),
      /**
       * The hub's pseudonyms of this youth's values as last asked, per key version (docs/adr/0047): `j` the youth's,
       * `o` the parents' in the order of `ouders`, `a` the address's (absent when not asked). Null when not known;
       * a change of `bsn`, `ouders` or `adres_id` that does not set them too clears them (a trigger, migration 0010).
       */
      pseudoniemen: jsonb("pseudoniemen").$type<KeptPseudonyms>(),
    },
    (t) => [
      index("jeugdigen_ouders_idx").using("gin", t.ouders),
      index("jeugdigen_adres_idx").on(t.adresId),
      // A verwijsindexservicenummer is a number of its own: it may equal some BSN without being that youth.
      unique("jeugdigen_bsn_soort_unique").on(t.bsn, t.zonderBsn),
    ],
  );

  /** Signals of involvement. No content, ever. */
  const signalen = schema.table(
    "signalen",
    {
      id: uuid("id").primaryKey().defaultRandom(),
      jeugdigeId: uuid("jeugdige_id")
        .notNull()
        .references(() => jeugdigen.id, { onDelete: "cascade" }),
      professionalId: uuid("professional_id")
        .notNull()
        .references(() => professionals.id),
      organisatieId: text("organisatie_id")
        .notNull()
        .references(() => organisaties.id),
      status: text("status", { enum: ["actief", "gearchiveerd"] }).notNull(),
      geregistreerdOp: timestamp("geregistreerd_op", { withTimezone: true }).notNull(),
      startdatum: date("startdatum", { mode: "string" }).notNull(),
      einddatum: date("einddatum", { mode: "string" }).notNull(),
      geinformeerd: boolean("geinformeerd").notNull(),
      /** Whom the professional informed (ouders, jeugdige, ouders-en-jeugdige); null when not (yet) informed, or informed before this was recorded. */
      geinformeerdWie: text("geinformeerd_wie"),
      /** When the professional informed them. */
      geinformeerdOp: date("geinformeerd_op", { mode: "string" }),
      redenNietGeinformeerd: text("reden_niet_geinformeerd"),
      gearchiveerdOp: date("gearchiveerd_op", { mode: "string" }),
      archiefReden: text("archief_reden"),
      archiefMatchGebruikt: boolean("archief_match_gebruikt").notNull().default(false),
      /** The node the professional registered through; it receives their match notifications. */
      entryNode: text("entry_node").notNull(),
      /** Monotonic version for the hub's index (ms since epoch of the last change). */
      versie: bigint("versie", { mode: "number" }).notNull().default(0),
      bijgewerktOp: timestamp("bijgewerkt_op", { withTimezone: true }).notNull(),
    },
    (t) => [
      // One professional holds at most one active signal per youth: enforced by the database.
      uniqueIndex("signalen_een_actief_per_professional").on(t.jeugdigeId, t.professionalId).where(sql`status = 'actief'`),
      index("signalen_professional_idx").on(t.professionalId, t.status),
      index("signalen_jeugdige_idx").on(t.jeugdigeId, t.status),
      index("signalen_einddatum_idx").on(t.einddatum).where(sql`status = 'actief'`),
      // No content, ever: a reason for not informing comes from the closed list (@vi/domain NOT_INFORMED_REASONS).
      check(
        "signalen_reden_uit_lijst",
        sql`${t.redenNietGeinformeerd} is null or ${t.redenNietGeinformeerd} in ('nog-niet-bereikt', 'onveilig-voor-jeugdige', 'onveilig-voor-ander', 'andere-reden-in-eigen-dossier')`,
      ),
      check("signalen_geinformeerd_wie", sql`${t.geinformeerdWie} is null or ${t.geinformeerdWie} in ('ouders', 'ouders-en-jeugdige', 'jeugdige')`),
    ],
  );

  /** A match between two signals (stored once per pair: signaalA < signaalB). */
  const matches = schema.table(
    "matches",
    {
      id: uuid("id").primaryKey().defaultRandom(),
      soort: text("soort", { enum: ["client", "gezin"] }).notNull(),
      signaalA: uuid("signaal_a")
        .notNull()
        .references(() => signalen.id, { onDelete: "cascade" }),
      signaalB: uuid("signaal_b")
        .notNull()
        .references(() => signalen.id, { onDelete: "cascade" }),
      viaArchief: boolean("via_archief").notNull().default(false),
      aangemaaktOp: timestamp("aangemaakt_op", { withTimezone: true }).notNull(),
    },
    (t) => [
      uniqueIndex("matches_paar").on(t.signaalA, t.signaalB),
      check("matches_paar_geordend", sql`${t.signaalA} < ${t.signaalB}`),
      index("matches_signaal_b_idx").on(t.signaalB),
      // The matchregisseur's list, newest first.
      index("matches_aangemaakt_idx").on(t.aangemaaktOp),
    ],
  );

  /**
   * Matchregie (Jeugdwet 7.1.3.2): per match of this gemeente, the follow-up status and the confirmed regievoerder
   * (one of the match's signals names the professional), and when the reminder for a match without contact went
   * out. A row exists once someone acted on the match or a reminder went out; without one the status is
   * geen-contact. It goes with its match (a withdrawn signal leaves no trace).
   */
  const matchregie = schema.table(
    "matchregie",
    {
      matchId: uuid("match_id")
        .primaryKey()
        .references(() => matches.id, { onDelete: "cascade" }),
      status: text("status", { enum: ["geen-contact", "contact-gelegd", "afgestemd", "regie-belegd"] })
        .notNull()
        .default("geen-contact"),
      /** Who set the status last (e-mail address of the matchregisseur or professional) and when. */
      statusDoor: text("status_door"),
      statusOp: timestamp("status_op", { withTimezone: true }),
      regievoerderSignaalId: uuid("regievoerder_signaal_id").references(() => signalen.id, { onDelete: "set null" }),
      regievoerderDoor: text("regievoerder_door"),
      regievoerderOp: timestamp("regievoerder_op", { withTimezone: true }),
      /** When the professionals were reminded that no contact was recorded (once per match). */
      herinneringOp: timestamp("herinnering_op", { withTimezone: true }),
      /**
       * When contact was first recorded: the first time the status left geen-contact, by the matchregisseur or a
       * professional. Never reset (a status set back to geen-contact keeps it): the follow-up rate counts from it.
       */
      contactOp: timestamp("contact_op", { withTimezone: true }),
    },
    (t) => [
      check("matchregie_status_uit_lijst", sql`${t.status} in ('geen-contact', 'contact-gelegd', 'afgestemd', 'regie-belegd')`),
      index("matchregie_regievoerder_idx").on(t.regievoerderSignaalId),
    ],
  );

  /**
   * Family matches across gemeenten, made by the hub, as the residence node of one side keeps them for its
   * matchregie (docs/adr/0039): this node's own signal, the other side's professional (never the other
   * youth, never its signal id), and the same follow-up as `matchregie`. Each residence gemeente follows up its own side; the row goes
   * with its own signal, and with the hub's `match.verwijderd` when the other side's signal is removed.
   */
  const regioMatches = schema.table(
    "regio_matches",
    {
      id: uuid("id").primaryKey(),
      signaalId: uuid("signaal_id")
        .notNull()
        .references(() => signalen.id, { onDelete: "cascade" }),
      /**
       * The other side, by an id derived from the match (never the other side's signal id, which stays with its own
       * residence node): what the API shows as that side's `signaalId` and a regievoerder of that side is stored as.
       */
      anderId: uuid("ander_id").notNull(),
      /** The other side's professional (naam, functie, organisatie, domein, telefoon, email) as the hub sent it. */
      ander: jsonb("ander").$type<{ naam: string; functie: string; organisatie: string; domein: string; telefoon: string; email: string }>().notNull(),
      aangemaaktOp: timestamp("aangemaakt_op", { withTimezone: true }).notNull(),
      status: text("status", { enum: ["geen-contact", "contact-gelegd", "afgestemd", "regie-belegd"] })
        .notNull()
        .default("geen-contact"),
      statusDoor: text("status_door"),
      statusOp: timestamp("status_op", { withTimezone: true }),
      contactOp: timestamp("contact_op", { withTimezone: true }),
      /** Either side: this node's own signal id, or `ander_id`. */
      regievoerderSignaalId: uuid("regievoerder_signaal_id"),
      regievoerderDoor: text("regievoerder_door"),
      regievoerderOp: timestamp("regievoerder_op", { withTimezone: true }),
      herinneringOp: timestamp("herinnering_op", { withTimezone: true }),
    },
    (t) => [
      check("regio_matches_status_uit_lijst", sql`${t.status} in ('geen-contact', 'contact-gelegd', 'afgestemd', 'regie-belegd')`),
      index("regio_matches_signaal_idx").on(t.signaalId),
      index("regio_matches_aangemaakt_idx").on(t.aangemaaktOp),
    ],
  );

  /** Residential addresses that are institutions: they never make a family match. */
  const instellingsadressen = schema.table("instellingsadressen", {
    adresId: text("adres_id").primaryKey(),
    omschrijving: text("omschrijving"),
  });

  const auditLog = auditLogTable(schema);

  /**
   * Signals this node's professionals registered through this node but which
   * live at another node (the youth's residence): a pointer, kept in sync.
   * Only what the professional's own list shows: where the signal lives, its
   * status and dates, and the youth's display name while the signal exists.
   * Never the BSN, birth date or address: those stay at the residence node
   * (a command on the signal goes there by its id).
   */
  const signaalRefs = schema.table(
    "signaal_refs",
    {
      signaalId: uuid("signaal_id").primaryKey(),
      professionalId: uuid("professional_id")
        .notNull()
        .references(() => professionals.id),
      residentie: text("residentie").notNull(),
      status: text("status", { enum: ["actief", "gearchiveerd"] }).notNull(),
      jeugdigeNaam: text("jeugdige_naam").notNull(),
      geregistreerdOp: timestamp("geregistreerd_op", { withTimezone: true }).notNull(),
      startdatum: date("startdatum", { mode: "string" }).notNull(),
      einddatum: date("einddatum", { mode: "string" }).notNull(),
      gearchiveerdOp: date("gearchiveerd_op", { mode: "string" }),
      geinformeerd: boolean("geinformeerd").notNull(),
      geinformeerdWie: text("geinformeerd_wie"),
      geinformeerdOp: date("geinformeerd_op", { mode: "string" }),
      redenNietGeinformeerd: text("reden_niet_geinformeerd"),
      bijgewerktOp: timestamp("bijgewerkt_op", { withTimezone: true }).notNull(),
    },
    (t) => [
      index("signaal_refs_professional_idx").on(t.professionalId),
      check(
        "signaal_refs_reden_uit_lijst",
        sql`${t.redenNietGeinformeerd} is null or ${t.redenNietGeinformeerd} in ('nog-niet-bereikt', 'onveilig-voor-jeugdige', 'onveilig-voor-ander', 'andere-reden-in-eigen-dossier')`,
      ),
      check("signaal_refs_geinformeerd_wie", sql`${t.geinformeerdWie} is null or ${t.geinformeerdWie} in ('ouders', 'ouders-en-jeugdige', 'jeugdige')`),
    ],
  );

  /**
   * What this node's professionals are told: one row per professional per
   * match (or relocation); e-mailed once (gemaildOp), also across restarts.
   */
  const meldingen = schema.table(
    "meldingen",
    {
      id: uuid("id").primaryKey().defaultRandom(),
      soort: text("soort", { enum: ["match", "verhuizing", "herinnering", "overdracht"] }).notNull(),
      sleutel: text("sleutel").notNull(),
      professionalId: uuid("professional_id")
        .notNull()
        .references(() => professionals.id),
      signaalId: uuid("signaal_id"),
      inhoud: jsonb("inhoud").$type<Record<string, unknown>>().notNull(),
      aangemaaktOp: timestamp("aangemaakt_op", { withTimezone: true }).notNull(),
      gemaildOp: timestamp("gemaild_op", { withTimezone: true }),
      /** When a mailer claimed this melding; a claim older than a minute is taken over (the claimant died). */
      mailGeclaimdOp: timestamp("mail_geclaimd_op", { withTimezone: true }),
      mailPogingen: integer("mail_pogingen").notNull().default(0),
    },
    (t) => [
      uniqueIndex("meldingen_eenmaal").on(t.sleutel, t.professionalId),
      index("meldingen_professional_idx").on(t.professionalId, t.aangemaaktOp),
      index("meldingen_te_mailen_idx").on(t.aangemaaktOp).where(sql`gemaild_op is null`),
    ],
  );

  const outbox = outboxTable(schema);
  const ontvangenEvents = receivedEventsTable(schema);

  return {
    schema,
    organisaties,
    professionals,
    jeugdigen,
    signalen,
    matches,
    matchregie,
    regioMatches,
    instellingsadressen,
    auditLog,
    signaalRefs,
    meldingen,
    outbox,
    ontvangenEvents,
  };
}

export type NodeTables = ReturnType<typeof nodeTables>;
