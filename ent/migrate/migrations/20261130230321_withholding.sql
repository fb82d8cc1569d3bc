-- Modify "timesheets" table
ALTER TABLE "timesheets" ADD COLUMN "withheld_amount" bigint NOT NULL DEFAULT 0, ADD COLUMN "withholding_rule" character varying NOT NULL DEFAULT '';
