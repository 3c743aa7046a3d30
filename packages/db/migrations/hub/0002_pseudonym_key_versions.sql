CREATE TABLE "vi_hub"."index_volgende_sleutel" (
	"signaal_id" uuid PRIMARY KEY NOT NULL,
	"node" text NOT NULL,
	"entry_node" text NOT NULL,
	"status" text NOT NULL,
	"versie" bigint NOT NULL,
	"jeugdige" text NOT NULL,
	"ouders" text[] DEFAULT '{}'::text[] NOT NULL,
	"adres" text,
	"sleutelversie" integer NOT NULL,
	"professional" jsonb NOT NULL,
	"bijgewerkt_op" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vi_hub"."pseudoniem_sleutel" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"actief" integer NOT NULL,
	"volgende" integer,
	"gewijzigd_op" timestamp with time zone NOT NULL,
	CONSTRAINT "pseudoniem_sleutel_een_rij" CHECK ("vi_hub"."pseudoniem_sleutel"."id" = 1)
);
--> statement-breakpoint
-- The index held HMAC pseudonyms of the nodes' shared key; OPRF pseudonyms never equal them, so they can never
-- match again. The index is derived state: it is emptied here and refilled by `npm run hub:rebuild` (and by the
-- nodes' next index events); the hub's matches stay. (docs/adr/0024)
DELETE FROM "vi_hub"."index_signalen";--> statement-breakpoint
ALTER TABLE "vi_hub"."index_signalen" ADD COLUMN "sleutelversie" integer DEFAULT 1 NOT NULL;