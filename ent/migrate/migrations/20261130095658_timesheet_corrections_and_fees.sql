-- Modify "timesheets" table
ALTER TABLE "timesheets" ADD COLUMN "proposed_minutes" bigint NULL, ADD COLUMN "correction_note" character varying NOT NULL DEFAULT '', ADD COLUMN "escalated_at" timestamptz NULL, ADD COLUMN "escalated_by" character varying NULL, ADD COLUMN "escalation_note" character varying NOT NULL DEFAULT '', ADD COLUMN "decided_at" timestamptz NULL, ADD COLUMN "decision_note" character varying NOT NULL DEFAULT '';
-- Create index "timesheet_escalated_at" to table: "timesheets"
CREATE INDEX "timesheet_escalated_at" ON "timesheets" ("escalated_at");
