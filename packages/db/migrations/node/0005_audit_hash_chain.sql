ALTER TABLE "vi_node"."audit_log" ADD COLUMN "vorige_hash" text;--> statement-breakpoint
ALTER TABLE "vi_node"."audit_log" ADD COLUMN "hash" text;