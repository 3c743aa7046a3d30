/**
 * The national index's tables (services/national-index, docs/national-chain.md): per signal of a region only
 * national pseudonyms (youth, parents, address), the region, organisation, domain, dates and the professional's
 * contact details encrypted to the regions' bridges (a JWE this service cannot read); the cross-region matches it
 * made; the deliveries to the bridges still to make (an outbox); the bridges it knows; the
 * verwijsindexservicenummers it gave (pseudonym of the facts -> number, never a name).
 */
import { sql } from "drizzle-orm";
import { bigint, bigserial, boolean, index, integer, jsonb, pgSchema, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { receivedEventsTable } from "./common";

export const NATIONAL_REFERENCE_SCHEMA = "vi_landelijk";

export function nationalTables(schemaName: string) {
  const schema = pgSchema(schemaName);

  const records = schema.table(
    "records",
    {
      regio: text("regio").notNull(),
      signaalId: uuid("signaal_id").notNull(),
      status: text("status", { enum: ["actief", "gearchiveerd"] }).notNull(),
      versie: bigint("versie", { mode: "number" }).notNull(),
      jeugdige: text("jeugdige").notNull(),
      ouders: text("ouders").array().notNull().default(sql`'{}'::text[]`),
      /** null: an institution address, which never matches. */
      adres: text("adres"),
      /** The national pseudonym service's key version. */
      sleutelversie: integer("sleutelversie").notNull(),
      organisatie: text("organisatie").notNull(),
      domein: text("domein").notNull(),
      /** The professional's contact details, a JWE to the regions' bridges. */
      contact: text("contact").notNull(),
      /** An archived record matches once (a client match with a new signal on the youth in another region). */
      archiefGebruikt: boolean("archief_gebruikt").notNull().default(false),
      ontvangenOp: timestamp("ontvangen_op", { withTimezone: true }).notNull(),
      bijgewerktOp: timestamp("bijgewerkt_op", { withTimezone: true }).notNull(),
    },
    (t) => [
      primaryKey({ columns: [t.regio, t.signaalId] }),
      index("records_jeugdige_idx").on(t.jeugdige),
      index("records_ouders_idx").using("gin", t.ouders),
      index("records_adres_idx").on(t.adres),
    ],
  );

  /** A removed record's id and version, a day, against late changes of it. */
  const verwijderd = schema.table(
    "verwijderde_records",
    {
      regio: text("regio").notNull(),
      signaalId: uuid("signaal_id").notNull(),
      versie: bigint("versie", { mode: "number" }).notNull(),
      verwijderdOp: timestamp("verwijderd_op", { withTimezone: true }).notNull(),
    },
    (t) => [primaryKey({ columns: [t.regio, t.signaalId] })],
  );

  const matches = schema.table(
    "matches",
    {
      id: uuid("id").primaryKey(),
      regioA: text("regio_a").notNull(),
      signaalA: uuid("signaal_a").notNull(),
      regioB: text("regio_b").notNull(),
      signaalB: uuid("signaal_b").notNull(),
      soort: text("soort", { enum: ["client", "gezin"] }).notNull(),
      viaArchief: boolean("via_archief").notNull(),
      aangemaaktOp: timestamp("aangemaakt_op", { withTimezone: true }).notNull(),
    },
    (t) => [index("matches_a_idx").on(t.regioA, t.signaalA), index("matches_b_idx").on(t.regioB, t.signaalB)],
  );

  /** What is still to be delivered to a bridge, in order; a row goes when the bridge acknowledged it. */
  const afleveringen = schema.table(
    "afleveringen",
    {
      id: bigserial("id", { mode: "number" }).primaryKey(),
      regio: text("regio").notNull(),
      matchId: uuid("match_id").notNull(),
      inhoud: jsonb("inhoud").$type<Record<string, unknown>>().notNull(),
      pogingen: integer("pogingen").notNull().default(0),
      aangemaaktOp: timestamp("aangemaakt_op", { withTimezone: true }).notNull().defaultNow(),
    },
    (t) => [index("afleveringen_regio_idx").on(t.regio, t.id), index("afleveringen_match_idx").on(t.matchId)],
  );

  /** The bridges that called, with the certificate they presented (the key their contact details are encrypted to). */
  const bruggen = schema.table("bruggen", {
    regio: text("regio").primaryKey(),
    oin: text("oin").notNull(),
    certificaat: text("certificaat").notNull(),
    gezienOp: timestamp("gezien_op", { withTimezone: true }).notNull(),
  });

  /** The public keys of each region's nodes, as its bridge published them (docs/adr/0042): the directory other regions' nodes pin. */
  const nodesleutels = schema.table("nodesleutels", {
    regio: text("regio").primaryKey(),
    sleutels: jsonb("sleutels").$type<Array<Record<string, unknown>>>().notNull(),
    bijgewerktOp: timestamp("bijgewerkt_op", { withTimezone: true }).notNull(),
  });

  /** Verwijsindexservicenummers: the national pseudonym of a youth's facts -> its number. */
  const vsn = schema.table("vsn", {
    feiten: text("feiten").primaryKey(),
    nummer: text("nummer").notNull().unique(),
    aangemaaktOp: timestamp("aangemaakt_op", { withTimezone: true }).notNull(),
  });

  /** Nonces of signed requests seen (replay protection across restarts). */
  const ontvangenEvents = receivedEventsTable(schema);

  return { schema, records, verwijderd, matches, afleveringen, bruggen, nodesleutels, vsn, ontvangenEvents };
}

export type NationalTables = ReturnType<typeof nationalTables>;
