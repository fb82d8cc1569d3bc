-- Modify "employers" table
ALTER TABLE "employers" ADD COLUMN "funding_terms" character varying NOT NULL DEFAULT 'CREDIT';
-- Modify "timesheets" table
ALTER TABLE "timesheets" ADD COLUMN "released_amount" bigint NOT NULL DEFAULT 0;
