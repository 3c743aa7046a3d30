ALTER TABLE "vi_node"."jeugdigen" ADD COLUMN "overleden" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- Every youth with a recorded date of death is deceased.
UPDATE "vi_node"."jeugdigen" SET "overleden" = true WHERE "overlijdensdatum" IS NOT NULL;
