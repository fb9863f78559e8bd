CREATE TABLE "stage_tallies" (
	"operation_id" text NOT NULL,
	"stage_index" integer NOT NULL,
	"pending" integer DEFAULT 0 NOT NULL,
	"in_progress" integer DEFAULT 0 NOT NULL,
	"done" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"skipped" integer DEFAULT 0 NOT NULL,
	"correction" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
ALTER TABLE "stage_tallies" ADD CONSTRAINT "stage_tallies_operation_id_operations_id_fk" FOREIGN KEY ("operation_id") REFERENCES "public"."operations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "stage_tallies_operation_idx" ON "stage_tallies" USING btree ("operation_id");--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_role_check" CHECK ("api_keys"."role" in ('admin', 'operator', 'viewer'));--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_status_check" CHECK ("webhook_deliveries"."status" in ('pending', 'succeeded', 'failed'));--> statement-breakpoint
-- Operations from before the tallies get one row per stage, counted from their item stages once.
INSERT INTO "stage_tallies" ("operation_id", "stage_index", "pending", "in_progress", "done", "failed", "skipped")
SELECT "operation_id", "stage_index",
  count(*) FILTER (WHERE "status" = 'pending'), count(*) FILTER (WHERE "status" = 'in_progress'),
  count(*) FILTER (WHERE "status" = 'done'), count(*) FILTER (WHERE "status" = 'failed'),
  count(*) FILTER (WHERE "status" = 'skipped')
FROM "item_stages" GROUP BY "operation_id", "stage_index";
