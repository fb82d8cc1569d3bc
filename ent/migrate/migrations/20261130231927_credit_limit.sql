-- Modify "employers" table
ALTER TABLE "employers" ADD COLUMN "credit_limit" bigint NULL;
