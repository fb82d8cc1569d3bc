-- Modify "worker_profiles" table
ALTER TABLE "worker_profiles" ADD COLUMN "payout_bank" jsonb NULL, ADD COLUMN "payout_method" character varying NULL;
-- Create "payout_batches" table
CREATE TABLE "payout_batches" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "currency" character varying NOT NULL, "count" bigint NOT NULL DEFAULT 0, "total" bigint NOT NULL DEFAULT 0, "created_by" character varying NOT NULL, "settled_at" timestamptz NULL, PRIMARY KEY ("id"));
-- Modify "payouts" table
ALTER TABLE "payouts" ADD COLUMN "bank" jsonb NULL, ADD COLUMN "batch_id" character varying NULL, ADD CONSTRAINT "payouts_payout_batches_payouts" FOREIGN KEY ("batch_id") REFERENCES "payout_batches" ("id") ON UPDATE NO ACTION ON DELETE SET NULL;
-- Create index "payout_status_provider_batch_id" to table: "payouts"
CREATE INDEX "payout_status_provider_batch_id" ON "payouts" ("status", "provider", "batch_id");
