CREATE SCHEMA "vi_hub";
--> statement-breakpoint
CREATE TABLE "vi_hub"."hub_matches" (
	"id" uuid PRIMARY KEY NOT NULL,
	"signaal_a" uuid NOT NULL,
	"signaal_b" uuid NOT NULL,
	"soort" text NOT NULL,
	"aangemaakt_op" timestamp with time zone NOT NULL,
	CONSTRAINT "hub_matches_geordend" CHECK ("vi_hub"."hub_matches"."signaal_a" < "vi_hub"."hub_matches"."signaal_b")
);
--> statement-breakpoint
CREATE TABLE "vi_hub"."index_signalen" (
	"signaal_id" uuid PRIMARY KEY NOT NULL,
	"node" text NOT NULL,
	"entry_node" text NOT NULL,
	"status" text NOT NULL,
	"versie" bigint NOT NULL,
	"jeugdige" text NOT NULL,
	"ouders" text[] DEFAULT '{}'::text[] NOT NULL,
	"adres" text,
	"professional" jsonb NOT NULL,
	"bijgewerkt_op" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vi_hub"."nodes" (
	"code" text PRIMARY KEY NOT NULL,
	"naam" text NOT NULL,
	"url" text NOT NULL,
	"jwks" jsonb,
	"laatst_gezien" timestamp with time zone,
	"status" text DEFAULT 'onbekend' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vi_hub"."ontvangen_events" (
	"jti" text PRIMARY KEY NOT NULL,
	"verloopt_op" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vi_hub"."outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"subject" text NOT NULL,
	"token" text NOT NULL,
	"msg_id" text NOT NULL,
	"aangemaakt_op" timestamp with time zone DEFAULT now() NOT NULL,
	"gepubliceerd_op" timestamp with time zone,
	CONSTRAINT "outbox_msg_id_unique" UNIQUE("msg_id")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "hub_matches_paar" ON "vi_hub"."hub_matches" USING btree ("signaal_a","signaal_b");--> statement-breakpoint
CREATE INDEX "index_ouders_idx" ON "vi_hub"."index_signalen" USING gin ("ouders");--> statement-breakpoint
CREATE INDEX "index_adres_idx" ON "vi_hub"."index_signalen" USING btree ("adres");--> statement-breakpoint
CREATE INDEX "index_jeugdige_idx" ON "vi_hub"."index_signalen" USING btree ("jeugdige");--> statement-breakpoint
CREATE INDEX "outbox_open_idx" ON "vi_hub"."outbox" USING btree ("id") WHERE gepubliceerd_op is null;