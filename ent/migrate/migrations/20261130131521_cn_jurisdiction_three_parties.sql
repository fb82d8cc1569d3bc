-- Modify "assignments" table
ALTER TABLE "assignments" ADD COLUMN "agency_id" character varying NULL;
-- Modify "contracts" table
ALTER TABLE "contracts" ADD COLUMN "agency_id" character varying NULL, ADD COLUMN "agency_signed_at" timestamptz NULL, ADD COLUMN "agency_signed_by_id" character varying NULL;
-- Modify "employers" table
ALTER TABLE "employers" ADD COLUMN "kind" character varying NOT NULL DEFAULT 'EMPLOYER', ADD COLUMN "jurisdiction" character varying NOT NULL DEFAULT 'GENERIC';
-- Modify "shifts" table
ALTER TABLE "shifts" ADD COLUMN "pay_cycle_days" bigint NOT NULL DEFAULT 7, ADD COLUMN "post_nature" character varying NULL, ADD COLUMN "post_months" bigint NULL, ADD COLUMN "agency_id" character varying NULL, ADD CONSTRAINT "shifts_employers_agency" FOREIGN KEY ("agency_id") REFERENCES "employers" ("id") ON UPDATE NO ACTION ON DELETE SET NULL;
