-- Create "password_resets" table
CREATE TABLE "password_resets" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "user_id" character varying NOT NULL, "email" character varying NOT NULL, "code_hash" character varying NOT NULL, "attempts" bigint NOT NULL DEFAULT 0, "expires_at" timestamptz NOT NULL, "completed_at" timestamptz NULL, PRIMARY KEY ("id"));
-- Create index "passwordreset_email_created_at" to table: "password_resets"
CREATE INDEX "passwordreset_email_created_at" ON "password_resets" ("email", "created_at");
-- Create index "passwordreset_expires_at" to table: "password_resets"
CREATE INDEX "passwordreset_expires_at" ON "password_resets" ("expires_at");
