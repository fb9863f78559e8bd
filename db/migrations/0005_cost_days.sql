CREATE TABLE "cost_days" (
	"tenant_id" uuid NOT NULL,
	"day" date NOT NULL,
	"job_name" text NOT NULL,
	"stage_name" text NOT NULL,
	"unit" text NOT NULL,
	"amount" double precision DEFAULT 0 NOT NULL,
	"entries" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "cost_days_tenant_id_day_job_name_stage_name_unit_pk" PRIMARY KEY("tenant_id","day","job_name","stage_name","unit")
);
--> statement-breakpoint
INSERT INTO "cost_days" ("tenant_id", "day", "job_name", "stage_name", "unit", "amount", "entries")
SELECT "tenant_id", ("created_at" AT TIME ZONE 'UTC')::date, "job_name", "stage_name", "unit", sum("amount"), count(*)
FROM "costs" GROUP BY 1, 2, 3, 4, 5;
