CREATE TABLE "vi_landelijk"."nodesleutels" (
	"regio" text PRIMARY KEY NOT NULL,
	"sleutels" jsonb NOT NULL,
	"bijgewerkt_op" timestamp with time zone NOT NULL
);
