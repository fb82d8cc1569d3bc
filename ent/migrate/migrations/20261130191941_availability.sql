-- Modify "shifts" table
ALTER TABLE "shifts" ADD COLUMN "week_minute" bigint NOT NULL DEFAULT -1, ADD COLUMN "week_minutes" bigint NOT NULL DEFAULT 0;
-- Modify "worker_profiles" table
ALTER TABLE "worker_profiles" ADD COLUMN "availability" jsonb NULL;
-- Place the shifts already posted in their local week (week.Span, in SQL).
UPDATE "shifts" SET
  "week_minute" = (EXTRACT(ISODOW FROM "starts_at" AT TIME ZONE "time_zone")::int - 1) * 1440
    + EXTRACT(HOUR FROM "starts_at" AT TIME ZONE "time_zone")::int * 60
    + EXTRACT(MINUTE FROM "starts_at" AT TIME ZONE "time_zone")::int,
  "week_minutes" = (EXTRACT(EPOCH FROM ("ends_at" AT TIME ZONE "time_zone") - ("starts_at" AT TIME ZONE "time_zone")) / 60)::int;
