-- Modify "shifts" table
ALTER TABLE "shifts" ADD COLUMN "series_id" character varying NULL;
-- Create index "shift_series_id_starts_at" to table: "shifts"
CREATE INDEX "shift_series_id_starts_at" ON "shifts" ("series_id", "starts_at");
