-- Modify "contracts" table
ALTER TABLE "contracts" ADD COLUMN "revision" bigint NOT NULL DEFAULT 1;
-- Modify "shifts" table
ALTER TABLE "shifts" ADD COLUMN "terms_version" bigint NOT NULL DEFAULT 1;
-- Create "staff_actions" table
CREATE TABLE "staff_actions" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "actor_id" character varying NOT NULL DEFAULT '', "action" character varying NOT NULL, "subject_id" character varying NOT NULL, "note" character varying NOT NULL DEFAULT '', PRIMARY KEY ("id"));
-- Create index "staffaction_actor_id_created_at" to table: "staff_actions"
CREATE INDEX "staffaction_actor_id_created_at" ON "staff_actions" ("actor_id", "created_at");
-- Create index "staffaction_subject_id_created_at" to table: "staff_actions"
CREATE INDEX "staffaction_subject_id_created_at" ON "staff_actions" ("subject_id", "created_at");
