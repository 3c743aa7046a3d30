/**
 * Tables every federated service has: the transactional outbox (an event is
 * published if and only if the change that produced it committed) and the
 * received-events table (replay protection and idempotent consumers).
 */
import type { PgSchema } from "drizzle-orm/pg-core";
import { bigserial, index, text, timestamp } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";

export function outboxTable(schema: PgSchema<string>) {
  return schema.table(
    "outbox",
    {
      id: bigserial("id", { mode: "number" }).primaryKey(),
      subject: text("subject").notNull(),
      token: text("token").notNull(),
      msgId: text("msg_id").notNull().unique(),
      aangemaaktOp: timestamp("aangemaakt_op", { withTimezone: true }).notNull().defaultNow(),
      gepubliceerdOp: timestamp("gepubliceerd_op", { withTimezone: true }),
    },
    (t) => [index("outbox_open_idx").on(t.id).where(sql`gepubliceerd_op is null`)],
  );
}

export function receivedEventsTable(schema: PgSchema<string>) {
  return schema.table("ontvangen_events", {
    jti: text("jti").primaryKey(),
    verlooptOp: timestamp("verloopt_op", { withTimezone: true }).notNull(),
  });
}
