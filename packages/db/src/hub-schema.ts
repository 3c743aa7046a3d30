/**
 * The regional hub's tables: a pseudonymous index of the region's signals
 * (no BSN, no name of a youth), the cross-gemeente matches it made, and the
 * registry of nodes. The index is derived state: it can be rebuilt from the nodes.
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgSchema,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { auditLogTable } from "./audit-chain";
import { outboxTable, receivedEventsTable } from "./common";

export const HUB_REFERENCE_SCHEMA = "vi_hub";

export function hubTables(schemaName: string) {
  const schema = pgSchema(schemaName);

  const indexSignalen = schema.table(
    "index_signalen",
    {
      signaalId: uuid("signaal_id").primaryKey(),
      node: text("node").notNull(),
      entryNode: text("entry_node").notNull(),
      status: text("status", { enum: ["actief", "gearchiveerd", "verwijderd"] }).notNull(),
      versie: bigint("versie", { mode: "number" }).notNull(),
      jeugdige: text("jeugdige").notNull(),
      ouders: text("ouders").array().notNull().default(sql`'{}'::text[]`),
      adres: text("adres"),
      /** The pseudonym service's key version of the pseudonyms (docs/adr/0024): always the active one. */
      sleutelversie: integer("sleutelversie").notNull().default(1),
      professional: jsonb("professional").$type<Record<string, string>>().notNull(),
      bijgewerktOp: timestamp("bijgewerkt_op", { withTimezone: true }).notNull(),
    },
    (t) => [index("index_ouders_idx").using("gin", t.ouders), index("index_adres_idx").on(t.adres), index("index_jeugdige_idx").on(t.jeugdige)],
  );

  /**
   * During a key rotation (docs/adr/0024): the same entries under the next key version, filled by the nodes'
   * snapshots and their index events of that version, never matched on; at the switch they replace the
   * pseudonyms of `index_signalen`, and this table is emptied.
   */
  const indexVolgendeSleutel = schema.table("index_volgende_sleutel", {
    signaalId: uuid("signaal_id").primaryKey(),
    node: text("node").notNull(),
    entryNode: text("entry_node").notNull(),
    status: text("status", { enum: ["actief", "gearchiveerd", "verwijderd"] }).notNull(),
    versie: bigint("versie", { mode: "number" }).notNull(),
    jeugdige: text("jeugdige").notNull(),
    ouders: text("ouders").array().notNull().default(sql`'{}'::text[]`),
    adres: text("adres"),
    sleutelversie: integer("sleutelversie").notNull(),
    professional: jsonb("professional").$type<Record<string, string>>().notNull(),
    bijgewerktOp: timestamp("bijgewerkt_op", { withTimezone: true }).notNull(),
  });

  /**
   * The signals a rebuild's pages named (docs/adr/0049): an entry the page holds unchanged is not rewritten, its id is
   * noted here, and the final sweep keeps what a page named. A rebuild removes its own rows when it ends; those of a
   * rebuild that died halfway are removed by the next one.
   */
  const herbouwGezien = schema.table("herbouw_gezien", {
    herbouw: uuid("herbouw").notNull(),
    signaalId: uuid("signaal_id").notNull(),
    gezienOp: timestamp("gezien_op", { withTimezone: true }).notNull().defaultNow(),
  });

  /** The key version the index matches on, and the next one while a rotation runs (one row). */
  const pseudoniemSleutel = schema.table(
    "pseudoniem_sleutel",
    {
      id: smallint("id").primaryKey().default(1),
      actief: integer("actief").notNull(),
      volgende: integer("volgende"),
      gewijzigdOp: timestamp("gewijzigd_op", { withTimezone: true }).notNull(),
    },
    (t) => [check("pseudoniem_sleutel_een_rij", sql`${t.id} = 1`)],
  );

  const hubMatches = schema.table(
    "hub_matches",
    {
      id: uuid("id").primaryKey(),
      signaalA: uuid("signaal_a").notNull(),
      signaalB: uuid("signaal_b").notNull(),
      soort: text("soort", { enum: ["client", "gezin"] }).notNull(),
      aangemaaktOp: timestamp("aangemaakt_op", { withTimezone: true }).notNull(),
    },
    (t) => [uniqueIndex("hub_matches_paar").on(t.signaalA, t.signaalB), check("hub_matches_geordend", sql`${t.signaalA} < ${t.signaalB}`)],
  );

  /**
   * Signals that were removed (withdrawn, 23 years, death): only the id and
   * the version of the removal, so an older event arriving late cannot bring
   * the signal back. Kept a day (events expire after minutes), then purged.
   */
  const verwijderdeSignalen = schema.table(
    "verwijderde_signalen",
    {
      signaalId: uuid("signaal_id").primaryKey(),
      versie: bigint("versie", { mode: "number" }).notNull(),
      verwijderdOp: timestamp("verwijderd_op", { withTimezone: true }).notNull(),
    },
    (t) => [index("verwijderde_signalen_op_idx").on(t.verwijderdOp)],
  );

  const nodes = schema.table("nodes", {
    code: text("code").primaryKey(),
    naam: text("naam").notNull(),
    url: text("url").notNull(),
    jwks: jsonb("jwks").$type<{ keys: Record<string, unknown>[] }>(),
    laatstGezien: timestamp("laatst_gezien", { withTimezone: true }),
    status: text("status").notNull().default("onbekend"),
  });

  /**
   * The region's register (MISSION.md, "The register"), the single source of authorisation: organisations with
   * their category and the gemeenten they have a convenant with.
   */
  const registerOrganisaties = schema.table("register_organisaties", {
    id: text("id").primaryKey(),
    naam: text("naam").notNull(),
    /** The organisation's category (domein), e.g. onderwijs, jeugdgezondheidszorg. */
    domein: text("domein").notNull(),
    /** CBS codes of the gemeenten the organisation has a convenant with. */
    aangeslotenBij: text("aangesloten_bij").array().notNull().default(sql`'{}'::text[]`),
  });

  /**
   * The people in the register: professionals (designated signaleringsbevoegd or not, medical or not, with the
   * dates of their designation), organisation coordinators, matchregisseurs and privacy officers per gemeente,
   * and the convenantmanager. `sub` is the subject the identity provider gives them.
   */
  const registerPersonen = schema.table(
    "register_personen",
    {
      sub: text("sub").primaryKey(),
      email: text("email").notNull(),
      naam: text("naam").notNull(),
      functie: text("functie").notNull(),
      telefoon: text("telefoon").notNull(),
      organisatieId: text("organisatie_id")
        .notNull()
        .references(() => registerOrganisaties.id),
      /** `systeem`: an organisation's case system (sub: its OAuth client id), acting for a named professional. */
      rol: text("rol", { enum: ["professional", "coordinator", "matchregisseur", "privacyfunctionaris", "convenantmanager", "systeem"] }).notNull(),
      /** For a matchregisseur or privacy officer: the gemeente they act for. */
      gemeente: text("gemeente"),
      signaleringsbevoegd: boolean("signaleringsbevoegd").notNull().default(false),
      medisch: boolean("medisch").notNull().default(false),
      aangewezenOp: date("aangewezen_op", { mode: "string" }),
      ingetrokkenOp: date("ingetrokken_op", { mode: "string" }),
    },
    (t) => [uniqueIndex("register_personen_email").on(t.email), index("register_personen_organisatie_idx").on(t.organisatieId)],
  );

  const registerInstellingsadressen = schema.table("register_instellingsadressen", {
    adresId: text("adres_id").primaryKey(),
    omschrijving: text("omschrijving"),
  });

  /** Every change of the register, numbered: the number is the register's version that nodes hold. */
  const registerWijzigingen = schema.table("register_wijzigingen", {
    versie: bigserial("versie", { mode: "number" }).primaryKey(),
    tijdstip: timestamp("tijdstip", { withTimezone: true }).notNull(),
    actor: text("actor").notNull(),
    soort: text("soort").notNull(),
    object: text("object").notNull(),
    inhoud: jsonb("inhoud").$type<Record<string, unknown>>(),
  });

  /**
   * Each node's audit chain head as the node published it (`auditketen.kop` on evt.auditketen.<GM>): the anchor
   * outside the node's database that shows rows removed from the end of its chain (docs/logging.md).
   */
  const auditketenKoppen = schema.table(
    "auditketen_koppen",
    {
      node: text("node").notNull(),
      /** The id of the node's last audit row when it read its head, and that row's hash. */
      regelId: bigint("regel_id", { mode: "number" }).notNull(),
      hash: text("hash").notNull(),
      /** When the node read its head (its clock). */
      tijdstip: timestamp("tijdstip", { withTimezone: true }).notNull(),
      ontvangenOp: timestamp("ontvangen_op", { withTimezone: true }).notNull(),
    },
    (t) => [primaryKey({ columns: [t.node, t.regelId] })],
  );

  const auditLog = auditLogTable(schema);
  const outbox = outboxTable(schema);
  const ontvangenEvents = receivedEventsTable(schema);

  return {
    schema,
    indexSignalen,
    indexVolgendeSleutel,
    herbouwGezien,
    pseudoniemSleutel,
    hubMatches,
    verwijderdeSignalen,
    nodes,
    registerOrganisaties,
    registerPersonen,
    registerInstellingsadressen,
    registerWijzigingen,
    auditketenKoppen,
    auditLog,
    outbox,
    ontvangenEvents,
  };
}

export type HubTables = ReturnType<typeof hubTables>;
