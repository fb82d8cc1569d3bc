-- Drop index "shift_lat_lng" from table: "shifts"
DROP INDEX "shift_lat_lng";
-- Modify "shifts" table
ALTER TABLE "shifts" ADD COLUMN "hourly_rate" bigint NOT NULL DEFAULT 0;
-- Create index "shift_status_lat_lng" to table: "shifts"
CREATE INDEX "shift_status_lat_lng" ON "shifts" ("status", "lat", "lng");
