-- Create "money_accounts" table
CREATE TABLE "money_accounts" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "kind" character varying NOT NULL, "owner_id" character varying NOT NULL DEFAULT '', "currency" character varying NOT NULL, "balance" bigint NOT NULL DEFAULT 0, PRIMARY KEY ("id"));
-- Create index "moneyaccount_kind_owner_id_currency" to table: "money_accounts"
CREATE UNIQUE INDEX "moneyaccount_kind_owner_id_currency" ON "money_accounts" ("kind", "owner_id", "currency");
-- Create "money_transactions" table
CREATE TABLE "money_transactions" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "key" character varying NOT NULL, "kind" character varying NOT NULL, "currency" character varying NOT NULL, "memo" character varying NOT NULL DEFAULT '', "digest" character varying NOT NULL, PRIMARY KEY ("id"));
-- Create index "money_transactions_key_key" to table: "money_transactions"
CREATE UNIQUE INDEX "money_transactions_key_key" ON "money_transactions" ("key");
-- Create "money_postings" table
CREATE TABLE "money_postings" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "amount" bigint NOT NULL, "account_id" character varying NOT NULL, "transaction_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "money_postings_money_accounts_postings" FOREIGN KEY ("account_id") REFERENCES "money_accounts" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION, CONSTRAINT "money_postings_money_transactions_postings" FOREIGN KEY ("transaction_id") REFERENCES "money_transactions" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- Create index "moneyposting_account_id" to table: "money_postings"
CREATE INDEX "moneyposting_account_id" ON "money_postings" ("account_id");
