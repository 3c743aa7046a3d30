-- Matchregie (Jeugdwet 7.1.3.2): per match the follow-up status, the confirmed regievoerder and when the reminder
-- for a match without contact went out; and the matches by date, for the matchregisseur's list (newest first).
CREATE TABLE "vi_node"."matchregie" (
	"match_id" uuid PRIMARY KEY NOT NULL,
	"status" text DEFAULT 'geen-contact' NOT NULL,
	"status_door" text,
	"status_op" timestamp with time zone,
	"regievoerder_signaal_id" uuid,
	"regievoerder_door" text,
	"regievoerder_op" timestamp with time zone,
	"herinnering_op" timestamp with time zone,
	CONSTRAINT "matchregie_status_uit_lijst" CHECK ("vi_node"."matchregie"."status" in ('geen-contact', 'contact-gelegd', 'afgestemd', 'regie-belegd'))
);
--> statement-breakpoint
ALTER TABLE "vi_node"."matchregie" ADD CONSTRAINT "matchregie_match_id_matches_id_fk" FOREIGN KEY ("match_id") REFERENCES "vi_node"."matches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vi_node"."matchregie" ADD CONSTRAINT "matchregie_regievoerder_signaal_id_signalen_id_fk" FOREIGN KEY ("regievoerder_signaal_id") REFERENCES "vi_node"."signalen"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "matchregie_regievoerder_idx" ON "vi_node"."matchregie" USING btree ("regievoerder_signaal_id");--> statement-breakpoint
CREATE INDEX "matches_aangemaakt_idx" ON "vi_node"."matches" USING btree ("aangemaakt_op");