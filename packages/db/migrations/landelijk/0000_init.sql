CREATE SCHEMA "vi_landelijk";
--> statement-breakpoint
CREATE TABLE "vi_landelijk"."afleveringen" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"regio" text NOT NULL,
	"match_id" uuid NOT NULL,
	"inhoud" jsonb NOT NULL,
	"pogingen" integer DEFAULT 0 NOT NULL,
	"aangemaakt_op" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vi_landelijk"."bruggen" (
	"regio" text PRIMARY KEY NOT NULL,
	"oin" text NOT NULL,
	"certificaat" text NOT NULL,
	"gezien_op" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vi_landelijk"."matches" (
	"id" uuid PRIMARY KEY NOT NULL,
	"regio_a" text NOT NULL,
	"signaal_a" uuid NOT NULL,
	"regio_b" text NOT NULL,
	"signaal_b" uuid NOT NULL,
	"soort" text NOT NULL,
	"via_archief" boolean NOT NULL,
	"aangemaakt_op" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vi_landelijk"."ontvangen_events" (
	"jti" text PRIMARY KEY NOT NULL,
	"verloopt_op" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vi_landelijk"."records" (
	"regio" text NOT NULL,
	"signaal_id" uuid NOT NULL,
	"status" text NOT NULL,
	"versie" bigint NOT NULL,
	"jeugdige" text NOT NULL,
	"ouders" text[] DEFAULT '{}'::text[] NOT NULL,
	"adres" text,
	"sleutelversie" integer NOT NULL,
	"organisatie" text NOT NULL,
	"domein" text NOT NULL,
	"contact" text NOT NULL,
	"archief_gebruikt" boolean DEFAULT false NOT NULL,
	"ontvangen_op" timestamp with time zone NOT NULL,
	"bijgewerkt_op" timestamp with time zone NOT NULL,
	CONSTRAINT "records_regio_signaal_id_pk" PRIMARY KEY("regio","signaal_id")
);
--> statement-breakpoint
CREATE TABLE "vi_landelijk"."verwijderde_records" (
	"regio" text NOT NULL,
	"signaal_id" uuid NOT NULL,
	"versie" bigint NOT NULL,
	"verwijderd_op" timestamp with time zone NOT NULL,
	CONSTRAINT "verwijderde_records_regio_signaal_id_pk" PRIMARY KEY("regio","signaal_id")
);
--> statement-breakpoint
CREATE TABLE "vi_landelijk"."vsn" (
	"feiten" text PRIMARY KEY NOT NULL,
	"nummer" text NOT NULL,
	"aangemaakt_op" timestamp with time zone NOT NULL,
	CONSTRAINT "vsn_nummer_unique" UNIQUE("nummer")
);
--> statement-breakpoint
CREATE INDEX "afleveringen_regio_idx" ON "vi_landelijk"."afleveringen" USING btree ("regio","id");--> statement-breakpoint
CREATE INDEX "afleveringen_match_idx" ON "vi_landelijk"."afleveringen" USING btree ("match_id");--> statement-breakpoint
CREATE INDEX "matches_a_idx" ON "vi_landelijk"."matches" USING btree ("regio_a","signaal_a");--> statement-breakpoint
CREATE INDEX "matches_b_idx" ON "vi_landelijk"."matches" USING btree ("regio_b","signaal_b");--> statement-breakpoint
CREATE INDEX "records_jeugdige_idx" ON "vi_landelijk"."records" USING btree ("jeugdige");--> statement-breakpoint
CREATE INDEX "records_ouders_idx" ON "vi_landelijk"."records" USING gin ("ouders");--> statement-breakpoint
CREATE INDEX "records_adres_idx" ON "vi_landelijk"."records" USING btree ("adres");