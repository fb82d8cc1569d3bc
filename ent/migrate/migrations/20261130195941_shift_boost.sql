-- Modify "assignments" table
ALTER TABLE "assignments" ADD COLUMN "boost" bigint NOT NULL DEFAULT 0;
-- Modify "shifts" table
ALTER TABLE "shifts" ADD COLUMN "boost" bigint NOT NULL DEFAULT 0, ADD COLUMN "boost_cap" bigint NULL;
