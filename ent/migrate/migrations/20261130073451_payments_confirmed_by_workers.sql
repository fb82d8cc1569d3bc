-- Modify "timesheets" table
ALTER TABLE "timesheets" ADD COLUMN "payment_auto_confirmed" boolean NOT NULL DEFAULT false, ADD COLUMN "not_received_at" timestamptz NULL, ADD COLUMN "not_received_note" character varying NOT NULL DEFAULT '', ADD COLUMN "overdue_at" timestamptz NULL, ADD COLUMN "payment_credited_at" timestamptz NULL;
-- Create index "timesheet_payment_status_paid_at" to table: "timesheets"
CREATE INDEX "timesheet_payment_status_paid_at" ON "timesheets" ("payment_status", "paid_at");
