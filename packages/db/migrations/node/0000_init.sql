CREATE SCHEMA "vi_node";
--> statement-breakpoint
CREATE TABLE "vi_node"."audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tijdstip" timestamp with time zone NOT NULL,
	"actie" text NOT NULL,
	"actor" text NOT NULL,
	"namens" text,
	"jeugdige_id" uuid,
	"signaal_id" uuid,
	"details" jsonb
);
--> statement-breakpoint
CREATE TABLE "vi_node"."instellingsadressen" (
	"adres_id" text PRIMARY KEY NOT NULL,
	"omschrijving" text
);
--> statement-breakpoint
CREATE TABLE "vi_node"."jeugdigen" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"bsn" text NOT NULL,
	"naam" text NOT NULL,
	"geslacht" text NOT NULL,
	"geboortedatum" date NOT NULL,
	"overlijdensdatum" date,
	"gemeente_code" text NOT NULL,
	"ouders" text[] DEFAULT '{}'::text[] NOT NULL,
	"adres_id" text,
	"geheimhouding" boolean DEFAULT false NOT NULL,
	"brp_opgehaald_op" timestamp with time zone NOT NULL,
	CONSTRAINT "jeugdigen_bsn_unique" UNIQUE("bsn")
);
--> statement-breakpoint
CREATE TABLE "vi_node"."matches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"soort" text NOT NULL,
	"signaal_a" uuid NOT NULL,
	"signaal_b" uuid NOT NULL,
	"via_archief" boolean DEFAULT false NOT NULL,
	"aangemaakt_op" timestamp with time zone NOT NULL,
	CONSTRAINT "matches_paar_geordend" CHECK ("vi_node"."matches"."signaal_a" < "vi_node"."matches"."signaal_b")
);
--> statement-breakpoint
CREATE TABLE "vi_node"."meldingen" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"soort" text NOT NULL,
	"sleutel" text NOT NULL,
	"professional_id" uuid NOT NULL,
	"signaal_id" uuid,
	"inhoud" jsonb NOT NULL,
	"aangemaakt_op" timestamp with time zone NOT NULL,
	"gemaild_op" timestamp with time zone,
	"mail_pogingen" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vi_node"."ontvangen_events" (
	"jti" text PRIMARY KEY NOT NULL,
	"verloopt_op" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vi_node"."organisaties" (
	"id" text PRIMARY KEY NOT NULL,
	"naam" text NOT NULL,
	"domein" text NOT NULL,
	"actief" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vi_node"."outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"subject" text NOT NULL,
	"token" text NOT NULL,
	"msg_id" text NOT NULL,
	"aangemaakt_op" timestamp with time zone DEFAULT now() NOT NULL,
	"gepubliceerd_op" timestamp with time zone,
	CONSTRAINT "outbox_msg_id_unique" UNIQUE("msg_id")
);
--> statement-breakpoint
CREATE TABLE "vi_node"."professionals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"naam" text NOT NULL,
	"functie" text NOT NULL,
	"telefoon" text NOT NULL,
	"organisatie_id" text NOT NULL,
	"rol" text NOT NULL,
	"lokaal" boolean DEFAULT true NOT NULL,
	"signaleringsbevoegd" boolean NOT NULL,
	"medisch" boolean DEFAULT false NOT NULL,
	CONSTRAINT "professionals_email_unique" UNIQUE("email")
);
--> statement-breakpoint
CREATE TABLE "vi_node"."signaal_refs" (
	"signaal_id" uuid PRIMARY KEY NOT NULL,
	"professional_id" uuid NOT NULL,
	"residentie" text NOT NULL,
	"status" text NOT NULL,
	"jeugdige_naam" text NOT NULL,
	"signaal" jsonb NOT NULL,
	"bijgewerkt_op" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vi_node"."signalen" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"jeugdige_id" uuid NOT NULL,
	"professional_id" uuid NOT NULL,
	"organisatie_id" text NOT NULL,
	"status" text NOT NULL,
	"geregistreerd_op" timestamp with time zone NOT NULL,
	"startdatum" date NOT NULL,
	"einddatum" date NOT NULL,
	"geinformeerd" boolean NOT NULL,
	"reden_niet_geinformeerd" text,
	"gearchiveerd_op" date,
	"archief_reden" text,
	"archief_match_gebruikt" boolean DEFAULT false NOT NULL,
	"entry_node" text NOT NULL,
	"versie" bigint DEFAULT 0 NOT NULL,
	"bijgewerkt_op" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "vi_node"."matches" ADD CONSTRAINT "matches_signaal_a_signalen_id_fk" FOREIGN KEY ("signaal_a") REFERENCES "vi_node"."signalen"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vi_node"."matches" ADD CONSTRAINT "matches_signaal_b_signalen_id_fk" FOREIGN KEY ("signaal_b") REFERENCES "vi_node"."signalen"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vi_node"."meldingen" ADD CONSTRAINT "meldingen_professional_id_professionals_id_fk" FOREIGN KEY ("professional_id") REFERENCES "vi_node"."professionals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vi_node"."professionals" ADD CONSTRAINT "professionals_organisatie_id_organisaties_id_fk" FOREIGN KEY ("organisatie_id") REFERENCES "vi_node"."organisaties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vi_node"."signaal_refs" ADD CONSTRAINT "signaal_refs_professional_id_professionals_id_fk" FOREIGN KEY ("professional_id") REFERENCES "vi_node"."professionals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vi_node"."signalen" ADD CONSTRAINT "signalen_jeugdige_id_jeugdigen_id_fk" FOREIGN KEY ("jeugdige_id") REFERENCES "vi_node"."jeugdigen"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vi_node"."signalen" ADD CONSTRAINT "signalen_professional_id_professionals_id_fk" FOREIGN KEY ("professional_id") REFERENCES "vi_node"."professionals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vi_node"."signalen" ADD CONSTRAINT "signalen_organisatie_id_organisaties_id_fk" FOREIGN KEY ("organisatie_id") REFERENCES "vi_node"."organisaties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_log_jeugdige_idx" ON "vi_node"."audit_log" USING btree ("jeugdige_id");--> statement-breakpoint
CREATE INDEX "jeugdigen_ouders_idx" ON "vi_node"."jeugdigen" USING gin ("ouders");--> statement-breakpoint
CREATE INDEX "jeugdigen_adres_idx" ON "vi_node"."jeugdigen" USING btree ("adres_id");--> statement-breakpoint
CREATE UNIQUE INDEX "matches_paar" ON "vi_node"."matches" USING btree ("signaal_a","signaal_b");--> statement-breakpoint
CREATE INDEX "matches_signaal_b_idx" ON "vi_node"."matches" USING btree ("signaal_b");--> statement-breakpoint
CREATE UNIQUE INDEX "meldingen_eenmaal" ON "vi_node"."meldingen" USING btree ("sleutel","professional_id");--> statement-breakpoint
CREATE INDEX "meldingen_professional_idx" ON "vi_node"."meldingen" USING btree ("professional_id","aangemaakt_op");--> statement-breakpoint
CREATE INDEX "meldingen_te_mailen_idx" ON "vi_node"."meldingen" USING btree ("aangemaakt_op") WHERE gemaild_op is null;--> statement-breakpoint
CREATE INDEX "outbox_open_idx" ON "vi_node"."outbox" USING btree ("id") WHERE gepubliceerd_op is null;--> statement-breakpoint
CREATE INDEX "signaal_refs_professional_idx" ON "vi_node"."signaal_refs" USING btree ("professional_id");--> statement-breakpoint
CREATE UNIQUE INDEX "signalen_een_actief_per_professional" ON "vi_node"."signalen" USING btree ("jeugdige_id","professional_id") WHERE status = 'actief';--> statement-breakpoint
CREATE INDEX "signalen_professional_idx" ON "vi_node"."signalen" USING btree ("professional_id","status");--> statement-breakpoint
CREATE INDEX "signalen_jeugdige_idx" ON "vi_node"."signalen" USING btree ("jeugdige_id","status");--> statement-breakpoint
CREATE INDEX "signalen_einddatum_idx" ON "vi_node"."signalen" USING btree ("einddatum") WHERE status = 'actief';