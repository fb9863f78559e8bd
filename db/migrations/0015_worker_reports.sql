CREATE TABLE "worker_reports" (
	"task_queue" text NOT NULL,
	"identity" text NOT NULL,
	"handlers" jsonb NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"reported_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "worker_reports_task_queue_identity_pk" PRIMARY KEY("task_queue","identity")
);
