-- Modify "timesheets" table
ALTER TABLE "timesheets" ADD COLUMN "agency_id" character varying NULL;
