-- Modify "assignments" table
ALTER TABLE "assignments" ADD COLUMN "briefing_acknowledged_at" timestamptz NULL;
-- Modify "shifts" table
ALTER TABLE "shifts" ADD COLUMN "required_course_ids" jsonb NULL, ADD COLUMN "safety_briefing" character varying NOT NULL DEFAULT '';
-- Create "courses" table
CREATE TABLE "courses" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "employer_id" character varying NULL, "skill_id" character varying NULL, "kind" character varying NOT NULL DEFAULT 'TRAINING', "title" character varying NOT NULL, "content" text NOT NULL DEFAULT '', "link" character varying NOT NULL DEFAULT '', "pass_mark" bigint NOT NULL, "validity_days" bigint NOT NULL, "questions" jsonb NOT NULL, PRIMARY KEY ("id"));
-- Create index "course_skill_id" to table: "courses"
CREATE INDEX "course_skill_id" ON "courses" ("skill_id");
-- Create "course_completions" table
CREATE TABLE "course_completions" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "course_id" character varying NOT NULL, "worker_id" character varying NOT NULL, "score" bigint NOT NULL, "passed" boolean NOT NULL, "expires_at" timestamptz NULL, PRIMARY KEY ("id"));
-- Create index "coursecompletion_worker_id_course_id" to table: "course_completions"
CREATE INDEX "coursecompletion_worker_id_course_id" ON "course_completions" ("worker_id", "course_id");
