-- The follow-up rate (issue 12): when contact was first recorded on a match (matchregie.contact_op; before this
-- migration only the last change was kept, so a match whose status is not geen-contact takes that change as its
-- first contact, the best there is). Family matches across gemeenten, made by the hub, kept by each residence node
-- for its matchregie (regio_matches, docs/adr/0039-cross-gemeente-matches-in-matchregie.md).
CREATE TABLE "vi_node"."regio_matches" (
	"id" uuid PRIMARY KEY NOT NULL,
	"signaal_id" uuid NOT NULL,
	"ander_id" uuid NOT NULL,
	"ander" jsonb NOT NULL,
	"aangemaakt_op" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'geen-contact' NOT NULL,
	"status_door" text,
	"status_op" timestamp with time zone,
	"contact_op" timestamp with time zone,
	"regievoerder_signaal_id" uuid,
	"regievoerder_door" text,
	"regievoerder_op" timestamp with time zone,
	"herinnering_op" timestamp with time zone,
	CONSTRAINT "regio_matches_status_uit_lijst" CHECK ("vi_node"."regio_matches"."status" in ('geen-contact', 'contact-gelegd', 'afgestemd', 'regie-belegd'))
);
--> statement-breakpoint
ALTER TABLE "vi_node"."matchregie" ADD COLUMN "contact_op" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "vi_node"."regio_matches" ADD CONSTRAINT "regio_matches_signaal_id_signalen_id_fk" FOREIGN KEY ("signaal_id") REFERENCES "vi_node"."signalen"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "regio_matches_signaal_idx" ON "vi_node"."regio_matches" USING btree ("signaal_id");--> statement-breakpoint
CREATE INDEX "regio_matches_aangemaakt_idx" ON "vi_node"."regio_matches" USING btree ("aangemaakt_op");--> statement-breakpoint
UPDATE "vi_node"."matchregie" SET "contact_op" = "status_op" WHERE "status" <> 'geen-contact' AND "contact_op" IS NULL;