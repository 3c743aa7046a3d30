/**
 * A bridge's tables (services/lvi-bridge, docs/national-chain.md): the durable queue of the region's index
 * changes for the national index (national pseudonyms and the JWE of the contact details; sent in order, deleted
 * once the national index took them), the matches the national index delivered (idempotence on the match id, and
 * the entry node to tell when the match goes), the bus outbox and the events and nonces seen.
 */
import { bigserial, index, jsonb, pgSchema, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { outboxTable, receivedEventsTable } from "./common";

export const BRIDGE_REFERENCE_SCHEMA = "vi_brug";

export function bridgeTables(schemaName: string) {
  const schema = pgSchema(schemaName);

  const wachtrij = schema.table("wachtrij", {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    signaalId: uuid("signaal_id").notNull(),
    inhoud: jsonb("inhoud").$type<Record<string, unknown>>().notNull(),
    aangemaaktOp: timestamp("aangemaakt_op", { withTimezone: true }).notNull().defaultNow(),
  });

  const matches = schema.table(
    "landelijke_matches",
    {
      matchId: uuid("match_id").primaryKey(),
      /** The entry node of this region's side, told of the match; null once the match was removed. */
      entryNode: text("entry_node"),
      ontvangenOp: timestamp("ontvangen_op", { withTimezone: true }).notNull(),
      verwijderdOp: timestamp("verwijderd_op", { withTimezone: true }),
    },
    (t) => [index("landelijke_matches_verwijderd_idx").on(t.verwijderdOp)],
  );

  const outbox = outboxTable(schema);
  const ontvangenEvents = receivedEventsTable(schema);
  return { schema, wachtrij, matches, outbox, ontvangenEvents };
}

export type BridgeTables = ReturnType<typeof bridgeTables>;
