-- The entry node keeps only what a professional's own list shows of a signal that lives at another node (the youth's
-- residence): the signal id, the residence, status and dates, whom the professional informed, and the youth's display
-- name while the signal exists. The copy of the whole signal (`signaal`, with the youth's BSN and birth date) goes:
-- its list fields move into columns of their own, then the column is dropped, so no BSN is left at an entry node.
ALTER TABLE "vi_node"."signaal_refs" ADD COLUMN "geregistreerd_op" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "vi_node"."signaal_refs" ADD COLUMN "startdatum" date;--> statement-breakpoint
ALTER TABLE "vi_node"."signaal_refs" ADD COLUMN "einddatum" date;--> statement-breakpoint
ALTER TABLE "vi_node"."signaal_refs" ADD COLUMN "gearchiveerd_op" date;--> statement-breakpoint
ALTER TABLE "vi_node"."signaal_refs" ADD COLUMN "geinformeerd" boolean;--> statement-breakpoint
ALTER TABLE "vi_node"."signaal_refs" ADD COLUMN "geinformeerd_wie" text;--> statement-breakpoint
ALTER TABLE "vi_node"."signaal_refs" ADD COLUMN "geinformeerd_op" date;--> statement-breakpoint
ALTER TABLE "vi_node"."signaal_refs" ADD COLUMN "reden_niet_geinformeerd" text;--> statement-breakpoint
UPDATE "vi_node"."signaal_refs" SET
  "geregistreerd_op" = coalesce(("signaal" ->> 'geregistreerdOp')::timestamptz, "bijgewerkt_op"),
  "startdatum" = coalesce(("signaal" ->> 'startdatum')::date, "bijgewerkt_op"::date),
  "einddatum" = coalesce(("signaal" ->> 'einddatum')::date, "bijgewerkt_op"::date),
  "gearchiveerd_op" = ("signaal" ->> 'gearchiveerdOp')::date,
  "geinformeerd" = coalesce(("signaal" ->> 'geinformeerd')::boolean, false),
  "geinformeerd_wie" = CASE WHEN "signaal" ->> 'geinformeerdWie' IN ('ouders', 'ouders-en-jeugdige', 'jeugdige') THEN "signaal" ->> 'geinformeerdWie' END,
  "geinformeerd_op" = ("signaal" ->> 'geinformeerdOp')::date,
  "reden_niet_geinformeerd" = CASE
    WHEN "signaal" ->> 'redenNietGeinformeerd' IS NULL THEN NULL
    WHEN "signaal" ->> 'redenNietGeinformeerd' IN ('nog-niet-bereikt', 'onveilig-voor-jeugdige', 'onveilig-voor-ander', 'andere-reden-in-eigen-dossier') THEN "signaal" ->> 'redenNietGeinformeerd'
    ELSE 'andere-reden-in-eigen-dossier'
  END;--> statement-breakpoint
ALTER TABLE "vi_node"."signaal_refs" ALTER COLUMN "geregistreerd_op" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "vi_node"."signaal_refs" ALTER COLUMN "startdatum" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "vi_node"."signaal_refs" ALTER COLUMN "einddatum" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "vi_node"."signaal_refs" ALTER COLUMN "geinformeerd" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "vi_node"."signaal_refs" DROP COLUMN "signaal";--> statement-breakpoint
-- Published outbox rows are copies of events already sent in clear before payloads were encrypted; some carried a
-- signal with its youth's BSN to its entry node (`signaal.ref`): they go too.
DELETE FROM "vi_node"."outbox" WHERE "gepubliceerd_op" IS NOT NULL;--> statement-breakpoint
ALTER TABLE "vi_node"."signaal_refs" ADD CONSTRAINT "signaal_refs_reden_uit_lijst" CHECK ("vi_node"."signaal_refs"."reden_niet_geinformeerd" is null or "vi_node"."signaal_refs"."reden_niet_geinformeerd" in ('nog-niet-bereikt', 'onveilig-voor-jeugdige', 'onveilig-voor-ander', 'andere-reden-in-eigen-dossier'));--> statement-breakpoint
ALTER TABLE "vi_node"."signaal_refs" ADD CONSTRAINT "signaal_refs_geinformeerd_wie" CHECK ("vi_node"."signaal_refs"."geinformeerd_wie" is null or "vi_node"."signaal_refs"."geinformeerd_wie" in ('ouders', 'ouders-en-jeugdige', 'jeugdige'));
