-- Modify "employers" table
ALTER TABLE "employers" ADD COLUMN "licence_number" character varying NULL, ADD COLUMN "licence_status" character varying NULL;
-- Create "real_names" table
CREATE TABLE "real_names" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "user_id" character varying NOT NULL, "legal_name" character varying NOT NULL, "id_type" character varying NOT NULL DEFAULT 'PRC_RESIDENT_ID', "id_number_sealed" bytea NOT NULL, "id_number_masked" character varying NOT NULL, "id_number_digest" character varying NULL, "status" character varying NOT NULL DEFAULT 'PENDING', "checked_by" character varying NOT NULL DEFAULT '', "check_ref" character varying NOT NULL DEFAULT '', "reason" character varying NOT NULL DEFAULT '', "verified_at" timestamptz NULL, PRIMARY KEY ("id"));
-- Create index "real_names_id_number_digest_key" to table: "real_names"
CREATE UNIQUE INDEX "real_names_id_number_digest_key" ON "real_names" ("id_number_digest");
-- Create index "real_names_user_id_key" to table: "real_names"
CREATE UNIQUE INDEX "real_names_user_id_key" ON "real_names" ("user_id");
-- Create index "realname_status" to table: "real_names"
CREATE INDEX "realname_status" ON "real_names" ("status");
