CREATE TABLE "vi_hub"."auditketen_koppen" (
	"node" text NOT NULL,
	"regel_id" bigint NOT NULL,
	"hash" text NOT NULL,
	"tijdstip" timestamp with time zone NOT NULL,
	"ontvangen_op" timestamp with time zone NOT NULL,
	CONSTRAINT "auditketen_koppen_node_regel_id_pk" PRIMARY KEY("node","regel_id")
);
