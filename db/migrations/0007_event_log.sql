ALTER TABLE "events" ADD COLUMN "job_name" text;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "collection_id" uuid;--> statement-breakpoint
ALTER TABLE "operations" ADD COLUMN "progress_at" timestamp with time zone;--> statement-breakpoint
UPDATE "events" e SET "job_name" = o."job_name", "collection_id" = o."collection_id"
FROM "operations" o WHERE o."id" = e."operation_id";--> statement-breakpoint
-- Chunks reported stage starts and completions as the operation's; they keep them as their own.
UPDATE "events" SET "type" = 'chunk.' || replace("type", '.', '_')
WHERE "type" IN ('stage.started', 'stage.completed') AND "data" ? 'chunk';--> statement-breakpoint
DELETE FROM "events" e USING "events" earlier
WHERE e."type" IN ('stage.started', 'stage.completed') AND earlier."operation_id" = e."operation_id"
  AND earlier."stage_name" IS NOT DISTINCT FROM e."stage_name" AND earlier."type" = e."type" AND earlier."id" < e."id";--> statement-breakpoint
CREATE INDEX "events_tenant_idx" ON "events" USING btree ("tenant_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "events_operation_stage_once_idx" ON "events" USING btree ("operation_id","stage_name","type") WHERE type in ('stage.started', 'stage.completed');--> statement-breakpoint
-- Before each event: the operation's job and collection for subscribers' filters; then the
-- tenant's event lock, held to commit, before the id is drawn, so a tenant's ids commit in
-- order and a reader that saw id n has seen every lower id it ever will; then the notice that
-- wakes the streams (delivered at commit, once per transaction and tenant).
CREATE FUNCTION "events_prepare"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.operation_id IS NOT NULL AND (NEW.job_name IS NULL OR NEW.collection_id IS NULL) THEN
    SELECT coalesce(NEW.job_name, o.job_name), coalesce(NEW.collection_id, o.collection_id)
    INTO NEW.job_name, NEW.collection_id
    FROM operations o WHERE o.id = NEW.operation_id;
  END IF;
  PERFORM pg_advisory_xact_lock(1700, hashtext(NEW.tenant_id::text));
  NEW.id := nextval(pg_get_serial_sequence('events', 'id'));
  PERFORM pg_notify('conveyor_events', NEW.tenant_id::text);
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER "events_prepare" BEFORE INSERT ON "events"
  FOR EACH ROW EXECUTE FUNCTION "events_prepare"();
