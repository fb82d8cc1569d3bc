-- Modify "credit_disputes" table
ALTER TABLE "credit_disputes" ADD COLUMN "counterparty_worker_id" character varying NULL, ADD COLUMN "counterparty_employer_id" character varying NULL, ADD COLUMN "response" character varying NOT NULL DEFAULT '', ADD COLUMN "responded_at" timestamptz NULL;
