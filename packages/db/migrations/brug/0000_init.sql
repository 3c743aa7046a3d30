CREATE SCHEMA "vi_brug";
--> statement-breakpoint
CREATE TABLE "vi_brug"."landelijke_matches" (
	"match_id" uuid PRIMARY KEY NOT NULL,
	"entry_node" text,
	"ontvangen_op" timestamp with time zone NOT NULL,
	"verwijderd_op" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "vi_brug"."ontvangen_events" (
	"jti" text PRIMARY KEY NOT NULL,
	"verloopt_op" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vi_brug"."outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"subject" text NOT NULL,
	"token" text NOT NULL,
	"msg_id" text NOT NULL,
	"aangemaakt_op" timestamp with time zone DEFAULT now() NOT NULL,
	"gepubliceerd_op" timestamp with time zone,
	CONSTRAINT "outbox_msg_id_unique" UNIQUE("msg_id")
);
--> statement-breakpoint
CREATE TABLE "vi_brug"."wachtrij" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"signaal_id" uuid NOT NULL,
	"inhoud" jsonb NOT NULL,
	"aangemaakt_op" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "landelijke_matches_verwijderd_idx" ON "vi_brug"."landelijke_matches" USING btree ("verwijderd_op");--> statement-breakpoint
CREATE INDEX "outbox_open_idx" ON "vi_brug"."outbox" USING btree ("id") WHERE gepubliceerd_op is null;