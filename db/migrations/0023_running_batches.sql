CREATE TABLE "running_batches" (
	"operation_key" integer NOT NULL,
	"chunk_index" integer NOT NULL,
	"from_position" integer NOT NULL,
	"to_position" integer NOT NULL,
	"stages" smallint[] NOT NULL,
	"attempt" smallint NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "running_batches_operation_key_chunk_index_from_position_stages_pk" PRIMARY KEY("operation_key","chunk_index","from_position","stages")
);
--> statement-breakpoint
ALTER TABLE "operations" ADD COLUMN "stats_folded_at" timestamp with time zone;