-- The hub's pseudonyms of a youth's values, kept at the node per key version (docs/adr/0047), so a rebuild of the
-- hub's index is a read and not an evaluation per value. They belong to the youth's BSN, parents and address as they
-- are: a change of any of those that does not store new pseudonyms with it clears them (the trigger below), so no code
-- path can leave pseudonyms of an earlier family behind.
ALTER TABLE "vi_node"."jeugdigen" ADD COLUMN "pseudoniemen" jsonb;--> statement-breakpoint
CREATE FUNCTION "vi_node"."pseudoniemen_vervallen"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.pseudoniemen IS NOT DISTINCT FROM OLD.pseudoniemen
     AND (NEW.bsn IS DISTINCT FROM OLD.bsn OR NEW.ouders IS DISTINCT FROM OLD.ouders OR NEW.adres_id IS DISTINCT FROM OLD.adres_id) THEN
    NEW.pseudoniemen := NULL;
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "jeugdigen_pseudoniemen_vervallen" BEFORE UPDATE ON "vi_node"."jeugdigen"
  FOR EACH ROW EXECUTE FUNCTION "vi_node"."pseudoniemen_vervallen"();
