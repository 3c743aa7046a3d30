CREATE TABLE "vi_hub"."audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tijdstip" timestamp with time zone NOT NULL,
	"actie" text NOT NULL,
	"actor" text NOT NULL,
	"namens" text,
	"jeugdige_id" uuid,
	"signaal_id" uuid,
	"details" jsonb,
	"vorige_hash" text,
	"hash" text
);
--> statement-breakpoint
CREATE TABLE "vi_hub"."register_instellingsadressen" (
	"adres_id" text PRIMARY KEY NOT NULL,
	"omschrijving" text
);
--> statement-breakpoint
CREATE TABLE "vi_hub"."register_organisaties" (
	"id" text PRIMARY KEY NOT NULL,
	"naam" text NOT NULL,
	"domein" text NOT NULL,
	"aangesloten_bij" text[] DEFAULT '{}'::text[] NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vi_hub"."register_personen" (
	"sub" text PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"naam" text NOT NULL,
	"functie" text NOT NULL,
	"telefoon" text NOT NULL,
	"organisatie_id" text NOT NULL,
	"rol" text NOT NULL,
	"gemeente" text,
	"signaleringsbevoegd" boolean DEFAULT false NOT NULL,
	"medisch" boolean DEFAULT false NOT NULL,
	"aangewezen_op" date,
	"ingetrokken_op" date
);
--> statement-breakpoint
CREATE TABLE "vi_hub"."register_wijzigingen" (
	"versie" bigserial PRIMARY KEY NOT NULL,
	"tijdstip" timestamp with time zone NOT NULL,
	"actor" text NOT NULL,
	"soort" text NOT NULL,
	"object" text NOT NULL,
	"inhoud" jsonb
);
--> statement-breakpoint
ALTER TABLE "vi_hub"."register_personen" ADD CONSTRAINT "register_personen_organisatie_id_register_organisaties_id_fk" FOREIGN KEY ("organisatie_id") REFERENCES "vi_hub"."register_organisaties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_log_jeugdige_idx" ON "vi_hub"."audit_log" USING btree ("jeugdige_id");--> statement-breakpoint
CREATE UNIQUE INDEX "register_personen_email" ON "vi_hub"."register_personen" USING btree ("email");--> statement-breakpoint
CREATE INDEX "register_personen_organisatie_idx" ON "vi_hub"."register_personen" USING btree ("organisatie_id");