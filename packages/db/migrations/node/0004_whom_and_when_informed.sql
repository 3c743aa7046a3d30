ALTER TABLE "vi_node"."signalen" ADD COLUMN "geinformeerd_wie" text;--> statement-breakpoint
ALTER TABLE "vi_node"."signalen" ADD COLUMN "geinformeerd_op" date;--> statement-breakpoint
ALTER TABLE "vi_node"."signalen" ADD CONSTRAINT "signalen_geinformeerd_wie" CHECK ("vi_node"."signalen"."geinformeerd_wie" is null or "vi_node"."signalen"."geinformeerd_wie" in ('ouders', 'ouders-en-jeugdige', 'jeugdige'));--> statement-breakpoint
-- A signal registered as informed before this version: informed on the day it started; whom was not recorded (null).
UPDATE "vi_node"."signalen" SET "geinformeerd_op" = "startdatum" WHERE "geinformeerd";
