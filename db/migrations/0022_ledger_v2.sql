CREATE TABLE "item_attempt_errors" (
	"operation_key" integer NOT NULL,
	"item_id" bigint NOT NULL,
	"stage" smallint NOT NULL,
	"attempt" smallint NOT NULL,
	"error" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "operation_chunks" (
	"operation_key" integer NOT NULL,
	"chunk_index" integer NOT NULL,
	"item_ids" bigint[] NOT NULL,
	CONSTRAINT "operation_chunks_operation_key_chunk_index_pk" PRIMARY KEY("operation_key","chunk_index")
);
--> statement-breakpoint
CREATE TABLE "outcomes" (
	"operation_key" integer NOT NULL,
	"item_id" bigint NOT NULL,
	"stage" smallint NOT NULL,
	"status" text NOT NULL,
	"attempt" smallint NOT NULL,
	"handler_version" text NOT NULL,
	"finished_at" timestamp with time zone DEFAULT now() NOT NULL,
	"duration_ms" real,
	"error" text,
	"output" jsonb,
	CONSTRAINT "outcomes_operation_key_item_id_stage_pk" PRIMARY KEY("operation_key","item_id","stage"),
	CONSTRAINT "outcomes_status_check" CHECK ("outcomes"."status" in ('done', 'failed', 'skipped'))
);
--> statement-breakpoint
ALTER TABLE "operations" ADD COLUMN "key" integer NOT NULL GENERATED ALWAYS AS IDENTITY (sequence name "operations_key_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1);--> statement-breakpoint
ALTER TABLE "operations" ADD COLUMN "ledger" smallint DEFAULT 1 NOT NULL;--> statement-breakpoint
CREATE INDEX "item_attempt_errors_item_idx" ON "item_attempt_errors" USING btree ("operation_key","item_id");--> statement-breakpoint
CREATE INDEX "outcomes_item_idx" ON "outcomes" USING btree ("item_id");--> statement-breakpoint
CREATE UNIQUE INDEX "operations_key_idx" ON "operations" USING btree ("key");--> statement-breakpoint
ALTER TABLE "operations" ADD CONSTRAINT "operations_ledger_check" CHECK ("operations"."ledger" in (1, 2));