-- Modify "employers" table
ALTER TABLE "employers" ADD COLUMN "rights_score" bigint NULL, ADD COLUMN "rights_figures" jsonb NULL, ADD COLUMN "rights_as_of" timestamptz NULL;
-- Modify "users" table
ALTER TABLE "users" ADD COLUMN "auditor_for" character varying NULL;
-- Create "rights_reports" table
CREATE TABLE "rights_reports" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "period_from" timestamptz NOT NULL, "period_to" timestamptz NOT NULL, "issued_by_id" character varying NOT NULL, "csv" text NOT NULL, "sha256" character varying NOT NULL, PRIMARY KEY ("id"));
-- Create index "rightsreport_created_at" to table: "rights_reports"
CREATE INDEX "rightsreport_created_at" ON "rights_reports" ("created_at");
