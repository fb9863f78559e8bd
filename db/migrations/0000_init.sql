CREATE TABLE "api_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"key_hash" text NOT NULL,
	"role" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_keys_key_hash_unique" UNIQUE("key_hash")
);
--> statement-breakpoint
CREATE TABLE "collections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"item_count" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "costs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"operation_id" text NOT NULL,
	"job_name" text NOT NULL,
	"stage_name" text NOT NULL,
	"item_id" bigint,
	"amount" double precision NOT NULL,
	"unit" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"operation_id" text,
	"type" text NOT NULL,
	"stage_name" text,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "item_stages" (
	"operation_id" text NOT NULL,
	"stage_index" integer NOT NULL,
	"item_id" bigint NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"handler_version" text,
	"error" text,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"duration_ms" double precision,
	CONSTRAINT "item_stages_operation_id_stage_index_item_id_pk" PRIMARY KEY("operation_id","stage_index","item_id")
);
--> statement-breakpoint
CREATE TABLE "items" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"collection_id" uuid NOT NULL,
	"key" text NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"definition" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "operations" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"job_id" uuid,
	"job_name" text NOT NULL,
	"job_version" integer NOT NULL,
	"definition" jsonb NOT NULL,
	"scope" text NOT NULL,
	"collection_id" uuid,
	"item_ids" bigint[],
	"status" text NOT NULL,
	"mode" text DEFAULT 'production' NOT NULL,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"items_total" integer DEFAULT 0 NOT NULL,
	"items_done" integer DEFAULT 0 NOT NULL,
	"items_failed" integer DEFAULT 0 NOT NULL,
	"items_skipped" integer DEFAULT 0 NOT NULL,
	"requested_by" text,
	"idempotency_key" text,
	"parent_id" text,
	"retry_of" text,
	"run_id" text,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "results" (
	"item_id" bigint NOT NULL,
	"handler" text NOT NULL,
	"tenant_id" uuid NOT NULL,
	"collection_id" uuid NOT NULL,
	"handler_version" text NOT NULL,
	"output" jsonb,
	"operation_id" text,
	"stage_name" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "results_item_id_handler_pk" PRIMARY KEY("item_id","handler")
);
--> statement-breakpoint
CREATE TABLE "tenants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tenants_name_unique" UNIQUE("name")
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collections" ADD CONSTRAINT "collections_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "item_stages" ADD CONSTRAINT "item_stages_operation_id_operations_id_fk" FOREIGN KEY ("operation_id") REFERENCES "public"."operations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "items" ADD CONSTRAINT "items_collection_id_collections_id_fk" FOREIGN KEY ("collection_id") REFERENCES "public"."collections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "operations" ADD CONSTRAINT "operations_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "operations" ADD CONSTRAINT "operations_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "operations" ADD CONSTRAINT "operations_collection_id_collections_id_fk" FOREIGN KEY ("collection_id") REFERENCES "public"."collections"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "results" ADD CONSTRAINT "results_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_keys_tenant_idx" ON "api_keys" USING btree ("tenant_id");--> statement-breakpoint
CREATE UNIQUE INDEX "collections_tenant_name_idx" ON "collections" USING btree ("tenant_id","name");--> statement-breakpoint
CREATE INDEX "collections_tenant_created_idx" ON "collections" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "costs_operation_idx" ON "costs" USING btree ("operation_id","stage_name");--> statement-breakpoint
CREATE INDEX "costs_tenant_day_idx" ON "costs" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "events_operation_idx" ON "events" USING btree ("operation_id","id");--> statement-breakpoint
CREATE INDEX "events_tenant_created_idx" ON "events" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "item_stages_status_idx" ON "item_stages" USING btree ("operation_id","stage_index","status");--> statement-breakpoint
CREATE INDEX "item_stages_item_idx" ON "item_stages" USING btree ("item_id");--> statement-breakpoint
CREATE UNIQUE INDEX "items_collection_key_idx" ON "items" USING btree ("collection_id","key");--> statement-breakpoint
CREATE INDEX "items_collection_id_idx" ON "items" USING btree ("collection_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "jobs_tenant_name_idx" ON "jobs" USING btree ("tenant_id","name") WHERE "jobs"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "operations_tenant_created_idx" ON "operations" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "operations_tenant_status_idx" ON "operations" USING btree ("tenant_id","status","created_at");--> statement-breakpoint
CREATE INDEX "operations_tenant_job_idx" ON "operations" USING btree ("tenant_id","job_name","created_at");--> statement-breakpoint
CREATE INDEX "operations_tenant_collection_idx" ON "operations" USING btree ("tenant_id","collection_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "operations_tenant_idempotency_idx" ON "operations" USING btree ("tenant_id","idempotency_key") WHERE "operations"."idempotency_key" is not null;--> statement-breakpoint
CREATE INDEX "results_collection_handler_idx" ON "results" USING btree ("collection_id","handler","handler_version");