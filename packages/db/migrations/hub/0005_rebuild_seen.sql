CREATE TABLE "vi_hub"."herbouw_gezien" (
	"herbouw" uuid NOT NULL,
	"signaal_id" uuid NOT NULL,
	"gezien_op" timestamp with time zone DEFAULT now() NOT NULL
);
