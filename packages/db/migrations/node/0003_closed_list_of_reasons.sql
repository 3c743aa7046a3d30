-- A reason for not informing comes from a closed list; the index stores no free text (the seed guide: the reason
-- goes in the professional's own file). Free text stored before the list is replaced by
-- 'andere-reden-in-eigen-dossier' and so erased, in the signals and in the entry nodes' pointers (their copy of the
-- signal). Published outbox rows are copies of events already sent, some carrying a signal with its reason: they go.
UPDATE "vi_node"."signalen" SET "reden_niet_geinformeerd" = 'andere-reden-in-eigen-dossier'
  WHERE "reden_niet_geinformeerd" IS NOT NULL
    AND "reden_niet_geinformeerd" NOT IN ('nog-niet-bereikt', 'onveilig-voor-jeugdige', 'onveilig-voor-ander', 'andere-reden-in-eigen-dossier');
--> statement-breakpoint
UPDATE "vi_node"."signaal_refs" SET "signaal" = jsonb_set("signaal", '{redenNietGeinformeerd}', '"andere-reden-in-eigen-dossier"')
  WHERE jsonb_typeof("signaal" -> 'redenNietGeinformeerd') = 'string'
    AND "signaal" ->> 'redenNietGeinformeerd' NOT IN ('nog-niet-bereikt', 'onveilig-voor-jeugdige', 'onveilig-voor-ander', 'andere-reden-in-eigen-dossier');
--> statement-breakpoint
DELETE FROM "vi_node"."outbox" WHERE "gepubliceerd_op" IS NOT NULL;
--> statement-breakpoint
ALTER TABLE "vi_node"."signalen" ADD CONSTRAINT "signalen_reden_uit_lijst" CHECK ("vi_node"."signalen"."reden_niet_geinformeerd" is null or "vi_node"."signalen"."reden_niet_geinformeerd" in ('nog-niet-bereikt', 'onveilig-voor-jeugdige', 'onveilig-voor-ander', 'andere-reden-in-eigen-dossier'));
