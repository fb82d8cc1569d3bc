-- Modify "applications" table
ALTER TABLE "applications" ADD COLUMN "standby" boolean NOT NULL DEFAULT false;
