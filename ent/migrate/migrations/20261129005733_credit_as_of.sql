-- Modify "employers" table
ALTER TABLE "employers" ADD COLUMN "credit_as_of" timestamptz NULL;
-- Modify "worker_profiles" table
ALTER TABLE "worker_profiles" ADD COLUMN "credit_as_of" timestamptz NULL;
