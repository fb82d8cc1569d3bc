-- Drop index "shift_status_lat_lng" from table: "shifts"
DROP INDEX "shift_status_lat_lng";
-- Create index "shift_feed" to table: "shifts"
CREATE INDEX "shift_feed" ON "shifts" ("status", "lat", "lng") INCLUDE ("starts_at", "filled", "slots", "id");
