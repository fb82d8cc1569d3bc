-- Modify "worker_profiles" table
ALTER TABLE "worker_profiles" ADD COLUMN "payout_account" character varying NOT NULL DEFAULT '';
-- Create "payouts" table
CREATE TABLE "payouts" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "worker_id" character varying NOT NULL, "amount" bigint NOT NULL, "currency" character varying NOT NULL, "provider" character varying NOT NULL, "destination" character varying NOT NULL, "status" character varying NOT NULL DEFAULT 'PENDING', "provider_ref" character varying NOT NULL DEFAULT '', "attempts" bigint NOT NULL DEFAULT 0, "last_error" character varying NOT NULL DEFAULT '', "settled_at" timestamptz NULL, PRIMARY KEY ("id"));
-- Create index "payout_worker_id_created_at" to table: "payouts"
CREATE INDEX "payout_worker_id_created_at" ON "payouts" ("worker_id", "created_at");
