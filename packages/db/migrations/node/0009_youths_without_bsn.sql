-- Youths without a BSN (Besluit Jeugdwet ch. 7, docs/adr/0038): a youth registered on surname, date of birth and sex
-- is kept under the verwijsindexservicenummer the national index gives those facts, marked zonder_bsn (no BRP data);
-- such a number may equal a BSN without being that youth, so a number is unique per kind. Organisations that may not
-- process BSNs (Jeugdwet 7.1.4.2) are marked bsn_bevoegd = false.
ALTER TABLE "vi_node"."jeugdigen" DROP CONSTRAINT "jeugdigen_bsn_unique";--> statement-breakpoint
ALTER TABLE "vi_node"."jeugdigen" ADD COLUMN "zonder_bsn" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "vi_node"."organisaties" ADD COLUMN "bsn_bevoegd" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "vi_node"."jeugdigen" ADD CONSTRAINT "jeugdigen_bsn_soort_unique" UNIQUE("bsn","zonder_bsn");