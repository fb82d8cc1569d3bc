-- Modify "employers" table
ALTER TABLE "employers" ALTER COLUMN "credit_score" SET DEFAULT 600;
-- Modify "worker_profiles" table
ALTER TABLE "worker_profiles" ALTER COLUMN "credit_score" SET DEFAULT 600;
