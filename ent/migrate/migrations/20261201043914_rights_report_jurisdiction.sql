-- Modify "rights_reports" table
ALTER TABLE "rights_reports" ADD COLUMN "jurisdiction" character varying NULL;
