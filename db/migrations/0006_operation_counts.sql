CREATE TABLE "operation_counts" (
	"tenant_id" uuid NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"job_name" text NOT NULL,
	"status" text NOT NULL,
	"count" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "operation_counts_tenant_id_hour_job_name_status_pk" PRIMARY KEY("tenant_id","hour","job_name","status")
);
--> statement-breakpoint
-- Keeps operation_counts in step with operations: one count moves with each insert, delete and
-- status change, in the writer's transaction. The two rows a status change touches are taken in
-- status order, so two opposite changes in one hour and job cannot deadlock on them.
CREATE FUNCTION "operation_counts_track"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  was text := CASE WHEN TG_OP <> 'INSERT' AND OLD.mode = 'production' THEN OLD.status END;
  now_is text := CASE WHEN TG_OP <> 'DELETE' AND NEW.mode = 'production' THEN NEW.status END;
  row_ operations;
BEGIN
  IF TG_OP = 'DELETE' THEN row_ := OLD; ELSE row_ := NEW; END IF;
  IF was IS NOT NULL AND (now_is IS NULL OR was < now_is) THEN
    UPDATE operation_counts SET count = count - 1
    WHERE tenant_id = row_.tenant_id AND hour = date_trunc('hour', row_.created_at, 'UTC')
      AND job_name = row_.job_name AND status = was;
    was := NULL;
  END IF;
  IF now_is IS NOT NULL THEN
    INSERT INTO operation_counts AS c (tenant_id, hour, job_name, status, count)
    VALUES (row_.tenant_id, date_trunc('hour', row_.created_at, 'UTC'), row_.job_name, now_is, 1)
    ON CONFLICT (tenant_id, hour, job_name, status) DO UPDATE SET count = c.count + 1;
  END IF;
  IF was IS NOT NULL THEN
    UPDATE operation_counts SET count = count - 1
    WHERE tenant_id = row_.tenant_id AND hour = date_trunc('hour', row_.created_at, 'UTC')
      AND job_name = row_.job_name AND status = was;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "operation_counts_on_insert_delete" AFTER INSERT OR DELETE ON "operations"
  FOR EACH ROW EXECUTE FUNCTION "operation_counts_track"();
--> statement-breakpoint
CREATE TRIGGER "operation_counts_on_status" AFTER UPDATE OF "status", "mode" ON "operations"
  FOR EACH ROW WHEN (OLD."status" IS DISTINCT FROM NEW."status" OR OLD."mode" IS DISTINCT FROM NEW."mode")
  EXECUTE FUNCTION "operation_counts_track"();
--> statement-breakpoint
INSERT INTO "operation_counts" ("tenant_id", "hour", "job_name", "status", "count")
SELECT "tenant_id", date_trunc('hour', "created_at", 'UTC'), "job_name", "status", count(*)
FROM "operations" WHERE "mode" = 'production' GROUP BY 1, 2, 3, 4;
