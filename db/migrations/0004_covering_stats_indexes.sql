-- Covering indexes for the statistics reads (measured in bench/stats-load.ts): a day of
-- stage_stats and a window of operations counted by status become index-only scans.
-- drizzle-orm cannot declare INCLUDE, so they live here rather than in schema.ts.
CREATE INDEX IF NOT EXISTS "stage_stats_tenant_hour_cover_idx" ON "stage_stats" ("tenant_id", "hour") INCLUDE ("job_name", "stage_name", "bucket", "done", "failed", "skipped", "duration_ms_sum");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "operations_tenant_created_cover_idx" ON "operations" ("tenant_id", "created_at") INCLUDE ("job_name", "status", "mode");
