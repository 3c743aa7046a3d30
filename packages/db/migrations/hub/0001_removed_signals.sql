CREATE TABLE "vi_hub"."verwijderde_signalen" (
	"signaal_id" uuid PRIMARY KEY NOT NULL,
	"versie" bigint NOT NULL,
	"verwijderd_op" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "verwijderde_signalen_op_idx" ON "vi_hub"."verwijderde_signalen" USING btree ("verwijderd_op");