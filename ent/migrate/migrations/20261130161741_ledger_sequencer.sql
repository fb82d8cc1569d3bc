-- Modify "credit_events" table
ALTER TABLE "credit_events" DROP COLUMN "ledger_seq";
-- Modify "ledger_entries" table
ALTER TABLE "ledger_entries" ALTER COLUMN "seq" DROP NOT NULL, ADD COLUMN "format" bigint NOT NULL DEFAULT 1;
-- Create index "ledgerentry_created_at" to table: "ledger_entries"
CREATE INDEX "ledgerentry_created_at" ON "ledger_entries" ("created_at") WHERE (seq IS NULL);
