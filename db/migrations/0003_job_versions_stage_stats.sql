CREATE TABLE "job_versions" (
	"job_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"definition" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "job_versions_job_id_version_pk" PRIMARY KEY("job_id","version")
);
--> statement-breakpoint
CREATE TABLE "stage_stats" (
	"tenant_id" uuid NOT NULL,
	"job_name" text NOT NULL,
	"stage_name" text NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"bucket" smallint NOT NULL,
	"done" bigint DEFAULT 0 NOT NULL,
	"failed" bigint DEFAULT 0 NOT NULL,
	"skipped" bigint DEFAULT 0 NOT NULL,
	"duration_ms_sum" double precision DEFAULT 0 NOT NULL,
	CONSTRAINT "stage_stats_tenant_id_job_name_stage_name_hour_bucket_pk" PRIMARY KEY("tenant_id","job_name","stage_name","hour","bucket")
);
--> statement-breakpoint
ALTER TABLE "job_versions" ADD CONSTRAINT "job_versions_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "stage_stats_tenant_hour_idx" ON "stage_stats" USING btree ("tenant_id","hour");--> statement-breakpoint
INSERT INTO "job_versions" ("job_id", "version", "definition", "created_at")
SELECT "id", "version", "definition", "updated_at" FROM "jobs" ON CONFLICT DO NOTHING;
