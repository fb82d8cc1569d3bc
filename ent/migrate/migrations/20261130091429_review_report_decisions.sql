-- Modify "review_reports" table
ALTER TABLE "review_reports" ADD COLUMN "status" character varying NOT NULL DEFAULT 'OPEN', ADD COLUMN "decided_at" timestamptz NULL, ADD COLUMN "decided_by_id" character varying NULL, ADD COLUMN "decision_note" character varying NOT NULL DEFAULT '';
-- Create index "reviewreport_status_created_at" to table: "review_reports"
CREATE INDEX "reviewreport_status_created_at" ON "review_reports" ("status", "created_at");
