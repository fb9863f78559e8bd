DROP INDEX "item_stages_status_idx";--> statement-breakpoint
-- Room on each page for the new row versions of claims and records: updated in place (HOT).
ALTER TABLE "item_stages" SET (fillfactor = 80);
