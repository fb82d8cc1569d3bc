-- Modify "timesheets" table
ALTER TABLE "timesheets" ADD COLUMN "source" character varying NOT NULL DEFAULT 'CHECK_OUT', ADD COLUMN "claimed_check_out_at" timestamptz NULL, ADD COLUMN "claim_note" character varying NOT NULL DEFAULT '';
