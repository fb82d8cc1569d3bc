-- Modify "shifts" table
ALTER TABLE "shifts" ADD COLUMN "required_skill_ids" jsonb NULL, ADD COLUMN "required_certification_ids" jsonb NULL;
