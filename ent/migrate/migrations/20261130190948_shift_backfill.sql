-- Modify "shifts" table
ALTER TABLE "shifts" ADD COLUMN "backfill" character varying NULL, ADD COLUMN "backfill_at" timestamptz NULL;
-- Create index "shift_backfill" to table: "shifts"
CREATE INDEX "shift_backfill" ON "shifts" ("backfill");
