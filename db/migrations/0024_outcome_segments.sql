-- An item's outcomes in a fused run of stages become one segment row instead of one row per
-- item-stage. The rows written so far become segments of one stage each, and readers keep
-- reading `outcomes`, now a view with the old table's columns, one row per item-stage: a plain
-- join, which Postgres pulls up into the queries that read it, so their joins reach the
-- segments' indexes.
CREATE TABLE "outcome_segments" (
	"operation_key" integer NOT NULL,
	"item_id" bigint NOT NULL,
	"first_stage" smallint NOT NULL,
	"attempt" smallint NOT NULL,
	"finished_at" timestamp with time zone DEFAULT now() NOT NULL,
	"statuses" text[] NOT NULL,
	"handler_versions" text[] NOT NULL,
	"durations_ms" real[] NOT NULL,
	"errors" text[],
	"outputs" jsonb,
	CONSTRAINT "outcome_segments_operation_key_item_id_first_stage_pk" PRIMARY KEY("operation_key","item_id","first_stage")
);
--> statement-breakpoint
INSERT INTO "outcome_segments" ("operation_key", "item_id", "first_stage", "attempt", "finished_at",
  "statuses", "handler_versions", "durations_ms", "errors", "outputs")
SELECT "operation_key", "item_id", "stage", "attempt", "finished_at", ARRAY["status"],
  ARRAY["handler_version"], ARRAY["duration_ms"], ARRAY["error"],
  CASE WHEN "output" IS NULL THEN NULL ELSE jsonb_build_array("output") END
FROM "outcomes";--> statement-breakpoint
DROP TABLE "outcomes";--> statement-breakpoint
ALTER TABLE "outcome_segments" ADD CONSTRAINT "outcome_segments_statuses_check" CHECK ("outcome_segments"."statuses" <@ array['done', 'failed', 'skipped']::text[]);--> statement-breakpoint
CREATE INDEX "outcome_segments_item_idx" ON "outcome_segments" USING btree ("item_id");--> statement-breakpoint
CREATE VIEW "outcomes" AS
  SELECT s."operation_key", s."item_id", (s."first_stage" + u.n - 1)::int2 AS "stage",
    u.status AS "status", s."attempt", s."handler_versions"[u.n] AS "handler_version",
    s."finished_at", s."durations_ms"[u.n] AS "duration_ms", s."errors"[u.n] AS "error",
    nullif(s."outputs" -> (u.n - 1)::int, 'null'::jsonb) AS "output"
  FROM "outcome_segments" s
  CROSS JOIN LATERAL unnest(s."statuses") WITH ORDINALITY AS u(status, n);
